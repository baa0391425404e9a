import { IconChevronLeft, IconChevronRight } from './icons';

/**
 * The page numbers to show around `page`: always the first and last, two
 * on each side of the current one, 'gap' where pages are left out.
 */
export function pageWindow(page: number, totalPages: number, around = 1): (number | 'gap')[] {
  if (totalPages <= 0) return [];
  const p = Math.min(Math.max(1, page), totalPages);
  const out: (number | 'gap')[] = [];
  const lo = Math.max(2, p - around);
  const hi = Math.min(totalPages - 1, p + around);
  out.push(1);
  if (lo > 2) out.push(lo === 3 ? 2 : 'gap');
  for (let i = lo; i <= hi; i++) out.push(i);
  if (hi < totalPages - 1) out.push(hi === totalPages - 2 ? totalPages - 1 : 'gap');
  if (totalPages > 1) out.push(totalPages);
  return out;
}

interface PaginationProps {
  page: number;
  totalPages: number;
  total: number;
  perPage: number;
  /** the URL of a page (pages are links, so back/forward and new tabs work) */
  hrefFor: (page: number) => string;
  perPageOptions?: readonly number[];
  onPerPage?: (n: number) => void;
  noun?: [string, string];
}

export function Pagination({ page, totalPages, total, perPage, hrefFor, perPageOptions, onPerPage, noun = ['item', 'items'] }: PaginationProps) {
  const first = total === 0 ? 0 : (page - 1) * perPage + 1;
  const last = Math.min(total, page * perPage);
  const fmt = (n: number) => n.toLocaleString();
  return (
    <nav class="pagination" aria-label="Pages">
      <p class="pagination__summary">
        {total === 0 ? (
          `No ${noun[1]}`
        ) : (
          <>
            <span class="num">{fmt(first)}</span>–<span class="num">{fmt(last)}</span> of <span class="num">{fmt(total)}</span> {total === 1 ? noun[0] : noun[1]}
          </>
        )}
      </p>
      {perPageOptions && onPerPage ? (
        <label class="pagination__per-page">
          <span>Rows per page</span>
          <select class="input input--select input--sm" value={String(perPage)} onChange={(e) => onPerPage(Number((e.currentTarget as HTMLSelectElement).value))}>
            {perPageOptions.map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {totalPages > 1 ? (
        <ul class="pagination__pages">
          <li>
            {page > 1 ? (
              <a class="pagination__link" href={hrefFor(page - 1)} aria-label="Previous page" rel="prev">
                <IconChevronLeft size={16} />
              </a>
            ) : (
              <span class="pagination__link pagination__link--off" aria-hidden="true">
                <IconChevronLeft size={16} />
              </span>
            )}
          </li>
          {pageWindow(page, totalPages).map((p, i) =>
            p === 'gap' ? (
              <li key={`g${i}`} class="pagination__gap" aria-hidden="true">
                …
              </li>
            ) : (
              <li key={p} class="pagination__num">
                <a class={p === page ? 'pagination__link pagination__link--on' : 'pagination__link'} href={hrefFor(p)} aria-current={p === page ? 'page' : undefined} aria-label={`Page ${p}`}>
                  {fmt(p)}
                </a>
              </li>
            ),
          )}
          <li>
            {page < totalPages ? (
              <a class="pagination__link" href={hrefFor(page + 1)} aria-label="Next page" rel="next">
                <IconChevronRight size={16} />
              </a>
            ) : (
              <span class="pagination__link pagination__link--off" aria-hidden="true">
                <IconChevronRight size={16} />
              </span>
            )}
          </li>
        </ul>
      ) : null}
    </nav>
  );
}
