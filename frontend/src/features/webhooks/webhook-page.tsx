import './webhooks.css';
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import type { Webhook } from '../../api/types';
import { deleteWebhook, getWebhook, listWebhookEventTypes, rotateWebhookSecret, testWebhook, updateWebhook } from '../../api/webhooks';
import { Alert } from '../../components/ui/alert';
import { Badge } from '../../components/ui/badge';
import { Button, ButtonLink } from '../../components/ui/button';
import { ConfirmDialog } from '../../components/ui/dialog';
import { IconArrowLeft, IconEdit, IconLock, IconRefresh, IconTrash } from '../../components/ui/icons';
import { LoadingBlock } from '../../components/ui/spinner';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { toastError, toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { DeliveryLog } from './delivery-log';
import { SecretDialog } from './secret-dialog';
import { WebhookDialog } from './webhook-dialog';
import { disabledExplanation, eventsSummary, webhookStatus } from './webhooks-format';

/** One webhook: what it sends where, its actions, and its delivery log. */
export function WebhookPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id ?? '';
  const hook = useResource(id, (signal) => getWebhook(id, signal));
  const catalog = useResource('catalog', (signal) => listWebhookEventTypes(signal));
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<'delete' | 'rotate' | null>(null);
  const [secret, setSecret] = useState<{ value: string; until: string | null } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [logKey, setLogKey] = useState(0);

  useEffect(() => {
    document.title = `${hook.data?.url ?? 'Webhook'} · Integrations · clientd`;
  }, [hook.data?.url]);

  if (hook.error) {
    return (
      <Alert tone="danger" title={describeError(hook.error).title} actions={<ButtonLink href="/integrations/webhooks">Back to webhooks</ButtonLink>}>
        {describeError(hook.error).message}
      </Alert>
    );
  }
  if (!hook.data) return <LoadingBlock label="Loading the webhook…" />;
  const w: Webhook = hook.data;
  const st = webhookStatus(w);

  const act = async (name: string, fn: () => Promise<void>) => {
    setBusy(name);
    try {
      await fn();
    } catch (x) {
      toastError(describeError(x).title, describeError(x).message);
    } finally {
      setBusy(null);
    }
  };
  const setStatus = (status: 'active' | 'paused') =>
    act(status, async () => {
      hook.setData(await updateWebhook(w.id, { status }));
      toastSuccess(status === 'paused' ? 'Webhook paused' : 'Webhook active');
      setLogKey((n) => n + 1);
    });
  const sendTest = () =>
    act('test', async () => {
      await testWebhook(w.id);
      toastSuccess('Test sent', 'A “ping” is on its way; its result shows in the log.');
      setLogKey((n) => n + 1);
    });

  return (
    <>
      <a class="back-link" href="/integrations/webhooks">
        <IconArrowLeft size={16} /> All webhooks
      </a>
      <section class="card webhook-head" aria-label="Webhook">
        <div class="webhook-head__title">
          <h2 class="webhook-head__url">{w.url}</h2>
          <Badge tone={st.tone} dot>
            {st.label}
          </Badge>
        </div>
        {w.description ? <p>{w.description}</p> : null}
        {w.status === 'disabled' ? (
          <Alert tone="danger" title={`Disabled ${w.disabled_at ? formatDateTime(w.disabled_at) : ''}`} actions={<Button onClick={() => setStatus('active')} loading={busy === 'active'}>Restart</Button>}>
            {disabledExplanation(w)}
          </Alert>
        ) : null}
        {w.status === 'active' && w.failing_since ? (
          <Alert tone="warning" title={`Failing since ${formatDateTime(w.failing_since)}`}>
            Deliveries are retried for three days; after that the webhook is disabled and its owner is emailed.
          </Alert>
        ) : null}
        <dl class="webhook-facts">
          <dt>Events</dt>
          <dd>{eventsSummary(w.events)}</dd>
          <dt>Signing secret</dt>
          <dd>
            <code>{w.secret_hint}…</code>
            {w.previous_secret_expires_at ? <span class="muted"> (the previous one signs too until {formatDateTime(w.previous_secret_expires_at)})</span> : null}
          </dd>
          <dt>Custom headers</dt>
          <dd>{Object.keys(w.headers).length > 0 ? Object.keys(w.headers).join(', ') : <span class="muted">None</span>}</dd>
          <dt>Last success</dt>
          <dd>{w.last_success_at ? formatDateTime(w.last_success_at) : <span class="muted">None yet</span>}</dd>
          <dt>Queued</dt>
          <dd class="tabular">{w.pending_deliveries}</dd>
        </dl>
        <div class="webhook-actions">
          <Button variant="primary" icon={<IconRefresh size={16} />} onClick={sendTest} loading={busy === 'test'}>
            Send test
          </Button>
          {w.status === 'active' ? (
            <Button onClick={() => setStatus('paused')} loading={busy === 'paused'}>
              Pause
            </Button>
          ) : w.status === 'paused' ? (
            <Button onClick={() => setStatus('active')} loading={busy === 'active'}>
              Resume
            </Button>
          ) : null}
          <Button icon={<IconEdit size={16} />} onClick={() => setEditing(true)} disabled={!catalog.data}>
            Edit
          </Button>
          <Button icon={<IconLock size={16} />} onClick={() => setConfirm('rotate')}>
            Rotate secret
          </Button>
          <Button variant="danger" icon={<IconTrash size={16} />} onClick={() => setConfirm('delete')}>
            Delete
          </Button>
        </div>
      </section>

      <DeliveryLog webhookId={w.id} refreshKey={logKey} />

      <WebhookDialog
        open={editing}
        webhook={w}
        catalog={catalog.data ?? []}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          setEditing(false);
          hook.setData(saved);
          toastSuccess('Webhook saved');
        }}
      />
      <ConfirmDialog
        open={confirm === 'rotate'}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        busy={busy === 'rotate'}
        onCancel={() => setConfirm(null)}
        onConfirm={() =>
          act('rotate', async () => {
            const r = await rotateWebhookSecret(w.id);
            setConfirm(null);
            hook.setData(r);
            setSecret({ value: r.secret, until: r.previous_secret_expires_at });
          })
        }
      >
        A new secret signs every delivery from now on. The current one signs too for 24 hours, so the receiver can switch over without missing an event.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'delete'}
        title="Delete this webhook?"
        confirmLabel="Delete webhook"
        danger
        busy={busy === 'delete'}
        onCancel={() => setConfirm(null)}
        onConfirm={() =>
          act('delete', async () => {
            await deleteWebhook(w.id);
            toastSuccess('Webhook deleted');
            route('/integrations/webhooks');
          })
        }
      >
        Nothing more is sent to {w.url}, deliveries still queued are dropped, and its log goes with it.
      </ConfirmDialog>
      <SecretDialog secret={secret?.value ?? null} previousUntil={secret?.until} title="The new signing secret" onClose={() => setSecret(null)} />
    </>
  );
}
