import { useEffect, useState } from 'preact/hooks';
import type { WebhookDelivery } from '../../api/types';
import { getWebhookDelivery, listWebhookDeliveries, retryWebhookDelivery } from '../../api/webhooks';
import { Alert } from '../../components/ui/alert';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { IconChevronDown, IconChevronRight, IconRefresh } from '../../components/ui/icons';
import { Segmented } from '../../components/ui/segmented';
import { LoadingBlock } from '../../components/ui/spinner';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { toastError, toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { deliveryStatus, kindLabel, prettyJson } from './webhooks-format';

type Filter = 'all' | 'failed' | 'pending' | 'delivered';
const FILTERS = [
  { value: 'all', label: 'All' },
  { value: 'failed', label: 'Failed' },
  { value: 'pending', label: 'Pending' },
  { value: 'delivered', label: 'Delivered' },
] as const;

/** One delivery opened: its attempts, the payload and the answers. */
function DeliveryDetail({ webhookId, delivery }: { webhookId: string; delivery: WebhookDelivery }) {
  const detail = useResource(`${delivery.id}|${delivery.attempts}|${delivery.status}`, (signal) => getWebhookDelivery(webhookId, delivery.id, signal));
  if (!detail.data) return <LoadingBlock label="Loading the delivery…" />;
  const d = detail.data;
  return (
    <div class="delivery-detail">
      <h4>Attempts</h4>
      {d.attempt_log.length === 0 ? <p class="muted">Not attempted yet.</p> : null}
      <ol class="attempts">
        {d.attempt_log.map((a, i) => (
          <li key={i} class={`attempt attempt--${a.outcome}`}>
            <div class="attempt__head">
              <time dateTime={a.at}>{formatDateTime(a.at)}</time>
              <span class="attempt__code">{a.status_code ?? 'no answer'}</span>
              <span class="muted">{a.latency_ms} ms</span>
              <span>{a.outcome === 'retry' ? `retry ${a.next_attempt_at ? formatDateTime(a.next_attempt_at) : ''}` : a.outcome}</span>
            </div>
            {a.error ? <p class="attempt__error">{a.error}</p> : null}
            {a.response_excerpt ? (
              <pre class="attempt__response" aria-label="Response">
                {a.response_excerpt}
              </pre>
            ) : null}
          </li>
        ))}
      </ol>
      <h4>Payload</h4>
      <p class="muted">
        webhook-id <code>{d.message_id}</code>
      </p>
      <pre class="payload" aria-label="Payload">
        {prettyJson(d.payload)}
      </pre>
    </div>
  );
}

/** A webhook's deliveries, newest first, refreshed every few seconds. */
export function DeliveryLog({ webhookId, refreshKey }: { webhookId: string; refreshKey: number }) {
  const [filter, setFilter] = useState<Filter>('all');
  const [open, setOpen] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const log = useResource(`${webhookId}|${filter}|${refreshKey}|${tick}`, (signal) =>
    listWebhookDeliveries(webhookId, { status: filter === 'all' ? undefined : filter, per_page: 50 }, signal),
  );
  useEffect(() => {
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
    }, 4000);
    return () => clearInterval(t);
  }, []);

  const resend = async (d: WebhookDelivery) => {
    setBusy(d.id);
    try {
      await retryWebhookDelivery(webhookId, d.id);
      toastSuccess(d.status === 'pending' ? 'Trying it now' : 'Sent again', `Event ${d.event.type}`);
      setTick((n) => n + 1);
    } catch (x) {
      toastError(describeError(x).title, describeError(x).message);
    } finally {
      setBusy(null);
    }
  };

  const rows = log.data?.data ?? [];
  return (
    <section class="card" aria-label="Delivery log">
      <div class="toolbar toolbar--spread">
        <h3 class="card__title">Delivery log</h3>
        <div class="toolbar__group">
          <Segmented label="Show" value={filter} options={FILTERS} onChange={(v) => setFilter(v)} />
          <Button variant="ghost" iconOnly icon={<IconRefresh size={16} />} aria-label="Refresh the log" onClick={() => setTick((n) => n + 1)} />
        </div>
      </div>
      {log.error ? <Alert tone="danger" title={describeError(log.error).title}>{describeError(log.error).message}</Alert> : null}
      {log.data && rows.length === 0 ? (
        <EmptyState title={filter === 'all' ? 'Nothing delivered yet' : `No ${filter} deliveries`} compact>
          Deliveries appear here as events happen; “Send test” sends one now.
        </EmptyState>
      ) : null}
      <ul class="deliveries">
        {rows.map((d) => {
          const s = deliveryStatus(d);
          const kind = kindLabel(d.kind);
          const last = d.attempt_log[d.attempt_log.length - 1];
          const isOpen = open === d.id;
          return (
            <li key={d.id} class={`delivery delivery--${s.tone}`} data-delivery={d.id}>
              <div class="delivery__row">
                <button type="button" class="delivery__toggle" aria-expanded={isOpen ? 'true' : 'false'} onClick={() => setOpen(isOpen ? null : d.id)}>
                  {isOpen ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                  <Badge tone={s.tone} dot>
                    {s.label}
                  </Badge>
                  <code class="delivery__type">{d.event.type}</code>
                  {kind ? <Badge tone="neutral">{kind}</Badge> : null}
                </button>
                <span class="delivery__meta">
                  <time dateTime={d.created_at}>{formatDateTime(d.created_at)}</time>
                  <span>{d.attempts === 1 ? '1 attempt' : `${d.attempts} attempts`}</span>
                  {last ? <span class="tabular">{last.status_code ?? '—'} · {last.latency_ms} ms</span> : null}
                  {d.status === 'pending' && d.next_attempt_at ? <span>next {formatDateTime(d.next_attempt_at)}</span> : null}
                </span>
                <Button size="sm" icon={<IconRefresh size={14} />} loading={busy === d.id} onClick={() => resend(d)} aria-label={`Resend ${d.event.type} of ${formatDateTime(d.created_at)}`}>
                  {d.status === 'pending' ? 'Try now' : 'Resend'}
                </Button>
              </div>
              {isOpen ? <DeliveryDetail webhookId={webhookId} delivery={d} /> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
