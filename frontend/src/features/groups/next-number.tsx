import { Spinner } from '../../components/ui/spinner';
import { useResource } from '../../lib/use-resource';
import { previewClientNumber } from '../../api/settings';

/** The number the group's next new client gets (asked again after each settings change). */
export function NextNumber({ groupId, version }: { groupId: string; version: number }) {
  const res = useResource(`next-number:${groupId}:${version}`, (signal) => previewClientNumber({ group: groupId }, signal));
  const p = res.data;
  return (
    <section class="card group-card" aria-labelledby="group-number-title">
      <h2 class="card__title" id="group-number-title">
        Next client number {res.loading ? <Spinner size={12} /> : null}
      </h2>
      {res.error ? (
        <p class="muted">The next number cannot be shown right now.</p>
      ) : p ? (
        <>
          <p class="group-card__number" aria-live="polite">
            {p.number}
          </p>
          <p class="muted group-card__meta">
            Pattern <code>{p.pattern}</code>, {p.counter_level === 'group' ? "the group's own counter" : "the company's counter"}.
          </p>
        </>
      ) : (
        <p class="group-card__number">&nbsp;</p>
      )}
    </section>
  );
}
