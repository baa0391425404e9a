import './email-page.css';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { getMail, listMail, type Mail, type MailFull } from '../../api/mail';
import type { ListOf } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { LoadingBlock } from '../../components/ui/spinner';
import { formatDateTime } from '../../lib/format';

type Status = 'queued' | 'sent' | 'failed' | undefined;

const TONE = { queued: 'info', sent: 'success', failed: 'danger' } as const;
const KIND: Record<Mail['kind'], string> = {
  invitation: 'Invitation', reset: 'Password reset', magic: 'Sign-in link', registration: 'Registration',
  registration_exists: 'Already registered', password_changed: 'Password changed',
  webhook_disabled: 'Webhook disabled',
};

function MailBody({ id }: { id: string }) {
  const [m, setM] = useState<MailFull | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    getMail(id, ac.signal).then(setM, (e) => {
      if (!ac.signal.aborted) setFailure(e instanceof ApiError ? e.message : 'could not load');
    });
    return () => ac.abort();
  }, [id]);
  if (failure) return <Alert tone="danger" title={failure} />;
  if (!m) return <LoadingBlock label="Loading the mail…" />;
  return (
    <div class="mail-body">
      <pre class="mail-body__text" data-testid="mail-text">
        {m.text.split(/(https?:\/\/\S+)/).map((part, i) => (i % 2 === 1 ? <a key={i} href={part} target="_blank" rel="noopener noreferrer">{part}</a> : part))}
      </pre>
      <h3 class="mail-body__title">Attempts</h3>
      {m.attempt_log.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <ol class="mail-attempts">
          {m.attempt_log.map((a, i) => (
            <li key={i}>
              {formatDateTime(a.at)}: {a.ok ? 'delivered' : `failed: ${a.error ?? 'unknown'}`} ({a.duration_ms} ms)
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/**
 * Email (admins): every mail clientd wrote, newest first, with its status,
 * attempts and last error; a mail opens to its body (a link in it can be
 * followed from here while it is valid) and each attempt.
 */
export function EmailPage() {
  const [status, setStatus] = useState<Status>(undefined);
  const [page, setPage] = useState(1);
  const [list, setList] = useState<ListOf<Mail> | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    document.title = 'Email · clientd';
    const ac = new AbortController();
    listMail(page, status, ac.signal).then(setList, (e) => {
      if (!ac.signal.aborted) setFailure(e instanceof ApiError ? e.message : 'could not load');
    });
    return () => ac.abort();
  }, [page, status, tick]);

  const filters: [Status, string][] = [[undefined, 'All'], ['queued', 'Queued'], ['sent', 'Sent'], ['failed', 'Failed']];
  return (
    <div class="page">
      <div class="page__head">
        <div>
          <h1 class="page__title">Email</h1>
          <p class="page__subtitle">What clientd sent your clients' contacts: invitations, password resets, sign-in links, registrations.</p>
        </div>
        <Button variant="secondary" onClick={() => setTick(tick + 1)}>
          Refresh
        </Button>
      </div>
      <div class="mail-filters" role="group" aria-label="Status">
        {filters.map(([s, label]) => (
          <Button key={label} size="sm" variant={status === s ? 'primary' : 'secondary'} aria-pressed={status === s} onClick={() => { setStatus(s); setPage(1); }}>
            {label}
          </Button>
        ))}
      </div>
      {failure ? <Alert tone="danger" title="The outbox could not be loaded">{failure}</Alert> : null}
      {list === null ? (
        <LoadingBlock label="Loading email…" />
      ) : list.data.length === 0 ? (
        <EmptyState title="No email yet">Invite a contact to the client portal (a client's Overview, its contacts) and the invitation shows up here.</EmptyState>
      ) : (
        <ul class="mail-list">
          {list.data.map((m) => (
            <li key={m.id} class="mail-item">
              <button type="button" class="mail-item__row" aria-expanded={open === m.id} onClick={() => setOpen(open === m.id ? null : m.id)}>
                <span class="mail-item__subject">{m.subject}</span>
                <span class="mail-item__meta">
                  <Badge tone={TONE[m.status]}>{m.status}</Badge> {KIND[m.kind]} · to {m.to} · {formatDateTime(m.created_at)} · {m.attempts} {m.attempts === 1 ? 'attempt' : 'attempts'}
                </span>
                {m.last_error ? <span class="mail-item__error">Last error: {m.last_error}</span> : null}
              </button>
              {open === m.id ? <MailBody id={m.id} /> : null}
            </li>
          ))}
        </ul>
      )}
      {list && list.meta.pagination.total_pages > 1 ? (
        <div class="mail-pages">
          <Button size="sm" variant="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Newer
          </Button>
          <span>
            Page {page} of {list.meta.pagination.total_pages}
          </span>
          <Button size="sm" variant="secondary" disabled={page >= list.meta.pagination.total_pages} onClick={() => setPage(page + 1)}>
            Older
          </Button>
        </div>
      ) : null}
    </div>
  );
}
