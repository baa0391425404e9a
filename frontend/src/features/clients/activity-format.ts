// Turns API events into lines a person reads: a title, who did it, and
// what changed ("Billing address · City: Berlin → Hamburg", "Added contact
// Ann Lee"). Nested changes (addresses, the contacts list) are flattened.
import type { Event } from '../../api/types';
import { countryName } from '../../lib/countries';
import { humanise } from '../../lib/field-errors';
import { settingLabel } from '../../lib/settings/registry';
import { kindLabel } from '../../lib/ledger-kinds';

export type ChangeLine = { kind: 'diff'; label: string; before: string; after: string } | { kind: 'note'; text: string };

export interface EventView {
  title: string;
  tone: 'created' | 'updated' | 'archived' | 'restored' | 'deleted' | 'merged' | 'purged';
  lines: ChangeLine[];
}

const LABELS: Record<string, string> = {
  id_number: 'ID number',
  vat_number: 'VAT number',
  address: 'Billing address',
  shipping_address: 'Shipping address',
  address1: 'Street',
  address2: 'Street (line 2)',
  postal_code: 'Postal code',
  state: 'State / region',
  public_notes: 'Public notes',
  private_notes: 'Private notes',
  custom_value1: 'Custom field 1',
  custom_value2: 'Custom field 2',
  custom_value3: 'Custom field 3',
  custom_value4: 'Custom field 4',
  first_name: 'First name',
  last_name: 'Last name',
  send_email: 'Receives emails',
  is_primary: 'Primary',
  assigned_user: 'Assigned user',
};

/** Fields a lifecycle event's title already says, or that mean nothing to a reader. */
const QUIET = new Set(['archived_at', 'deleted_at', 'updated_at', 'created_at', 'version', 'id', 'status']);

export function label(key: string): string {
  return LABELS[key] ?? humanise(key);
}

export function show(v: unknown, key = ''): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (key === 'country' && typeof v === 'string') return countryName(v) || v;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface ContactLike {
  id?: string;
  first_name?: string;
  last_name?: string;
  email?: string;
  is_primary?: boolean;
}

export function contactName(c: ContactLike | undefined): string {
  if (!c) return 'a contact';
  const n = [c.first_name ?? '', c.last_name ?? ''].map((s) => s.trim()).filter(Boolean).join(' ');
  return n || c.email || 'a contact without a name';
}

function contactLines(before: unknown, after: unknown): ChangeLine[] {
  const b = Array.isArray(before) ? (before as ContactLike[]) : [];
  const a = Array.isArray(after) ? (after as ContactLike[]) : [];
  const byId = (list: ContactLike[]) => new Map(list.filter((c) => c.id).map((c) => [c.id!, c]));
  const bm = byId(b);
  const am = byId(a);
  const lines: ChangeLine[] = [];
  for (const c of a) if (c.id && !bm.has(c.id)) lines.push({ kind: 'note', text: `Added contact ${contactName(c)}${c.email ? ` (${c.email})` : ''}` });
  for (const c of b) if (c.id && !am.has(c.id)) lines.push({ kind: 'note', text: `Removed contact ${contactName(c)}` });
  for (const c of a) {
    const old = c.id ? bm.get(c.id) : undefined;
    if (!old) continue;
    for (const k of Object.keys({ ...old, ...c }) as (keyof ContactLike)[]) {
      if (k === 'id' || old[k] === c[k]) continue;
      if (k === 'is_primary') {
        lines.push({ kind: 'note', text: c.is_primary ? `${contactName(c)} is now the primary contact` : `${contactName(c)} is no longer the primary contact` });
      } else {
        lines.push({ kind: 'diff', label: `${contactName(c)} · ${label(k)}`, before: show(old[k]), after: show(c[k]) });
      }
    }
  }
  return lines;
}

function objectLines(key: string, before: unknown, after: unknown): ChangeLine[] {
  const b = isObj(before) ? before : {};
  const a = isObj(after) ? after : {};
  const lines: ChangeLine[] = [];
  for (const k of Object.keys({ ...b, ...a })) {
    if (JSON.stringify(b[k]) === JSON.stringify(a[k])) continue;
    lines.push({ kind: 'diff', label: `${label(key)} · ${label(k)}`, before: show(b[k], k), after: show(a[k], k) });
  }
  return lines;
}

/** Every change of an event as lines (a value shown the same before and after is left out). */
export function changeLines(changes: Event['changes']): ChangeLine[] {
  return rawLines(changes).filter((l) => l.kind === 'note' || l.before !== l.after);
}

