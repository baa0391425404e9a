// Words and tones for webhooks and their deliveries, and the event
// picker's selection rules (pure, tested in webhooks-format.test.ts).
import type { BadgeTone } from '../../components/ui/badge';
import type { Webhook, WebhookDelivery, WebhookEventType } from '../../api/types';

export function webhookStatus(w: Pick<Webhook, 'status' | 'disabled_reason'>): { tone: BadgeTone; label: string } {
  if (w.status === 'active') return { tone: 'success', label: 'Active' };
  if (w.status === 'paused') return { tone: 'neutral', label: 'Paused' };
  return { tone: 'danger', label: w.disabled_reason === 'gone' ? 'Disabled: receiver gone' : 'Disabled: failing' };
}

/** Why the server disabled a webhook, and what to do, in a sentence. */
export function disabledExplanation(w: Pick<Webhook, 'disabled_reason'>): string {
  return w.disabled_reason === 'gone'
    ? 'The receiver answered 410 Gone (it unsubscribed), so nothing more is sent. Restart it if the receiver wants events again.'
    : 'Every attempt failed for three days, so deliveries stopped. Fix the receiver, then restart: the queued deliveries go out in order.';
}

export function deliveryStatus(d: Pick<WebhookDelivery, 'status' | 'attempts'>): { tone: BadgeTone; label: string } {
  if (d.status === 'delivered') return { tone: 'success', label: 'Delivered' };
  if (d.status === 'failed') return { tone: 'danger', label: 'Failed' };
  return d.attempts > 0 ? { tone: 'warning', label: 'Retrying' } : { tone: 'info', label: 'Queued' };
}

export function kindLabel(kind: WebhookDelivery['kind']): string | null {
  return kind === 'test' ? 'Test' : kind === 'resend' ? 'Resend' : null;
}

/** "All events", "All client events", or the types themselves. */
export function eventsSummary(events: readonly string[]): string {
  if (events.includes('*')) return 'All events';
  return events
    .map((e) => (e.endsWith('.*') ? `all ${e.slice(0, -2).replace('_', ' ')} events` : e))
    .join(', ')
    .replace(/^all/, 'All');
}

/** The catalog grouped by entity, in the catalog's order. */
export function groupByEntity(types: readonly WebhookEventType[]): { entity: string; types: string[] }[] {
  const out: { entity: string; types: string[] }[] = [];
  for (const t of types) {
    let g = out.find((x) => x.entity === t.entity);
    if (!g) out.push((g = { entity: t.entity, types: [] }));
    g.types.push(t.type);
  }
  return out;
}

/**
 * The picker's selection as the API takes it: "*" when every entity is
 * whole, "<entity>.*" for an entity with all its types, else the types.
 * (A whole entity subscribes to its future types too.)
 */
export function selectionToEvents(selected: ReadonlySet<string>, catalog: readonly WebhookEventType[], all: boolean): string[] {
  if (all) return ['*'];
  const out: string[] = [];
  for (const g of groupByEntity(catalog)) {
    if (selected.has(`${g.entity}.*`) || g.types.every((t) => selected.has(t))) out.push(`${g.entity}.*`);
    else out.push(...g.types.filter((t) => selected.has(t)));
  }
  return out;
}

/** The picker's state from a webhook's events. */
export function eventsToSelection(events: readonly string[], catalog: readonly WebhookEventType[]): { all: boolean; selected: Set<string> } {
  if (events.includes('*')) return { all: true, selected: new Set(catalog.map((t) => t.type)) };
  const selected = new Set<string>();
  for (const t of catalog) {
    if (events.includes(t.type) || events.includes(`${t.entity}.*`)) selected.add(t.type);
  }
  return { all: false, selected };
}

/** Pretty JSON for the payload viewer. */
export function prettyJson(v: unknown): string {
  return JSON.stringify(v, null, 2);
}
