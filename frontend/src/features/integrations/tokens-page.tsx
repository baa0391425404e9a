import { useEffect, useRef, useState } from 'preact/hooks';
import './integrations.css';
import { useLocation } from 'preact-iso';
import { ApiError } from '../../api/client';
import type { Token, TokenCreated } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { ConfirmDialog, Dialog } from '../../components/ui/dialog';
import { EmptyState } from '../../components/ui/empty-state';
import { Field } from '../../components/ui/field';
import { IconCheck, IconCopy, IconKey, IconPlus, IconTrash } from '../../components/ui/icons';
import { Select, TextInput } from '../../components/ui/input';
import { Pagination } from '../../components/ui/pagination';
import { ProgressBar } from '../../components/ui/spinner';
import { Table, type Column } from '../../components/ui/table';
import { localDay } from '../../lib/days';
import { describeError } from '../../lib/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import { isAdmin, useSession } from '../../lib/session';
import { toastError, toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { createToken, listTokens, revokeToken } from '../../api/tokens';
import { EXPIRY_CHOICES, expiryLabel, expiryOf, expiryState, lastUsed, type ExpiryChoice } from './token-format';

const PER_PAGE = 50;

/**
 * API tokens: scripts and integrations act with one as the user who made
 * it. The list shows each token's name, its prefix (to recognise it
 * without its secret), who made it, when it was last used and when it
 * expires; a new token's secret is shown once, with a copy button;
 * revoking one stops it at once. Members see their own tokens, owners and
 * admins every token of the company.
 */
export function TokensPage() {
  const { query } = useLocation();
  const me = useSession();
  const page = /^\d+$/.test(query.page ?? '') ? Math.max(1, Number(query.page)) : 1;
  const list = useResource(`tokens:${page}`, (signal) => listTokens(page, signal));
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<TokenCreated | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const [busy, setBusy] = useState(false);
  const rows = list.data?.data ?? [];

  useEffect(() => {
    document.title = 'API tokens · Integrations · clientd';
  }, []);
  const pg = list.data?.meta.pagination;
  const now = new Date();
  const admin = isAdmin(me);

  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    try {
      await revokeToken(revoking.id);
      toastSuccess(`Token “${revoking.name}” revoked`, 'Requests with it are refused from now on.');
      list.reload();
    } catch (e) {
      const d = describeError(e);
      toastError(d.title, d.message);
      list.reload();
    } finally {
      setBusy(false);
      setRevoking(null);
    }
  };

  const columns: Column<Token>[] = [
    {
      key: 'name',
      header: 'Name',
      primary: true,
      cell: (t) => (
        <div class="token-cell">
          <span class="token-cell__name">{t.name}</span>
          {expiryState(t.expires_at, now) === 'expired' ? <Badge tone="danger">Expired</Badge> : expiryState(t.expires_at, now) === 'soon' ? <Badge tone="warning">Expires soon</Badge> : null}
        </div>
      ),
    },
    { key: 'prefix', header: 'Token', label: 'Token', cell: (t) => <code class="token-prefix" title="The token’s first characters; the rest is never shown again">{t.prefix}…</code> },
    ...(admin ? [{ key: 'user', header: 'Made by', label: 'Made by', cell: (t: Token) => <span class="token-user">{t.user.email}</span> }] : []),
    {
      key: 'used',
      header: 'Last used',
      label: 'Last used',
      cell: (t) => (t.last_used_at ? <time dateTime={t.last_used_at} title={formatDateTime(t.last_used_at)}>{lastUsed(t.last_used_at, now)}</time> : <span class="muted">Never used</span>),
    },
    {
      key: 'created',
      header: 'Created',
      label: 'Created',
      hideOnPhone: true,
      cell: (t) => (
        <time dateTime={t.created_at} title={formatDateTime(t.created_at)}>
          {formatDate(t.created_at)}
        </time>
      ),
    },
    {
      key: 'expires',
      header: 'Expires',
      label: 'Expires',
      cell: (t) => (t.expires_at ? <time dateTime={t.expires_at} title={formatDateTime(t.expires_at)}>{expiryLabel(t.expires_at, now)}</time> : <span class="muted">Never</span>),
    },
    {
      key: 'revoke',
      header: <span class="sr-only">Actions</span>,
      align: 'right',
      cell: (t) => (
        <Button size="sm" variant="danger-ghost" icon={<IconTrash size={15} />} aria-label={`Revoke ${t.name}`} onClick={() => setRevoking(t)}>
          Revoke
        </Button>
      ),
    },
  ];

  return (
    <div class="tokens">
      <div class="tokens__intro">
        <p class="muted">
          A token lets a script act as the user who made it, with that user’s permissions: send it as <code>X-API-Token</code> or <code>Authorization: Bearer</code>.{' '}
          {admin ? 'As an owner or admin you see every token of the company.' : 'You see the tokens you made.'}
        </p>
        <Button variant="primary" icon={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          New token
        </Button>
      </div>

      <section class="card card--flush" aria-label="API tokens">
        <ProgressBar active={list.loading && Boolean(list.data)} label="Loading tokens" />
        {list.error && !list.data ? (
          <div class="card__pad">
            <Alert tone="danger" title="The tokens could not be loaded" assertive actions={<Button size="sm" onClick={list.reload}>Try again</Button>}>
              {describeError(list.error).title}.
            </Alert>
          </div>
        ) : list.data && rows.length === 0 ? (
          <EmptyState
            icon={<IconKey size={22} />}
            title="No API tokens yet"
            action={
              <Button variant="primary" icon={<IconPlus size={16} />} onClick={() => setCreating(true)}>
                New token
              </Button>
            }
          >
            Make one for each script or service, named after it, so that you can revoke one without stopping the others.
          </EmptyState>
        ) : (
          <Table caption="API tokens, newest first" columns={columns} rows={rows} rowKey={(t) => t.id} skeletonRows={list.data ? undefined : 3} busy={list.loading && Boolean(list.data)} />
        )}
        {pg && pg.total_pages > 1 ? (
          <div class="card__foot">
            <Pagination page={pg.current_page} totalPages={pg.total_pages} total={pg.total} perPage={PER_PAGE} hrefFor={(p) => (p > 1 ? `/integrations/tokens?page=${p}` : '/integrations/tokens')} noun={['token', 'tokens']} />
          </div>
        ) : null}
      </section>

      <NewTokenDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(t) => {
          setCreating(false);
          setSecret(t);
          list.reload();
        }}
      />
      <SecretDialog token={secret} onClose={() => setSecret(null)} />
      <ConfirmDialog open={revoking !== null} title={`Revoke “${revoking?.name ?? ''}”?`} confirmLabel="Revoke token" danger busy={busy} onCancel={() => setRevoking(null)} onConfirm={revoke}>
        <p>Every script or service that uses it ({revoking?.prefix}…) is refused from now on. This cannot be undone: make a new token to connect it again.</p>
      </ConfirmDialog>
    </div>
  );
}

