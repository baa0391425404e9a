import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { ClientFull } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { Field } from '../../components/ui/field';
import { TextInput } from '../../components/ui/input';
import { describeError } from '../../lib/errors';
import { purgeClient } from '../../api/clients';

interface PurgeDialogProps {
  open: boolean;
  client: ClientFull;
  onClose: () => void;
  onPurged: () => void;
}

/** Deleting for good: owners only, with their password again, no undo. */
export function PurgeDialog({ open, client, onClose, onPurged }: PurgeDialogProps) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!open) {
      setPassword('');
      setFieldError(undefined);
      setError(null);
    }
  }, [open]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!password) {
      setFieldError('Enter your password to confirm');
      return;
    }
    setBusy(true);
    setFieldError(undefined);
    setError(null);
    try {
      await purgeClient(client.id, password);
      onPurged();
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.password) setFieldError(err.fieldErrors.password);
      else setError(err);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const name = client.display_name || `client ${client.number}`;
  return (
    <Dialog
      open={open}
      title={`Purge ${name}?`}
      onClose={onClose}
      busy={busy}
      size="sm"
      alert
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant="danger" type="submit" form="purge-form" loading={busy}>
            Purge for good
          </Button>
        </>
      }
    >
      <p class="dialog__lead">
        This removes {name} and its {client.contacts.length} contact{client.contacts.length === 1 ? '' : 's'} permanently. It cannot be undone; only a “client purged” entry stays in the history.
      </p>
      <form id="purge-form" onSubmit={submit} noValidate>
        <Field label="Your password" error={fieldError} hint="Purging needs the owner’s password.">
          {(c) => <TextInput {...c} type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} data-autofocus />}
        </Field>
      </form>
      {error ? (
        <Alert tone="danger" title={describeError(error).title} assertive>
          {error instanceof ApiError && error.status === 429 ? 'Too many wrong passwords. Wait a few minutes, then try again.' : describeError(error).message}
        </Alert>
      ) : null}
    </Dialog>
  );
}
