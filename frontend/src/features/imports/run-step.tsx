// Step 5: the run, with its live progress (rows, rate, time left) and a
// cancel; then the result (never a success when nothing was imported),
// the refused rows and the way on.
import { useState } from 'preact/hooks';
import type { Import } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button, ButtonLink } from '../../components/ui/button';
import { ConfirmDialog } from '../../components/ui/dialog';
import { CountTiles } from './count-tiles';
import { resultTitle, resultTone } from './import-model';
import { IssuesTable } from './issues-table';
import { ProgressMeter } from './progress-meter';

interface Props {
  imp: Import;
  busy: boolean;
  onCancel: () => void;
}

const ALERT_TONE = { success: 'success', warning: 'warning', danger: 'danger', info: 'info', neutral: 'info' } as const;

export function RunStep({ imp, busy, onCancel }: Props) {
  const [confirm, setConfirm] = useState(false);
  const allOrNothing = imp.options?.mode === 'all_or_nothing';

  if (imp.status === 'queued' || imp.status === 'running') {
    const c = (imp.progress?.counts ?? {}) as Record<string, number | undefined>;
    const so = [c.created ? `${c.created.toLocaleString('en-US')} created` : '', c.updated ? `${c.updated.toLocaleString('en-US')} updated` : '', c.rejected ? `${c.rejected.toLocaleString('en-US')} with errors` : '']
      .filter(Boolean)
      .join(' · ');
    return (
      <div class="import-step">
        <ProgressMeter label={imp.status === 'queued' ? 'Waiting for a worker' : 'Importing'} progress={imp.status === 'queued' ? null : imp.progress} />
        {so ? <p class="import-step__note tabular">So far: {so}</p> : null}
        <p class="import-step__note">
          {allOrNothing
            ? 'All or nothing: the clients appear together when the last row is in. You can leave this page; the import goes on.'
            : 'Clients appear in batches as they are imported. You can leave this page; the import goes on.'}
        </p>
        <div class="import-actions">
          <Button variant="ghost" onClick={() => setConfirm(true)} disabled={imp.cancel_requested} loading={busy}>
            {imp.cancel_requested ? 'Cancelling…' : 'Cancel the import'}
          </Button>
        </div>
        <ConfirmDialog
          open={confirm}
          title="Cancel the import?"
          confirmLabel="Cancel the import"
          danger
          busy={busy}
          onCancel={() => setConfirm(false)}
          onConfirm={() => {
            setConfirm(false);
            onCancel();
          }}
        >
          <p>{allOrNothing ? 'All or nothing: no client of this file is kept.' : 'The clients imported so far stay; the rest of the file is not imported.'}</p>
        </ConfirmDialog>
      </div>
    );
  }

  const r = imp.result;
  if (!r) return null;
  const tone = resultTone(r);
  return (
    <div class="import-step">
      <Alert tone={ALERT_TONE[tone]} title={resultTitle(r)}>
        <span data-testid="import-result-summary">{r.summary}</span>
      </Alert>
      <CountTiles counts={r} dryRun={false} />
      <IssuesTable importId={imp.id} phase="run" rejected={r.rejected ?? 0} duplicates={r.duplicates ?? 0} version={imp.version} />
      <div class="import-actions">
        <ButtonLink href="/clients/import" variant="ghost">
          Import another file
        </ButtonLink>
        <ButtonLink href="/clients" variant="primary">
          Show the clients
        </ButtonLink>
      </div>
    </div>
  );
}
