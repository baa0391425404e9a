import './webhooks.css';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { Webhook } from '../../api/types';
import { listWebhookEventTypes, listWebhooks } from '../../api/webhooks';
import { Alert } from '../../components/ui/alert';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { IconGlobe, IconPlus } from '../../components/ui/icons';
import { ProgressBar } from '../../components/ui/spinner';
import { Table, type Column } from '../../components/ui/table';
import { describeError } from '../../lib/errors';
import { formatDateTime, formatRelative } from '../../lib/format';
import { toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { SecretDialog } from './secret-dialog';
import { WebhookDialog } from './webhook-dialog';
import { eventsSummary, webhookStatus } from './webhooks-format';

/** Integrations → Webhooks: the company's webhooks; create one. */
export function WebhookListPage() {
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  useEffect(() => {
    document.title = 'Webhooks · Integrations · clientd';
  }, []);
  const list = useResource('webhooks', (signal) => listWebhooks(signal));
  const catalog = useResource('catalog', (signal) => listWebhookEventTypes(signal));
  const rows = list.data?.data ?? [];

  if (list.error instanceof ApiError && list.error.status === 403) {
    return (
      <EmptyState title="Webhooks need the webhooks permission">
        Owners and admins have it; ask one of them to give it to you, or to set up the webhook.
      </EmptyState>
    );
  }

  const columns: Column<Webhook>[] = [
    {
      key: 'url',
      header: 'Endpoint',
      primary: true,
      cell: (w) => (
        <div class="webhook-cell">
          <a class="webhook-cell__url" href={`/integrations/webhooks/${w.id}`}>
            {w.url}
          </a>
          {w.description ? <span class="muted">{w.description}</span> : null}
        </div>
      ),
    },
    { key: 'events', header: 'Events', label: 'Events', cell: (w) => <span>{eventsSummary(w.events)}</span> },
    {
      key: 'status',
      header: 'Status',
      label: 'Status',
      cell: (w) => {
        const s = webhookStatus(w);
        return (
          <Badge tone={s.tone} dot>
            {s.label}
          </Badge>
        );
      },
    },
    {
      key: 'last',
      header: 'Last delivery',
      label: 'Last delivery',
      hideOnPhone: true,
      cell: (w) => {
        const last = [w.last_success_at, w.last_failure_at].filter((x): x is string => !!x).sort().pop();
        if (!last) return <span class="muted">None yet</span>;
        const ok = last === w.last_success_at;
        return (
          <time dateTime={last} title={formatDateTime(last)} class={ok ? 'nowrap' : 'nowrap text-danger'}>
            {ok ? 'Delivered' : 'Failed'} {formatRelative(last)}
          </time>
        );
      },
    },
    { key: 'pending', header: 'Queued', align: 'right', label: 'Queued', cell: (w) => <span class="tabular">{w.pending_deliveries}</span> },
  ];

  return (
    <section class="card card--flush" aria-label="Webhooks">
      <ProgressBar active={list.loading && !!list.data} />
      <div class="toolbar toolbar--spread">
        <p class="muted">Events are sent to your endpoints as they happen: signed, retried for three days, logged.</p>
        <Button variant="primary" icon={<IconPlus size={16} />} onClick={() => setCreating(true)} disabled={!catalog.data}>
          New webhook
        </Button>
      </div>
      {list.error ? <Alert tone="danger" title={describeError(list.error).title}>{describeError(list.error).message}</Alert> : null}
      {list.data && rows.length === 0 ? (
        <EmptyState icon={<IconGlobe size={24} />} title="No webhooks yet" compact>
          Add one to send clientd's events to Zapier, Make, n8n or your own code.
        </EmptyState>
      ) : (
        <Table caption="Webhooks" columns={columns} rows={rows} rowKey={(w) => w.id} skeletonRows={list.data ? undefined : 3} />
      )}
      <WebhookDialog
        open={creating}
        catalog={catalog.data ?? []}
        onClose={() => setCreating(false)}
        onSaved={(w) => {
          setCreating(false);
          list.reload();
          toastSuccess('Webhook created');
          if ('secret' in w) setSecret(w.secret);
        }}
      />
      <SecretDialog secret={secret} title="Your webhook's signing secret" onClose={() => setSecret(null)} />
    </section>
  );
}
