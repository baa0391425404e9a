import { useEffect, useState } from 'preact/hooks';
import type { Client, ClientFull } from '../../api/types';
import { isAbort } from '../../api/client';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { IconSearch } from '../../components/ui/icons';
import { TextInput } from '../../components/ui/input';
import { Spinner } from '../../components/ui/spinner';
import { useDebouncedValue } from '../../lib/debounce';
import { describeError } from '../../lib/errors';
import { formatCurrency } from '../../lib/money';
import { listClients, mergeClients } from '../../api/clients';
import { StatusBadge } from './status-badge';

interface MergeDialogProps {
  open: boolean;
  /** the client being merged away */
  source: ClientFull;
  onClose: () => void;
  onMerged: (target: ClientFull) => void;
}

/**
 * "Merge into another client": pick the client that stays, see what will
 * happen, confirm. The source's contacts and balances move to the target
 * and the source is deleted (restorable).
 */
export function MergeDialog({ open, source, onClose, onMerged }: MergeDialogProps) {
  const [q, setQ] = useState('');
  const dq = useDebouncedValue(q.trim(), 250);
  const [results, setResults] = useState<Client[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [target, setTarget] = useState<Client | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!open) {
      setQ('');
      setTarget(null);
      setResults(null);
      setError(null);
    }
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const ac = new AbortController();
    setSearching(true);
    listClients({ q: dq || undefined, status: ['active', 'archived'], sort: 'name', per_page: 8 }, ac.signal)
      .then((r) => {
        setResults(r.data.filter((c) => c.id !== source.id));
        setSearching(false);
      })
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        setSearching(false);
        setError(e);
      });
    return () => ac.abort();
  }, [open, dq, source.id]);

  const merge = async () => {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      const merged = await mergeClients(target.id, source.id);
      onMerged(merged);
    } catch (e) {
      setError(e);
      setBusy(false);
      return;
    }
    setBusy(false);
  };

  const name = source.display_name || `client ${source.number}`;
  return (
    <Dialog
      open={open}
      title={`Merge ${name} into another client`}
      onClose={onClose}
      busy={busy}
      size="md"
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant="danger" disabled={!target} loading={busy} onClick={merge}>
            {target ? `Merge into ${target.display_name || target.number}` : 'Merge'}
          </Button>
        </>
      }
    >
      <p class="dialog__lead">Choose the client that stays. {name} will be deleted after its contacts and balances move there.</p>
      <label class="sr-only" for="merge-search">
        Find the client to merge into
      </label>
      <TextInput
        id="merge-search"
        type="search"
        placeholder="Search clients…"
        value={q}
        onInput={(e) => setQ(e.currentTarget.value)}
        leading={<IconSearch size={16} />}
        trailing={searching ? <Spinner size={14} /> : undefined}
        autoComplete="off"
        data-autofocus
      />
      <fieldset class="pick-list" aria-busy={searching ? 'true' : 'false'}>
        <legend class="sr-only">Client to merge into</legend>
        {results && results.length === 0 ? <p class="pick-list__empty muted">No other client matches.</p> : null}
        {(results ?? []).map((c) => (
          <label key={c.id} class={target?.id === c.id ? 'pick pick--on' : 'pick'}>
            <input type="radio" name="merge-target" class="pick__radio" checked={target?.id === c.id} onChange={() => setTarget(c)} />
            <span class="pick__main">
              <span class="pick__name">{c.display_name || 'Unnamed client'}</span>
              <span class="pick__sub">
                {c.number}
                {c.primary_contact?.email ? ` · ${c.primary_contact.email}` : ''}
              </span>
            </span>
            {c.status !== 'active' ? <StatusBadge status={c.status} /> : null}
          </label>
        ))}
      </fieldset>
      {target ? (
        <Alert tone="warning" title="What happens">
          <ul class="bullets">
            <li>
              {source.contacts.length} contact{source.contacts.length === 1 ? '' : 's'} move to {target.display_name || target.number} (a contact whose email it already has is dropped).
            </li>
            <li>
              Balance {formatCurrency(source.balance, source.currency)} and paid to date {formatCurrency(source.paid_to_date, source.currency)} are added to it.
            </li>
            <li>{name} is deleted. You can restore it from the Deleted list, but the contacts stay moved.</li>
          </ul>
        </Alert>
      ) : null}
      {error ? <Alert tone="danger" title={describeError(error).title} assertive>{describeError(error).message}</Alert> : null}
    </Dialog>
  );
}
