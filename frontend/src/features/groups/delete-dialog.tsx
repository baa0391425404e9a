import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { Group } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { Spinner } from '../../components/ui/spinner';
import { describeError } from '../../lib/errors';
import { deleteGroup, getGroup } from '../../api/groups';
import { allMembers, memberBreakdown } from './group-format';

interface DeleteDialogProps {
  group: Group | null;
  onClose: () => void;
  onDeleted: (group: Group, detached: boolean) => void;
}

/**
 * Deleting a group. The API refuses (409) while any client belongs to it,
 * archived and deleted ones too; the dialog reads the group's members by
 * status when it opens (the same count), says so up front and offers to
 * take them out of the group and delete it. Should the API still refuse
 * (clients joined meanwhile), its reason is shown with the same offer.
 */
export function DeleteGroupDialog({ group, onClose, onDeleted }: DeleteDialogProps) {
  const [busy, setBusy] = useState(false);
  const [fresh, setFresh] = useState<Group | null>(null);
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setConflict(null);
    setError(null);
    setFresh(null);
    if (!group) return;
    const ac = new AbortController();
    getGroup(group.id, ac.signal)
      .then((g) => setFresh(g))
      .catch(() => {
        if (!ac.signal.aborted) setFresh(group); // the counts it came with, then
      });
    return () => ac.abort();
  }, [group?.id]);

  const g = fresh ?? group;
  const total = fresh ? allMembers(fresh.member_counts) : null;

  const run = async (detach: boolean) => {
    if (!g) return;
    setBusy(true);
    setError(null);
    try {
      await deleteGroup(g.id, detach);
      onDeleted(g, detach);
    } catch (x) {
      if (x instanceof ApiError && x.status === 409 && !detach) setConflict(x);
      else setError(x);
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setConflict(null);
    setError(null);
    onClose();
  };

  const detachNeeded = conflict !== null || (total !== null && total > 0);
  return (
    <Dialog
      open={group !== null}
      title={g ? `Delete ${g.name}?` : 'Delete group?'}
      onClose={close}
      busy={busy}
      size="sm"
      alert
      footer={
        <>
          <Button onClick={close} disabled={busy} data-autofocus>
            Cancel
          </Button>
          {total === null && !conflict ? null : detachNeeded ? (
            <Button variant="danger" loading={busy} onClick={() => run(true)}>
              {total ? `Take ${total === 1 ? 'the client' : `all ${total.toLocaleString()} clients`} out and delete` : 'Detach members and delete'}
            </Button>
          ) : (
            <Button variant="danger" loading={busy} onClick={() => run(false)}>
              Delete group
            </Button>
          )}
        </>
      }
    >
      <div class="confirm__text" data-testid="group-delete-counts">
        {total === null ? (
          <p class="muted">
            <Spinner size={14} /> Counting the group’s clients…
          </p>
        ) : total === 0 ? (
          <p>No clients are in this group, archived or deleted ones included. Its settings go with it.</p>
        ) : (
          <>
            <p>
              <strong>
                {total === 1 ? 'One client is' : `${total.toLocaleString()} clients are`} in this group: {memberBreakdown(fresh!.member_counts)}.
              </strong>{' '}
              Archived and deleted clients count too: a group is deleted only once none is left in it.
            </p>
            <p>
              Deleting it now takes {total === 1 ? 'that client' : 'every one of them'} out of the group; they then follow the company’s settings, apart from their own overrides.{' '}
              <a href={`/clients?group=${encodeURIComponent(fresh!.id)}&status=all`}>See them in the client list</a>
            </p>
          </>
        )}
      </div>
      {conflict ? (
        <Alert tone="warning" title={`${conflict.message.charAt(0).toUpperCase()}${conflict.message.slice(1)}`} assertive>
          {conflict.detail ? `${conflict.detail} ` : ''}Clients joined the group meanwhile. Take every one of them out of the group and delete it now, or cancel.
        </Alert>
      ) : null}
      {error ? (
        <Alert tone="danger" title={describeError(error).title} assertive>
          {describeError(error).message}
        </Alert>
      ) : null}
    </Dialog>
  );
}
