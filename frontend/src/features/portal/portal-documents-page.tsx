// The portal's Documents page (issue 14): the files the business shows the
// contact's client (its own and its group's), each to download; and an
// upload, which the company may allow (portal_uploads: a 403 says it does
// not).
import { useEffect, useRef, useState } from 'preact/hooks';
import { isAbort } from '../../api/client';
import { listPortalDocuments, portalDocumentHref, uploadPortalDocument, type PortalMe } from '../../api/portal';
import type { PortalDocument } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { LoadingBlock } from '../../components/ui/spinner';
import { describeError } from '../../lib/errors';
import { fileKind, formatDate, formatFileSize } from '../../lib/format';

interface Sending {
  name: string;
  sent: number;
  total: number;
}

export function PortalDocumentsPage({ me }: { me: PortalMe }) {
  const slug = me.company.slug;
  const [docs, setDocs] = useState<PortalDocument[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState<Sending | null>(null);
  const [uploadError, setUploadError] = useState<{ title: string; message?: string | undefined } | null>(null);
  const [version, setVersion] = useState(0);
  const ac = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `Documents · ${me.company.name}`;
    const a = new AbortController();
    listPortalDocuments(slug, a.signal).then(setDocs, (e) => {
      if (!a.signal.aborted) setFailure(describeError(e).title);
    });
    return () => a.abort();
  }, [me.client.id, version]);

  const send = async (files: FileList | null) => {
    setUploadError(null);
    for (const file of Array.from(files ?? [])) {
      ac.current = new AbortController();
      setSending({ name: file.name, sent: 0, total: file.size });
      try {
        await uploadPortalDocument(slug, file, (sent, total) => setSending({ name: file.name, sent, total }), ac.current.signal);
      } catch (e) {
        if (!isAbort(e)) setUploadError(describeError(e));
        break;
      } finally {
        setSending(null);
      }
    }
    if (input.current) input.current.value = '';
    setVersion((v) => v + 1);
  };

  if (failure) return <Alert tone="danger" title="Your documents could not be loaded">{failure}</Alert>;
  if (!docs) return <LoadingBlock label="Loading your documents…" />;
  const pct = sending && sending.total > 0 ? Math.min(100, Math.floor((sending.sent * 100) / sending.total)) : 0;
  return (
    <div class="portal-page">
      <div class="portal-page__head">
        <div>
          <h1 class="portal-page__title">Documents</h1>
          <p class="portal-page__sub">Files {me.company.name} shares with {me.client.display_name}</p>
        </div>
        <label class="btn btn--secondary btn--sm portal-docs__pick">
          Upload a file
          <input ref={input} type="file" multiple class="sr-only" disabled={sending !== null} onChange={(e) => void send((e.target as HTMLInputElement).files)} />
        </label>
      </div>
      {sending ? (
        <div class="portal-docs__sending" role="status">
          <span>
            Uploading {sending.name}… {formatFileSize(sending.sent)} of {formatFileSize(sending.total)}
          </span>
          <div class="docs-progress" role="progressbar" aria-label={`Upload of ${sending.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <span class="docs-progress__fill" style={{ width: `${pct}%` }} />
          </div>
          <button type="button" class="btn btn--ghost btn--sm" onClick={() => ac.current?.abort()}>
            Cancel
          </button>
        </div>
      ) : null}
      {uploadError ? (
        <Alert tone="danger" title={uploadError.title}>
          {uploadError.message}
        </Alert>
      ) : null}
      <section class="portal-section" aria-label="Documents">
        {docs.length === 0 ? (
          <p class="portal-muted">No documents have been shared with you yet.</p>
        ) : (
          <ul class="portal-docs">
            {docs.map((d) => (
              <li key={d.id} class="portal-docs__row">
                <span class="portal-docs__kind" aria-hidden="true">
                  {fileKind(d.content_type)}
                </span>
                <span class="portal-docs__main">
                  <a class="portal-docs__name" href={portalDocumentHref(slug, d.id)} download={d.name}>
                    {d.name}
                  </a>
                  <span class="portal-muted">
                    {formatFileSize(d.size)} · {formatDate(d.created_at)}
                    {d.uploaded_by_you ? ' · uploaded by you' : ''}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
