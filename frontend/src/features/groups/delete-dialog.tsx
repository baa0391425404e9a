import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { Group } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { describeError } from '../../lib/errors';
import { deleteGroup } from '../../api/groups';
import { memberCount } from './group-format';

interface DeleteDialogProps {
  group: Group | null;
  onClose: () => void;
  onDeleted: (group: Group, detached: boolean) => void;
}

/**
 * Deleting a group. The API refuses (409) while clients belong to it; the
 * dialog then shows the API's reason and offers to take the clients out
 * of the group and delete it.
 */
export function DeleteGroupDialog({ group, onClose, onDeleted }: DeleteDialogProps) {
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setConflict(null);
    setError(null);
  }, [group?.id]);

  const run = async (detach: boolean) => {
    if (!group) return;
    setBusy(true);
    setError(null);
    try {
      await deleteGroup(group.id, detach);
      onDeleted(group, detach);
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

  return (
    <Dialog
      open={group !== null}
      title={group ? `Delete ${group.name}?` : 'Delete group?'}
      onClose={close}
      busy={busy}
      size="sm"
      alert
      footer={
        <>
          <Button onClick={close} disabled={busy} data-autofocus>
            Cancel
          </Button>
          {conflict ? (
            <Button variant="danger" loading={busy} onClick={() => run(true)}>
              Detach members and delete
            </Button>
          ) : (
            <Button variant="danger" loading={busy} onClick={() => run(false)}>
              Delete group
            </Button>
          )}
        </>
      }
    >
      <div class="confirm__text">
        <p>
          {group ? `${memberCount(group.member_count)} in this group.` : null} Its settings go with it; clients that leave it follow the company’s settings, apart from their own overrides.
        </p>
      </div>
      {conflict ? (
        <Alert tone="warning" title={`${conflict.message.charAt(0).toUpperCase()}${conflict.message.slice(1)}`} assertive>
          {conflict.detail ? `${conflict.detail} ` : ''}Move the clients to another group first, or take every one of them out of the group and delete it now.
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
