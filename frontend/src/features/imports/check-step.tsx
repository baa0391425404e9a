// Step 4: the dry run. Every row goes through the API's own checks in
// transactions that are rolled back; the report says what a run would
// create, update, skip and refuse, and lists the rows with errors.
import type { Import, ImportOptions } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { CountTiles } from './count-tiles';
import { runBlocker, runLabel } from './import-model';
import { IssuesTable } from './issues-table';
import { ProgressMeter } from './progress-meter';

interface Props {
  imp: Import;
  options: ImportOptions;
  busy: 'run' | 'cancel' | 'recheck' | 'mode' | null;
  onBack: () => void;
  onRun: () => void;
  onCancel: () => void;
  onRecheck: () => void;
  onValidRows: () => void;
}

export function CheckStep({ imp, options, busy, onBack, onRun, onCancel, onRecheck, onValidRows }: Props) {
  if (imp.status === 'checking') {
    return (
      <div class="import-step">
        <ProgressMeter label="Checking every row" progress={imp.progress} />
        <p class="import-step__note">Nothing is written: each row goes through the same checks as the import, and is rolled back.</p>
        <div class="import-actions">
          <Button variant="ghost" onClick={onCancel} loading={busy === 'cancel'} disabled={imp.cancel_requested}>
            {imp.cancel_requested ? 'Cancelling…' : 'Cancel'}
          </Button>
        </div>
      </div>
    );
  }
  const d = imp.dry_run;
  if (!d) return null;
  if (d.status === 'cancelled' || d.status === 'failed') {
    return (
      <div class="import-step">
        <Alert tone={d.status === 'failed' ? 'danger' : 'warning'} title={d.status === 'failed' ? 'The check failed' : 'The check was cancelled'}>
          {d.summary}
        </Alert>
        <div class="import-actions">
          <Button variant="ghost" onClick={onBack}>
            Back
          </Button>
          <Button variant="primary" onClick={onRecheck} loading={busy === 'recheck'}>
            Check again
          </Button>
        </div>
      </div>
    );
  }
  const blocker = runBlocker(d, options);
  const rejected = d.rejected ?? 0;
  return (
    <div class="import-step">
      <Alert tone={rejected > 0 ? 'warning' : 'success'} title={rejected > 0 ? 'Some rows have errors' : 'Every row can be imported'}>
        <span data-testid="dry-run-summary">{d.summary}</span>
      </Alert>
      <CountTiles counts={d} dryRun />
      <IssuesTable importId={imp.id} phase="dry_run" rejected={rejected} duplicates={d.duplicates ?? 0} version={imp.version} />
      {blocker && options.mode === 'all_or_nothing' && rejected > 0 ? (
        <Alert
          tone="warning"
          title="All or nothing would import nothing"
          actions={
            <Button size="sm" onClick={onValidRows} loading={busy === 'mode'}>
              Import the valid rows only
            </Button>
          }
        >
          {blocker}
        </Alert>
      ) : null}
      <div class="import-actions">
        <Button variant="ghost" onClick={onBack} disabled={busy !== null}>
          Change the mapping
        </Button>
        <Button variant="primary" onClick={onRun} loading={busy === 'run'} disabled={blocker !== null || busy !== null} title={blocker ?? undefined}>
          {runLabel(d)}
        </Button>
      </div>
      {blocker && !(options.mode === 'all_or_nothing' && rejected > 0) ? <p class="import-actions__why">{blocker}</p> : null}
    </div>
  );
}
