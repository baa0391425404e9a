// The rows a dry run or a run refused (and the rows that repeat an
// earlier one of the file): row, column, value and what is wrong, a page
// at a time, with the download of the refused rows as CSV.
import { useState } from 'preact/hooks';
import type { ImportIssue } from '../../api/types';
import { fieldMessage } from '../../api/client';
import { listImportIssues, rejectedRowsHref, type ImportPhase, type IssueKind } from '../../api/imports';
import { Alert } from '../../components/ui/alert';
import { Button, ButtonLink } from '../../components/ui/button';
import { IconChevronLeft, IconChevronRight, IconDownload } from '../../components/ui/icons';
import { Segmented } from '../../components/ui/segmented';
import { Skeleton } from '../../components/ui/spinner';
import { describeError } from '../../lib/errors';
import { useResource } from '../../lib/use-resource';

const PER_PAGE = 20;

interface Props {
  importId: string;
  phase: ImportPhase;
  rejected: number;
  duplicates: number;
  /** bumps when the issues may have changed (a new dry run) */
  version: number;
}

export function IssuesTable({ importId, phase, rejected, duplicates, version }: Props) {
  const [kind, setKind] = useState<IssueKind>(rejected > 0 || duplicates === 0 ? 'error' : 'duplicate');
  const [page, setPage] = useState(1);
  const key = `${importId}:${phase}:${kind}:${page}:${version}`;
  const res = useResource(key, (signal) => listImportIssues(importId, { phase, kind, page, perPage: PER_PAGE }, signal));
  const rows = res.data?.data ?? [];
  const pg = res.data?.meta.pagination;
  if (rejected === 0 && duplicates === 0) return null;

  const options = [
    { value: 'error' as const, label: `Errors (${rejected.toLocaleString('en-US')})` },
    { value: 'duplicate' as const, label: `Repeated rows (${duplicates.toLocaleString('en-US')})` },
  ];

  return (
    <section class="import-issues" aria-label={kind === 'error' ? 'Rows with errors' : 'Rows that repeat an earlier row'}>
      <div class="import-issues__bar">
        {duplicates > 0 ? (
          <Segmented
            label="Show"
            value={kind}
            options={options}
            onChange={(k) => {
              setKind(k);
              setPage(1);
            }}
          />
        ) : (
          <h3 class="import-issues__title">Rows with errors</h3>
        )}
        {rejected > 0 ? (
          <ButtonLink href={rejectedRowsHref(importId, phase)} download size="sm" icon={<IconDownload size={15} />}>
            Download rows with errors
          </ButtonLink>
        ) : null}
      </div>
      {kind === 'duplicate' ? (
        <p class="import-issues__note">
          These rows match an earlier row of the file by the match key. With “skip” they are left out; with “update” they update the client the earlier row made.
        </p>
      ) : null}
      {res.error ? (
        <Alert tone="danger" title="The rows could not be loaded" actions={<Button size="sm" onClick={res.reload}>Try again</Button>}>
          {describeError(res.error).title}.
        </Alert>
      ) : (
        <div class="import-issues__scroll">
          <table class="import-issues__table" data-testid="import-issues">
            <thead>
              <tr>
                <th scope="col" class="num">Row</th>
                <th scope="col">Column</th>
                <th scope="col">Value</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {res.loading && !res.data
                ? Array.from({ length: 3 }, (_, i) => (
                    <tr key={i}>
                      <td colSpan={4}>
                        <Skeleton />
                      </td>
                    </tr>
                  ))
                : rows.flatMap((issue) => issueRows(issue))}
            </tbody>
          </table>
        </div>
      )}
      {pg && pg.total_pages > 1 ? (
        <nav class="import-issues__pager" aria-label="Pages of rows">
          <span class="tabular">
            {((pg.current_page - 1) * pg.per_page + 1).toLocaleString('en-US')}–{Math.min(pg.total, pg.current_page * pg.per_page).toLocaleString('en-US')} of{' '}
            {pg.total.toLocaleString('en-US')}
          </span>
          <Button size="sm" variant="ghost" icon={<IconChevronLeft size={15} />} disabled={page <= 1 || res.loading} onClick={() => setPage(page - 1)}>
            Previous
          </Button>
          <Button size="sm" variant="ghost" icon={<IconChevronRight size={15} />} disabled={page >= pg.total_pages || res.loading} onClick={() => setPage(page + 1)}>
            Next
          </Button>
        </nav>
      ) : null}
    </section>
  );
}

function issueRows(issue: ImportIssue) {
  const errors = issue.errors.length > 0 ? issue.errors : [null];
  return errors.map((e, i) => (
    <tr key={`${issue.row}:${i}`} class={i === 0 ? 'import-issues__first' : undefined}>
      <td class="num tabular">{i === 0 ? issue.row : ''}</td>
      <td>{e?.column_name ?? (e?.field ? <span class="muted">{e.field}</span> : <span class="muted">—</span>)}</td>
      <td class="import-issues__value">{e?.value ? <code>{e.value}</code> : <span class="muted">empty</span>}</td>
      <td>{e ? fieldMessage(e.message) : ''}</td>
    </tr>
  ));
}
