// Step 1: choose or drop a CSV file; it is sent with its progress, then
// the server reads it (encoding, delimiter, header) and answers the
// columns. Below, the company's recent imports, to go back to one.
import { useRef, useState } from 'preact/hooks';
import type { Import } from '../../api/types';
import { isAbort } from '../../api/client';
import { listImports, uploadImport } from '../../api/imports';
import { Alert } from '../../components/ui/alert';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { IconUpload } from '../../components/ui/icons';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { STATUS_LABEL, STATUS_TONE, fileProblem, formatBytes } from './import-model';

interface Props {
  onUploaded: (imp: Import) => void;
}

type Sending = { name: string; sent: number; total: number } | null;

export function UploadStep({ onUploaded }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const ac = useRef<AbortController | null>(null);
  const [sending, setSending] = useState<Sending>(null);
  const [error, setError] = useState<{ title: string; message?: string } | null>(null);
  const [over, setOver] = useState(false);

  const send = async (file: File) => {
    const problem = fileProblem(file);
    if (problem) {
      setError({ title: `${file.name} cannot be imported`, message: problem });
      return;
    }
    setError(null);
    setSending({ name: file.name, sent: 0, total: file.size });
    ac.current = new AbortController();
    try {
      const imp = await uploadImport(file, (sent, total) => setSending({ name: file.name, sent, total }), ac.current.signal);
      onUploaded(imp);
    } catch (e) {
      if (!isAbort(e)) setError(describeError(e));
    } finally {
      setSending(null);
      ac.current = null;
      if (input.current) input.current.value = '';
    }
  };

  const pick = (files: FileList | null | undefined) => {
    const f = files?.[0];
    if (f) void send(f);
  };

  const pct = sending && sending.total > 0 ? Math.min(100, Math.floor((sending.sent * 100) / sending.total)) : 0;
  const reading = sending !== null && sending.sent >= sending.total;

  return (
    <div class="import-step">
      <div
        class={`dropzone${over ? ' dropzone--over' : ''}${sending ? ' dropzone--busy' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          if (!sending) setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (!sending) pick(e.dataTransfer?.files);
        }}
      >
        {sending ? (
          <div class="dropzone__busy" role="status">
            <p class="dropzone__title">{reading ? `Reading ${sending.name}…` : `Uploading ${sending.name}…`}</p>
            <div class="import-progress__track" role="progressbar" aria-label="Upload" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
              <span class="import-progress__fill" style={{ width: `${pct}%` }} />
            </div>
            <p class="dropzone__hint tabular">
              {reading ? 'Finding the encoding, the delimiter and the header row' : `${formatBytes(sending.sent)} of ${formatBytes(sending.total)}`}
            </p>
            <Button size="sm" variant="ghost" onClick={() => ac.current?.abort()}>
              Cancel
            </Button>
          </div>
        ) : (
          <>
            <span class="dropzone__icon" aria-hidden="true">
              <IconUpload size={24} />
            </span>
            <p class="dropzone__title">Drop a CSV file here</p>
            <p class="dropzone__hint">or</p>
            <label class="btn btn--primary dropzone__pick">
              Choose a file
              <input
                ref={input}
                type="file"
                class="sr-only"
                accept=".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values"
                data-testid="import-file"
                onChange={(e) => pick(e.currentTarget.files)}
              />
            </label>
            <p class="dropzone__hint">
              CSV up to 100 MB, with a header row. Exports of clientd, Invoice Ninja, Zoho Invoice, Wave, FreshBooks and Invoicely are recognised; UTF-8, Windows-1252 and
              Latin-1 files, and comma, semicolon or tab delimiters all work.
            </p>
          </>
        )}
      </div>
      {error ? (
        <Alert tone="danger" title={error.title} assertive>
          {error.message}
        </Alert>
      ) : null}
      <RecentImports />
    </div>
  );
}

function RecentImports() {
  const res = useResource('recent', (signal) => listImports(1, 5, signal));
  const rows = res.data?.data ?? [];
  if (rows.length === 0) return null;
  return (
    <section class="import-recent" aria-label="Recent imports">
      <h2 class="import-recent__title">Recent imports</h2>
      <ul class="import-recent__list">
        {rows.map((r) => (
          <li key={r.id} class="import-recent__item">
            <a href={`/clients/import/${r.id}`} class="import-recent__name">
              {r.file.name}
            </a>
            <span class="import-recent__meta">
              {r.file.rows.toLocaleString('en-US')} rows · {formatDateTime(r.created_at)}
            </span>
            <Badge tone={STATUS_TONE[r.status]}>{r.status === 'uploaded' && r.dry_run ? 'Checked' : STATUS_LABEL[r.status]}</Badge>
          </li>
        ))}
      </ul>
    </section>
  );
}