/** The new token's name and expiry; its answer carries the secret. */
function NewTokenDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (t: TokenCreated) => void }) {
  const [name, setName] = useState('');
  const [choice, setChoice] = useState<ExpiryChoice>('90');
  const [day, setDay] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setName('');
    setChoice('90');
    setDay('');
    setErrors({});
    setError(null);
  }, [open]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = 'Name the token after the script or service that uses it';
    const exp = expiryOf(choice, day);
    if (!exp.ok) local.expires_at = exp.error;
    setErrors(local);
    if (Object.keys(local).length > 0 || !exp.ok) return;
    setBusy(true);
    setError(null);
    try {
      onCreated(await createToken(name.trim(), exp.value));
    } catch (x) {
      if (x instanceof ApiError && Object.keys(x.fieldErrors).length > 0) setErrors(x.fieldErrors);
      else setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      title="New API token"
      onClose={onClose}
      busy={busy}
      size="sm"
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="new-token-form" loading={busy}>
            Create token
          </Button>
        </>
      }
    >
      <form id="new-token-form" class="token-form" onSubmit={submit} noValidate>
        <Field label="Name" error={errors.name} hint="What uses it: “Nightly export”, “Zapier”." id="token-name">
          {(c) => <TextInput {...c} value={name} maxLength={100} autoComplete="off" onInput={(e) => setName(e.currentTarget.value)} data-autofocus />}
        </Field>
        <Field label="Expires" error={errors.expires_at} hint={choice === 'never' ? 'It works until it is revoked.' : 'It stops working by itself then; you can revoke it sooner.'} id="token-expiry">
          {(c) => (
            <Select {...c} value={choice} onChange={(e) => setChoice(e.currentTarget.value as ExpiryChoice)}>
              {EXPIRY_CHOICES.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {choice === 'date' ? (
          <Field label="Expiry day" id="token-expiry-day">
            {(c) => <TextInput {...c} type="date" value={day} min={localDay(new Date(Date.now() + 86400_000))} onInput={(e) => setDay(e.currentTarget.value)} />}
          </Field>
        ) : null}
        {error ? (
          <Alert tone="danger" title={describeError(error).title} assertive>
            {describeError(error).message}
          </Alert>
        ) : null}
      </form>
    </Dialog>
  );
}

/** Copies text: the Clipboard API, else the selected input and the old copy command. */
async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!input) return false;
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

/** The new token's secret, shown this once, with a copy button. */
function SecretDialog({ token, onClose }: { token: TokenCreated | null; onClose: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setCopied(null), [token?.id]);

  const copy = async () => setCopied(await copyText(token?.token ?? '', input.current));

  return (
    <Dialog
      open={token !== null}
      title="Copy your new token"
      onClose={onClose}
      size="sm"
      footer={
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      }
    >
      {token ? (
        <div class="token-secret">
          <p>
            <strong>{token.name}</strong> is ready. This is the only time its secret is shown: copy it now and keep it where the script can read it.
          </p>
          <div class="token-secret__row">
            <label class="sr-only" for="token-secret">
              The token
            </label>
            <input ref={input} id="token-secret" class="input input--mono token-secret__value" readOnly value={token.token} onFocus={(e) => e.currentTarget.select()} data-testid="token-secret" />
            <Button icon={copied ? <IconCheck size={16} /> : <IconCopy size={16} />} onClick={copy} data-autofocus>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </div>
          <p class="token-secret__status" aria-live="polite">
            {copied === true ? 'Copied to the clipboard.' : copied === false ? 'The clipboard is not available here: the token is selected, press Ctrl+C (⌘C) to copy it.' : ''}
          </p>
          <p class="muted">{token.expires_at ? `It expires ${formatDateTime(token.expires_at)}.` : 'It does not expire: revoke it when it is no longer needed.'}</p>
        </div>
      ) : null}
    </Dialog>
  );
}
