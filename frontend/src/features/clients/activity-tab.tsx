import { useEffect, useState } from 'preact/hooks';
import type { Event } from '../../api/types';
import { isAbort } from '../../api/client';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { IconActivity, IconArchive, IconEdit, IconMerge, IconPlus, IconRestore, IconTrash } from '../../components/ui/icons';
import { LoadingBlock } from '../../components/ui/spinner';
import { describeError } from '../../lib/errors';
import { formatDateTime, formatRelative } from '../../lib/format';
import { listActivity } from '../../api/clients';
import { describeEvent, type EventView, type Shown } from './activity-format';

const ICON: Record<EventView['tone'], typeof IconEdit> = {
  created: IconPlus,
  updated: IconEdit,
  archived: IconArchive,
  restored: IconRestore,
  deleted: IconTrash,
  merged: IconMerge,
  purged: IconTrash,
};

interface ActivityTabProps {
  clientId: string;
  /** reloads when the client changes (a new version means a new event) */
  version: number;
  contactNames: Record<string, string>;
  /** the client's currency: money of (older) events that do not name theirs */
  currency: string;
}

/** A value of a change: linked when it names something with a page; the API's own value in the tooltip. */
function Value({ v, cls }: { v: Shown; cls: string }) {
  const title = v.raw && v.raw !== v.text ? v.raw : undefined;
  if (v.href) {
    return (
      <a class={cls} href={v.href} title={title}>
        {v.text}
      </a>
    );
  }
  return (
    <span class={cls} title={title}>
      {v.text}
    </span>
  );
}

export function ActivityTab({ clientId, version, contactNames, currency }: ActivityTabProps) {
  const [events, setEvents] = useState<Event[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [more, setMore] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const ac = new AbortController();
    setError(null);
    listActivity(clientId, null, ac.signal)
      .then((r) => {
        setEvents(r.data);
        setCursor(r.meta.next_cursor);
        setTotal(r.meta.pagination.total);
      })
      .catch((e: unknown) => {
        if (!isAbort(e)) setError(e);
      });
    return () => ac.abort();
  }, [clientId, version, tick]);

  const loadMore = async () => {
    if (!cursor) return;
    setMore(true);
    try {
      const r = await listActivity(clientId, cursor);
      setEvents((old) => [...(old ?? []), ...r.data]);
      setCursor(r.meta.next_cursor);
    } catch (e) {
      setError(e);
    } finally {
      setMore(false);
    }
  };

  if (error && !events) {
    return (
      <Alert tone="danger" title="The activity could not be loaded" assertive actions={<Button size="sm" onClick={() => setTick((t) => t + 1)}>Try again</Button>}>
        {describeError(error).title}.
      </Alert>
    );
  }
  if (!events) return <LoadingBlock label="Loading activity…" />;
  if (events.length === 0) {
    return <EmptyState icon={<IconActivity size={22} />} title="No activity yet" compact>Every change to this client and its contacts will be listed here.</EmptyState>;
  }
  const now = new Date();
  return (
    <section class="card" aria-labelledby="activity-title">
      <h2 class="card__title" id="activity-title">
        Activity <span class="card__count">{total}</span>
      </h2>
      <ol class="timeline">
        {events.map((ev) => {
          const v = describeEvent(ev, { contactNames, currency });
          const Icon = ICON[v.tone];
          return (
            <li key={ev.id} class={`timeline__item timeline__item--${v.tone}`} data-event-type={ev.type}>
              <span class="timeline__icon" aria-hidden="true">
                <Icon size={14} />
              </span>
              <div class="timeline__body">
                <p class="timeline__title">
                  <span class="timeline__what">{v.title}</span>
                  <span class="timeline__meta">
                    {ev.actor.name ? <>by {ev.actor.name}{ev.actor.impersonated_by ? <> (staff: {ev.actor.impersonated_by.name})</> : null} · </> : null}
                    <time dateTime={ev.created_at} title={formatDateTime(ev.created_at)}>
                      {formatRelative(ev.created_at, now)}
                    </time>
                  </span>
                </p>
                {v.lines.length > 0 ? (
                  <ul class="changes">
                    {v.lines.map((l, i) =>
                      l.kind === 'note' ? (
                        <li key={i} class="changes__note">
                          {l.parts ? l.parts.map((p, j) => (typeof p === 'string' ? p : <Value key={j} v={p} cls="changes__ref" />)) : l.text}
                        </li>
                      ) : (
                        <li key={i} class="changes__diff">
                          <span class="changes__label">{l.label}</span>
                          <span class="changes__values">
                            {l.before.text === '—' ? (
                              <Value v={l.after} cls="changes__after" />
                            ) : l.after.text === '—' ? (
                              <>
                                <Value v={l.before} cls="changes__before" />
                                <span class="changes__set">cleared</span>
                              </>
                            ) : (
                              <>
                                <Value v={l.before} cls="changes__before" />
                                <span class="changes__arrow" aria-label="changed to">
                                  →
                                </span>
                                <Value v={l.after} cls="changes__after" />
                              </>
                            )}
                          </span>
                        </li>
                      ),
                    )}
                  </ul>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
      {cursor ? (
        <div class="timeline__more">
          <Button onClick={loadMore} loading={more}>
            Show older activity
          </Button>
        </div>
      ) : null}
      {error && events ? <Alert tone="danger" title={describeError(error).title} /> : null}
    </section>
  );
}
