import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey } from '../../api/client';
import type { Group } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { Field } from '../../components/ui/field';
import { TextInput } from '../../components/ui/input';
import { describeError } from '../../lib/errors';
import { createGroup, renameGroup } from '../../api/groups';

interface NameDialogProps {
  open: boolean;
  /** the group to rename; none to create one */
  group?: Group | null;
  onClose: () => void;
  onSaved: (group: Group) => void;
}

/** Creating a group (by its name) or renaming one. */
export function GroupNameDialog({ open, group, onClose, onSaved }: NameDialogProps) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  // One key per name: a retry after a lost answer does not create a second group.
  const idem = useRef<{ name: string; key: string } | null>(null);

  useEffect(() => {
    if (open) {
      setName(group?.name ?? '');
      setFieldError(undefined);
      setError(null);
      idem.current = null;
    }
  }, [open, group?.id]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const n = name.trim();
    if (!n) {
      setFieldError('Enter a name');
      return;
    }
    if (group && n === group.name) {
      onClose();
      return;
    }
    setBusy(true);
    setFieldError(undefined);
    setError(null);
    try {
      if (!idem.current || idem.current.name !== n) idem.current = { name: n, key: newIdempotencyKey() };
      onSaved(group ? await renameGroup(group.id, n) : await createGroup(n, idem.current.key));
    } catch (x) {
      if (x instanceof ApiError && x.fieldErrors.name) setFieldError(x.fieldErrors.name);
      else setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      title={group ? `Rename ${group.name}` : 'New group'}
      onClose={onClose}
      busy={busy}
      size="sm"
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="group-name-form" loading={busy}>
            {group ? 'Rename' : 'Create group'}
          </Button>
        </>
      }
    >
      {group ? null : <p class="dialog__lead">Clients in a group share its settings: currency, language, number pattern and more. You set them next.</p>}
      <form id="group-name-form" onSubmit={submit} noValidate>
        <Field label="Name" error={fieldError} hint="Unique in your company." required>
          {(c) => <TextInput {...c} value={name} maxLength={100} autoComplete="off" onInput={(e) => setName(e.currentTarget.value)} data-autofocus />}
        </Field>
      </form>
      {error ? (
        <Alert tone="danger" title={describeError(error).title} assertive>
          {describeError(error).message}
        </Alert>
      ) : null}
    </Dialog>
  );
}
