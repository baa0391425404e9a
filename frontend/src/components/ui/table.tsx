import type { ComponentChildren } from 'preact';
import { IconArrowDown, IconArrowUp, IconSort } from './icons';
import { Skeleton } from './spinner';

export interface Column<T> {
  key: string;
  header: ComponentChildren;
  cell: (row: T) => ComponentChildren;
  align?: 'left' | 'right' | 'center';
  /** the API sort key; makes the header a sort button */
  sort?: string;
  width?: string;
  /** the label before the value when rows become cards (phone width) */
  label?: string;
  /** the card's title cell at phone width */
  primary?: boolean;
  /** a narrow control column (checkbox, menu) */
  control?: boolean;
  hideOnPhone?: boolean;
  /** shown on wide screens and as a card line on phones, left out in between (tablets, small laptops) */
  wideOnly?: boolean;
}

interface TableProps<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** the current sort: "name" or "-name" */
  sort?: string;
  onSort?: (key: string) => void;
  rowClass?: (row: T) => string | undefined;
  /** a click on a row, outside its links and controls */
  onRowClick?: (row: T) => void;
  /** show this many skeleton rows instead of `rows` */
  skeletonRows?: number;
  busy?: boolean;
}

function sortState(sort: string | undefined, key: string): 'ascending' | 'descending' | 'none' {
  if (sort === key) return 'ascending';
  if (sort === `-${key}`) return 'descending';
  return 'none';
}

function isInteractive(t: EventTarget | null, stop: HTMLElement): boolean {
  let n = t instanceof Element ? t : null;
  while (n && n !== stop) {
    if (n.matches('a, button, input, select, textarea, label, [role="menu"]')) return true;
    n = n.parentElement;
  }
  return false;
}

/**
 * A data table that turns into a list of cards at phone width (CSS reads
 * each cell's data-label). Sortable headers are buttons with aria-sort on
 * their <th>.
 */
export function Table<T>({ caption, columns, rows, rowKey, sort, onSort, rowClass, onRowClick, skeletonRows, busy }: TableProps<T>) {
  const colClass = (c: Column<T>) =>
    [
      c.align ? `t-${c.align}` : '',
      c.control ? 'table__control' : '',
      c.primary ? 'table__primary' : '',
      c.hideOnPhone ? 'table__phone-hide' : '',
      c.wideOnly ? 'table__wide-only' : '',
    ]
      .filter(Boolean)
      .join(' ') || undefined;

  return (
    <div class={busy ? 'table-wrap table-wrap--busy' : 'table-wrap'}>
      <table class="table" aria-busy={busy ? 'true' : undefined}>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const st = c.sort ? sortState(sort, c.sort) : undefined;
              return (
                <th key={c.key} scope="col" class={colClass(c)} style={c.width ? { width: c.width } : undefined} aria-sort={st && st !== 'none' ? st : undefined}>
                  {c.sort && onSort ? (
                    <button type="button" class={`table__sort${st !== 'none' ? ' table__sort--on' : ''}`} onClick={() => onSort(c.sort!)}>
                      {c.header}
                      {st === 'ascending' ? <IconArrowUp size={14} /> : st === 'descending' ? <IconArrowDown size={14} /> : <IconSort size={14} class="table__sort-idle" />}
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {skeletonRows
            ? Array.from({ length: skeletonRows }, (_, i) => (
                <tr key={`sk${i}`} class="table__skeleton">
                  {columns.map((c) => (
                    <td key={c.key} class={colClass(c)}>
                      {c.control ? null : <Skeleton width={c.align === 'right' ? '60%' : `${50 + ((i * 17 + c.key.length * 7) % 40)}%`} />}
                    </td>
                  ))}
                </tr>
              ))
            : rows.map((r) => (
                <tr
                  key={rowKey(r)}
                  class={[rowClass?.(r), onRowClick ? 'table__row--link' : ''].filter(Boolean).join(' ') || undefined}
                  onClick={
                    onRowClick
                      ? (e) => {
                          if (!isInteractive(e.target, e.currentTarget as HTMLElement) && !window.getSelection()?.toString()) onRowClick(r);
                        }
                      : undefined
                  }
                >
                  {columns.map((c) => (
                    <td key={c.key} class={colClass(c)} data-label={c.label ?? (typeof c.header === 'string' ? c.header : undefined)}>
                      {c.cell(r)}
                    </td>
                  ))}
                </tr>
              ))}
        </tbody>
      </table>
    </div>
  );
}
