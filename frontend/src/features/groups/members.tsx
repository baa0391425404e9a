import { useState } from 'preact/hooks';
import type { Group } from '../../api/types';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { IconUserPlus } from '../../components/ui/icons';
import { Skeleton } from '../../components/ui/spinner';
import { describeError } from '../../lib/errors';
import { toastError, toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { listClients, type BulkResult } from '../../api/clients';
import { AddMembersDialog } from './add-members-dialog';

const SHOWN = 5;

interface GroupMembersProps {
  group: Group;
  /** the user may put clients in the group (clients.edit) */
  canAdd: boolean;
  /** clients joined: the page reloads the group (its counts) */
  onChanged: () => void;
}

/** "3 clients added to Retail · 1 could not be: client is deleted" */
export function addedSummary(r: BulkResult, groupName: string): { title: string; message?: string; failed: number } {
  const changed = r.results.filter((x) => x.result === 'changed').length;
  const failed = r.results.filter((x) => x.result === 'error');
  const title = `${changed} client${changed === 1 ? '' : 's'} added to ${groupName}`;
  if (failed.length === 0) return { title, failed: 0 };
  return { title, message: `${failed.length} could not be: ${failed[0]?.error?.message ?? 'refused'}.`, failed: failed.length };
}

/** The first clients of the group, a link to all of them in the client list, and adding more. */
export function GroupMembers({ group, canAdd, onChanged }: GroupMembersProps) {
  const total = group.member_count;
  const [adding, setAdding] = useState(false);
  const res = useResource(`members:${group.id}:${total}`, (signal) =>
    // deleted clients left out, as in the group's member_count
    listClients({ group: group.id, status: ['active', 'archived'], sort: 'name', per_page: SHOWN }, signal),
  );
  const rows = res.data?.data ?? [];

  const added = (r: BulkResult) => {
    setAdding(false);
    const s = addedSummary(r, group.name);
    if (s.failed > 0 && s.failed === r.results.length) toastError(s.title, s.message);
    else toastSuccess(s.title, s.message);
    onChanged();
  };

  return (
    <section class="card group-card" aria-labelledby="group-members-title">
      <div class="group-card__head">
        <h2 class="card__title" id="group-members-title">
          Members <span class="card__count">{total}</span>
        </h2>
        {canAdd ? (
          <Button size="sm" icon={<IconUserPlus size={15} />} onClick={() => setAdding(true)}>
            Add clients
          </Button>
        ) : null}
      </div>
      {res.error ? (
        <p class="muted">{describeError(res.error).title}.</p>
      ) : !res.data ? (
        <div class="group-card__skeleton" aria-hidden="true">
          <Skeleton width="70%" />
          <Skeleton width="50%" />
        </div>
      ) : rows.length === 0 ? (
        <p class="muted">{canAdd ? 'No clients yet. Add some here, or choose this group on a client’s form.' : 'No clients yet.'}</p>
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
          <a class="group-card__more" href={`/clients?group=${encodeURIComponent(group.id)}&status=all`}>
            {total > rows.length ? `View all ${total} in the client list` : 'View them in the client list'}
          </a>
        </>
      )}
      {canAdd ? <AddMembersDialog group={group} open={adding} onClose={() => setAdding(false)} onAdded={added} /> : null}
    </section>
  );
}
