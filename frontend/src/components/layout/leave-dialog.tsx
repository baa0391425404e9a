import { leaveStore } from '../../lib/leave-guard';
import { useStore } from '../../lib/store';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';

/**
 * "Leave without saving?": asked when a link or Back would leave a
 * screen with unsaved edits (lib/leave-guard.ts). Staying is the choice
 * that has focus; Esc stays too.
 */
export function LeaveDialog() {
  const q = useStore(leaveStore);
  return (
    <Dialog
      open={q !== null}
      title="Leave without saving?"
      onClose={() => q?.stay()}
      size="sm"
      alert
      footer={
        <>
          <Button onClick={() => q?.stay()} data-autofocus>
            Keep editing
          </Button>
          <Button variant="danger" onClick={() => q?.leave()}>
            Leave without saving
          </Button>
        </>
      }
    >
      <div class="confirm__text">
        <p>{q ? `You have not saved ${q.what}. If you leave now, they are lost.` : null}</p>
      </div>
    </Dialog>
  );
}