function rawLines(changes: Event['changes']): ChangeLine[] {
  const lines: ChangeLine[] = [];
  for (const [key, ch] of Object.entries(changes ?? {})) {
    if (QUIET.has(key)) continue;
    if (key === 'contacts') lines.push(...contactLines(ch.before, ch.after));
    else if (key === 'merged_from' && isObj(ch.after)) {
      const m = ch.after;
      const moved = Array.isArray(m.contacts_moved) ? m.contacts_moved.length : 0;
      const dropped = Array.isArray(m.contacts_dropped) ? m.contacts_dropped.length : 0;
      const who = (typeof m.display_name === 'string' && m.display_name) || (typeof m.number === 'string' && m.number ? `client ${m.number}` : 'another client');
      lines.push({ kind: 'note', text: `Merged in ${who}: ${moved} contact${moved === 1 ? '' : 's'} moved${dropped ? `, ${dropped} dropped as duplicates` : ''}` });
    } else if (key.startsWith('settings.')) {
      // an override set (before null) or cleared (after null)
      const v = (x: unknown) => (x === null || x === undefined ? 'inherited' : show(x));
      lines.push({ kind: 'diff', label: `Setting · ${settingLabel(key.slice('settings.'.length))}`, before: v(ch.before), after: v(ch.after) });
    } else if (key === 'merged_into') {
      lines.push({ kind: 'note', text: 'Merged into another client' });
    } else if (isObj(ch.before) || isObj(ch.after)) lines.push(...objectLines(key, ch.before, ch.after));
    else lines.push({ kind: 'diff', label: label(key), before: show(ch.before, key), after: show(ch.after, key) });
  }
  return lines;
}

/**
 * The event as the Activity tab shows it. `contactNames` names contacts by
 * id (a contact event names only the contact's id; removed contacts are
 * named from the event's own changes when possible).
 */
export function describeEvent(ev: Event, contactNames: Record<string, string> = {}): EventView {
  const changes = ev.changes ?? {};
  const fromChanges = (): string | undefined => {
    const pick = (side: 'before' | 'after') => {
      const o: ContactLike = {};
      for (const k of ['first_name', 'last_name', 'email'] as const) {
        const v = changes[k]?.[side];
        if (typeof v === 'string') o[k] = v;
      }
      return Object.keys(o).length ? contactName(o) : undefined;
    };
    return pick('after') ?? pick('before');
  };
  const name = contactNames[ev.entity.id] ?? fromChanges();
  const who = name ? ` ${name}` : '';
  switch (ev.type) {
    case 'client.created':
      return { title: 'Client created', tone: 'created', lines: changeLines(changes) };
    case 'client.updated':
      return { title: 'Client updated', tone: 'updated', lines: changeLines(changes) };
    case 'client.archived':
      return { title: 'Client archived', tone: 'archived', lines: changeLines(changes) };
    case 'client.restored':
      return { title: 'Client restored', tone: 'restored', lines: changeLines(changes) };
    case 'client.deleted':
      return { title: changes.merged_into ? 'Client merged into another client and deleted' : 'Client deleted', tone: 'deleted', lines: changeLines(changes).filter((l) => !(l.kind === 'note' && l.text === 'Merged into another client')) };
    case 'client.merged':
      return { title: 'Another client merged in', tone: 'merged', lines: changeLines(changes) };
    case 'client.purged':
      return { title: 'Client purged', tone: 'purged', lines: [] };
    case 'contact.created':
      return { title: `Contact${who} added`, tone: 'created', lines: changeLines(changes) };
    case 'contact.updated':
      return { title: `Contact${who} updated`, tone: 'updated', lines: changeLines(changes) };
    case 'contact.deleted':
      return { title: `Contact${who} removed`, tone: 'deleted', lines: [] };
    case 'contact.invited':
      return { title: `Contact${who} invited to the client portal`, tone: 'created', lines: [] };
    case 'contact.password_set':
      return { title: `Contact${who} set a portal password`, tone: 'updated', lines: [] };
    case 'contact.portal_entered':
      return { title: `Client portal entered as contact${who}`, tone: 'updated', lines: [] };
    case 'ledger_entry.created': {
      // the title names the kind; the lines show the amount and what it moved
      const kind = changes.kind?.after;
      const title = kind === 'payment' ? 'Payment recorded' : `${typeof kind === 'string' ? kindLabel(kind) : 'Ledger entry'} posted`;
      return { title, tone: 'created', lines: changeLines(changes).filter((l) => !(l.kind === 'diff' && l.label === 'Kind')) };
    }
    default:
      return { title: humanise(String(ev.type).replace('.', ' ')), tone: 'updated', lines: changeLines(changes) };
  }
}

/** The merged-into target of a deleted client's event, if any. */
export function mergedInto(ev: Event): string | null {
  const v = ev.changes?.merged_into?.after;
  return typeof v === 'string' ? v : null;
}
