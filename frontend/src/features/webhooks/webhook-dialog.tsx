import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { Webhook, WebhookEventType, WebhookWithSecret } from '../../api/types';
import { createWebhook, updateWebhook } from '../../api/webhooks';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Checkbox } from '../../components/ui/checkbox';
import { Dialog } from '../../components/ui/dialog';
import { Field } from '../../components/ui/field';
import { IconPlus, IconTrash } from '../../components/ui/icons';
import { TextInput, Textarea } from '../../components/ui/input';
import { describeError } from '../../lib/errors';
import { eventsToSelection, groupByEntity, selectionToEvents } from './webhooks-format';

interface WebhookDialogProps {
  open: boolean;
  /** the webhook to edit; none to create one */
  webhook?: Webhook | null;
  catalog: WebhookEventType[];
  onClose: () => void;
  onSaved: (w: Webhook | WebhookWithSecret) => void;
}

interface HeaderRow {
  name: string;
  value: string;
}

/** Creating or editing a webhook: URL, description, events, custom headers. */
export function WebhookDialog({ open, webhook, catalog, onClose, onSaved }: WebhookDialogProps) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [all, setAll] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [headers, setHeaders] = useState<HeaderRow[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setUrl(webhook?.url ?? '');
    setDescription(webhook?.description ?? '');
    const s = eventsToSelection(webhook?.events ?? [], catalog);
    setAll(s.all);
    setSelected(s.selected);
    setHeaders(Object.entries(webhook?.headers ?? {}).map(([name, value]) => ({ name, value })));
    setErrors({});
    setError(null);
  }, [open, webhook?.id, catalog.length]);

  const toggle = (types: string[], on: boolean) => {
    const next = new Set(selected);
    for (const t of types) {
      if (on) next.add(t);
      else next.delete(t);
    }
    setSelected(next);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const events = selectionToEvents(selected, catalog, all);
    const local: Record<string, string> = {};
    if (!url.trim()) local.url = 'Enter the URL that receives the events';
    if (events.length === 0) local.events = 'Choose at least one event';
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    const hdrs = Object.fromEntries(headers.filter((h) => h.name.trim()).map((h) => [h.name.trim(), h.value]));
    const body = { url: url.trim(), events, headers: hdrs, description: description.trim() };
    setBusy(true);
    setErrors({});
    setError(null);
    try {
      onSaved(webhook ? await updateWebhook(webhook.id, body) : await createWebhook(body));
    } catch (x) {
      if (x instanceof ApiError && Object.keys(x.fieldErrors).length > 0) {
        const fe: Record<string, string> = {};
        for (const [k, v] of Object.entries(x.fieldErrors)) fe[k.startsWith('events') ? 'events' : k.startsWith('headers') ? 'headers' : k] = v;
        setErrors(fe);
        if (!fe.url && !fe.events && !fe.headers) setError(x);
      } else setError(x);
    } finally {
      setBusy(false);
    }
  };

  const groups = groupByEntity(catalog);
  return (
    <Dialog
      open={open}
      title={webhook ? 'Edit webhook' : 'New webhook'}
      onClose={onClose}
      busy={busy}
      size="lg"
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="webhook-form" loading={busy}>
            {webhook ? 'Save webhook' : 'Create webhook'}
          </Button>
        </>
      }
    >
      <form id="webhook-form" class="webhook-form" onSubmit={submit} noValidate>
        {error ? <Alert tone="danger" title={describeError(error).title}>{describeError(error).message}</Alert> : null}
        <Field label="Endpoint URL" required error={errors.url} hint="https://… The receiver answers 2xx to acknowledge each event.">
          {(c) => <TextInput {...c} type="url" value={url} placeholder="https://example.com/hooks/clientd" autoComplete="off" maxLength={2048} onInput={(e) => setUrl(e.currentTarget.value)} data-autofocus />}
        </Field>
        <Field label="Description" error={errors.description}>
          {(c) => <Textarea {...c} rows={2} maxLength={500} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
        </Field>
        <fieldset class="event-picker" aria-describedby={errors.events ? 'events-error' : undefined}>
          <legend>Events</legend>
          <Checkbox label={<strong>All events, including types added later</strong>} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
          <div class={all ? 'event-picker__groups event-picker__groups--off' : 'event-picker__groups'}>
            {groups.map((g) => {
              const n = g.types.filter((t) => selected.has(t)).length;
              return (
                <div class="event-picker__group" key={g.entity}>
                  <Checkbox
                    label={<span class="event-picker__entity">{g.entity.replace('_', ' ')}</span>}
                    checked={n === g.types.length}
                    indeterminate={n > 0 && n < g.types.length}
                    disabled={all}
                    onChange={(e) => toggle(g.types, e.currentTarget.checked)}
                  />
                  <ul>
                    {g.types.map((t) => (
                      <li key={t}>
                        <Checkbox label={<code>{t}</code>} checked={selected.has(t)} disabled={all} onChange={(e) => toggle([t], e.currentTarget.checked)} />
                      </li>
                    ))}
                  </ul>
                </div>
              );
            })}
          </div>
          {errors.events ? (
            <p class="field__error" id="events-error">
              {errors.events}
            </p>
          ) : null}
        </fieldset>
        <fieldset class="header-rows">
          <legend>Custom headers</legend>
          <p class="muted">Sent with every delivery, for the receiver's own authentication (say). At most 10.</p>
          {headers.map((h, i) => (
            <div class="header-rows__row" key={i}>
              <TextInput aria-label={`Header ${i + 1} name`} placeholder="X-Api-Key" value={h.name} maxLength={64} onInput={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)))} />
              <TextInput aria-label={`Header ${i + 1} value`} placeholder="value" value={h.value} maxLength={1024} onInput={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, value: e.currentTarget.value } : x)))} />
              <Button variant="ghost" iconOnly icon={<IconTrash size={16} />} aria-label={`Remove header ${i + 1}`} onClick={() => setHeaders(headers.filter((_, j) => j !== i))} />
            </div>
          ))}
          {errors.headers ? <p class="field__error">{errors.headers}</p> : null}
          {headers.length < 10 ? (
            <Button size="sm" icon={<IconPlus size={14} />} onClick={() => setHeaders([...headers, { name: '', value: '' }])}>
              Add header
            </Button>
          ) : null}
        </fieldset>
      </form>
    </Dialog>
  );
}
