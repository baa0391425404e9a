import { Badge } from '../../components/ui/badge';
import { Skeleton } from '../../components/ui/spinner';
import { describeError } from '../../lib/errors';
import { useResource } from '../../lib/use-resource';
import { listClients } from '../../api/clients';

const SHOWN = 5;

/** The first clients of the group, and a link to all of them in the client list. */
export function GroupMembers({ groupId, total }: { groupId: string; total: number }) {
  const res = useResource(`members:${groupId}:${total}`, (signal) =>
    // deleted clients left out, as in the group's member_count
    listClients({ group: groupId, status: ['active', 'archived'], sort: 'name', per_page: SHOWN }, signal),
  );
  const rows = res.data?.data ?? [];
  return (
    <section class="card group-card" aria-labelledby="group-members-title">
      <h2 class="card__title" id="group-members-title">
        Members <span class="card__count">{total}</span>
      </h2>
      {res.error ? (
        <p class="muted">{describeError(res.error).title}.</p>
      ) : !res.data ? (
        <div class="group-card__skeleton" aria-hidden="true">
          <Skeleton width="70%" />
          <Skeleton width="50%" />
        </div>
      ) : rows.length === 0 ? (
        <p class="muted">No clients yet. Choose this group on a client’s form to add one.</p>
      ) : (
        <>
          <ul class="member-list">
            {rows.map((c) => (
              <li key={c.id}>
                <a href={`/clients/${c.id}`}>{c.display_name || `Client ${c.number}`}</a>
                {c.status !== 'active' ? <Badge tone="warning">Archived</Badge> : null}
              </li>
            ))}
          </ul>
          <a class="group-card__more" href={`/clients?group=${encodeURIComponent(groupId)}&status=all`}>
            {total > rows.length ? `View all ${total} in the client list` : 'View them in the client list'}
          </a>
        </>
      )}
    </section>
  );
}
