import { useEffect, useRef, useState } from 'preact/hooks';
import type { Client, Group } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Checkbox } from '../../components/ui/checkbox';
import { Dialog } from '../../components/ui/dialog';
import { IconSearch } from '../../components/ui/icons';
import { TextInput } from '../../components/ui/input';
import { Spinner } from '../../components/ui/spinner';
import { useDebouncedValue } from '../../lib/debounce';
import { describeError } from '../../lib/errors';
import { useResource } from '../../lib/use-resource';
import { assignGroup, listClients, type BulkResult } from '../../api/clients';
import { listAllGroups } from '../../api/groups';

interface AddMembersDialogProps {
  group: Group;
  open: boolean;
  onClose: () => void;
  /** the bulk action's answer: how many joined, and why others did not */
  onAdded: (result: BulkResult) => void;
}

const SHOWN = 25;

/**
 * Adding clients to a group from the group's page: find clients by name,
 * number, email or phone (active and archived ones: deleted clients must
 * be restored first), tick them, and put them in the group with one bulk
 * assign_group (POST /clients/bulk). A client of another group says which
 * one it leaves.
 */
export function AddMembersDialog({ group, open, onClose, onAdded }: AddMembersDialogProps) {
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<Map<string, Client>>(new Map());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const q = useDebouncedValue(text.trim(), 250);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) return;
    setText('');
    setPicked(new Map());
    setError(null);
  }, [open]);

  const found = useResource(open ? `add-members:${group.id}:${q}` : null, (signal) =>
    listClients({ q: q || undefined, status: ['active', 'archived'], sort: 'name', per_page: SHOWN }, signal),
  );
  const groups = useResource(open ? 'groups-for-select' : null, (signal) => listAllGroups(signal));
  const groupName = (id: string | null) => (id ? (groups.data?.data.find((g) => g.id === id)?.name ?? 'another group') : null);
  const rows = found.data?.data ?? [];

  const toggle = (c: Client, on: boolean) =>
    setPicked((m) => {
      const n = new Map(m);
      if (on) n.set(c.id, c);
      else n.delete(c.id);
      return n;
    });

  const add = async () => {
    if (picked.size === 0) return;
    setBusy(true);
    setError(null);
    try {
      onAdded(await assignGroup([...picked.keys()], group.id));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const n = picked.size;
  return (
    <Dialog
      open={open}
      title={`Add clients to ${group.name}`}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" loading={busy} disabled={n === 0} onClick={add}>
            {n === 0 ? 'Add clients' : `Add ${n} client${n === 1 ? '' : 's'}`}
          </Button>
        </>
      }
    >
      <div class="add-members">
        <label class="sr-only" for="add-members-search">
          Find clients
        </label>
        <TextInput
          id="add-members-search"
          inputRef={searchRef}
          type="search"
          placeholder="Find by name, number, email, phone…"
          autoComplete="off"
          value={text}
          leading={<IconSearch size={16} />}
          onInput={(e) => setText(e.currentTarget.value)}
          data-autofocus
        />
        <p class="add-members__status muted" aria-live="polite">
          {found.loading ? (
            <>
              <Spinner size={12} /> Searching…
            </>
          ) : found.data ? (
            `${found.data.meta.pagination.total.toLocaleString()} client${found.data.meta.pagination.total === 1 ? '' : 's'}${q ? ` match “${q}”` : ''}${found.data.meta.pagination.total > rows.length ? `; the first ${rows.length} are shown` : ''}. ${n} chosen.`
          ) : null}
        </p>
        {found.error ? <Alert tone="danger" title={describeError(found.error).title} /> : null}
        <ul class="add-members__list" aria-label="Clients">
          {rows.map((c) => {
            const here = c.group === group.id;
            const other = !here ? groupName(c.group) : null;
            return (
              <li key={c.id} class="add-members__item">
                <Checkbox
                  checked={here || picked.has(c.id)}
                  disabled={here || busy}
                  onChange={(e) => toggle(c, e.currentTarget.checked)}
                  label={
                    <span class="add-members__label">
                      <span class="add-members__name">{c.display_name || `Client ${c.number}`}</span>
                      <span class="add-members__meta">
                        No. {c.number}
                        {c.status === 'archived' ? ' · archived' : ''}
                        {here ? ' · already in this group' : other ? ` · leaves ${other}` : ''}
                      </span>
                    </span>
                  }
                />
              </li>
            );
          })}
        </ul>
        {error ? (
          <Alert tone="danger" title={describeError(error).title} assertive>
            {describeError(error).message}
          </Alert>
        ) : null}
      </div>
    </Dialog>
  );
}
