// Turns API events into lines a person reads: a title, who did it, and
// what changed ("Billing address · City: Berlin → Hamburg", "Added contact
// Ann Lee"). Nested changes (addresses, the contacts list) are flattened.
// What the API stores as ids (a group, the assigned user, a merged
// client) is shown by name, linked where there is a page to go to; money
// in its currency with its decimals; times in the reader's locale. Every
// value keeps what the API sent as its `raw`, for a tooltip.
import type { Event } from '../../api/types';
import { countryName } from '../../lib/countries';
import { formatDay } from '../../lib/days';
import { humanise } from '../../lib/field-errors';
import { formatDateTime } from '../../lib/format';
import { kindLabel } from '../../lib/ledger-kinds';
import { formatMoney } from '../../lib/money';
import { settingLabel } from '../../lib/settings/registry';

/** A value as shown: its text, a link when it names something with a page, and what the API sent. */
export interface Shown {
  text: string;
  href?: string;
  /** the API's own value, when the text is not it (an id, an exact amount, a UTC time) */
  raw?: string;
}

export type ChangeLine =
  | { kind: 'diff'; label: string; before: Shown; after: Shown }
  | { kind: 'note'; text: string; parts?: (string | Shown)[] };

export interface EventView {
  title: string;
  tone: 'created' | 'updated' | 'archived' | 'restored' | 'deleted' | 'merged' | 'purged';
  lines: ChangeLine[];
}

/** What describing an event needs besides the event. */
export interface EventContext {
  /** contact names by id (a contact event names only the contact's id) */
  contactNames?: Record<string, string>;
  /** the client's currency: money of events that do not say theirs */
  currency?: string;
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

/** Amounts (exact decimal strings) in ledger and merge events. */
const MONEY = new Set(['amount', 'balance', 'paid_to_date']);

const EMPTY: Shown = { text: '—' };
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function label(key: string): string {
  return LABELS[key] ?? humanise(key);
}

/** A value as text: times and days in the reader's locale (the API's value kept as raw). */
export function show(v: unknown, key = ''): Shown {
  if (v === null || v === undefined || v === '') return EMPTY;
  if (typeof v === 'boolean') return { text: v ? 'Yes' : 'No' };
  if (key === 'country' && typeof v === 'string') return countryName(v) ? { text: countryName(v), raw: v } : { text: v };
  if (typeof v === 'string' && TIMESTAMP.test(v)) return { text: formatDateTime(v), raw: v };
  if (typeof v === 'string' && DAY.test(v)) return { text: formatDay(v), raw: v };
  if (typeof v === 'string' || typeof v === 'number') return { text: String(v) };
  return { text: JSON.stringify(v) };
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

const diff = (l: string, before: Shown, after: Shown): ChangeLine => ({ kind: 'diff', label: l, before, after });
const note = (text: string): ChangeLine => ({ kind: 'note', text });

function contactLines(before: unknown, after: unknown): ChangeLine[] {
  const b = Array.isArray(before) ? (before as ContactLike[]) : [];
  const a = Array.isArray(after) ? (after as ContactLike[]) : [];
  const byId = (list: ContactLike[]) => new Map(list.filter((c) => c.id).map((c) => [c.id!, c]));
  const bm = byId(b);
  const am = byId(a);
  const lines: ChangeLine[] = [];
  for (const c of a) if (c.id && !bm.has(c.id)) lines.push(note(`Added contact ${contactName(c)}${c.email ? ` (${c.email})` : ''}`));
  for (const c of b) if (c.id && !am.has(c.id)) lines.push(note(`Removed contact ${contactName(c)}`));
  for (const c of a) {
    const old = c.id ? bm.get(c.id) : undefined;
    if (!old) continue;
    for (const k of Object.keys({ ...old, ...c }) as (keyof ContactLike)[]) {
      if (k === 'id' || old[k] === c[k]) continue;
      if (k === 'is_primary') {
        lines.push(note(c.is_primary ? `${contactName(c)} is now the primary contact` : `${contactName(c)} is no longer the primary contact`));
      } else {
        lines.push(diff(`${contactName(c)} · ${label(k)}`, show(old[k]), show(c[k])));
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
    lines.push(diff(`${label(key)} · ${label(k)}`, show(b[k], k), show(a[k], k)));
  }
  return lines;
}

type References = Event['references'];

/**
 * A record the event names by id, by the name the API resolved: linked
 * when it still exists and has a page here; the id kept as raw.
 */
function reference(id: unknown, refs: References, what: 'group' | 'user' | 'client'): Shown {
  if (typeof id !== 'string' || id === '') return EMPTY;
  const r = refs?.[id];
  const href = r?.exists && what !== 'user' ? `/${what === 'group' ? 'groups' : 'clients'}/${id}` : undefined;
  if (!r || r.name === null) {
    const unknown = { group: 'a group no longer there', user: 'a former user', client: 'a client you cannot see' }[what];
    return { text: unknown, raw: id };
  }
  const text = !r.exists && what === 'group' ? `${r.name} (deleted)` : !r.exists && what === 'user' ? `${r.name} (no longer active)` : r.name;
  return href ? { text, href, raw: id } : { text, raw: id };
}

/** An amount in the currency of its event: "$1,199.75", with the API's exact value as raw. */
function money(v: unknown, currency: string | undefined): Shown {
  if (typeof v !== 'string' || v === '') return show(v);
  if (!currency) return { text: v };
  return { text: formatMoney(v, currency), raw: `${v} ${currency}` };
}

/** Every change of an event as lines (a value shown the same before and after is left out). */
export function changeLines(changes: Event['changes'], refs: References = {}, currency?: string): ChangeLine[] {
  return rawLines(changes, refs, currency).filter((l) => l.kind === 'note' || l.before.text !== l.after.text);
}

function rawLines(changes: Event['changes'], refs: References, clientCurrency?: string): ChangeLine[] {
  const lines: ChangeLine[] = [];
  const all = changes ?? {};
  // money in the event's own currency (ledger and merge events say it), else the client's
  const cur = typeof all.currency?.after === 'string' ? all.currency.after : clientCurrency;
  for (const [key, ch] of Object.entries(all)) {
    if (QUIET.has(key)) continue;
    if (key === 'currency' && (all.amount || all.balance)) continue; // the money's unit, said by the amounts
    if (key === 'contacts') lines.push(...contactLines(ch.before, ch.after));
    else if (MONEY.has(key) && !isObj(ch.after)) lines.push(diff(label(key), money(ch.before, cur), money(ch.after, cur)));
    else if (key === 'group') lines.push(diff('Group', reference(ch.before, refs, 'group'), reference(ch.after, refs, 'group')));
    else if (key === 'assigned_user') lines.push(diff(label(key), reference(ch.before, refs, 'user'), reference(ch.after, refs, 'user')));
    else if (key === 'merged_from' && isObj(ch.after)) {
      const m = ch.after;
      const moved = Array.isArray(m.contacts_moved) ? m.contacts_moved.length : 0;
      const dropped = Array.isArray(m.contacts_dropped) ? m.contacts_dropped.length : 0;
      const fallback = (typeof m.display_name === 'string' && m.display_name) || (typeof m.number === 'string' && m.number ? `client ${m.number}` : 'another client');
      const who = reference(m.id, refs, 'client');
      const whoShown: Shown = refs?.[String(m.id)]?.name ? who : { ...who, text: fallback };
      const rest = `: ${moved} contact${moved === 1 ? '' : 's'} moved${dropped ? `, ${dropped} dropped as duplicates` : ''}`;
      lines.push({ kind: 'note', text: `Merged in ${whoShown.text}${rest}`, parts: ['Merged in ', whoShown, rest] });
    } else if (key === 'merged_into') {
      const to = reference(ch.after, refs, 'client');
      lines.push({ kind: 'note', text: `Merged into ${to.text}`, parts: ['Merged into ', to] });
    } else if (key.startsWith('settings.')) {
      // an override set (before null) or cleared (after null)
      const v = (x: unknown): Shown => (x === null || x === undefined ? { text: 'inherited' } : show(x));
      lines.push(diff(`Setting · ${settingLabel(key.slice('settings.'.length))}`, v(ch.before), v(ch.after)));
    } else if (isObj(ch.before) || isObj(ch.after)) lines.push(...objectLines(key, ch.before, ch.after));
    else lines.push(diff(label(key), show(ch.before, key), show(ch.after, key)));
  }
  return lines;
}

/**
 * The event as the Activity tab shows it. `ctx.contactNames` names
 * contacts by id (a contact event names only the contact's id; removed
 * contacts are named from the event's own changes when possible).
 */
export function describeEvent(ev: Event, ctx: EventContext = {}): EventView {
  const changes = ev.changes ?? {};
  const refs = ev.references ?? {};
  const lines = () => changeLines(changes, refs, ctx.currency);
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
  const name = ctx.contactNames?.[ev.entity.id] ?? fromChanges();
  const who = name ? ` ${name}` : '';
  switch (ev.type) {
    case 'client.created':
      return { title: 'Client created', tone: 'created', lines: lines() };
    case 'client.updated':
      return { title: 'Client updated', tone: 'updated', lines: lines() };
    case 'client.archived':
      return { title: 'Client archived', tone: 'archived', lines: lines() };
    case 'client.restored':
      return { title: 'Client restored', tone: 'restored', lines: lines() };
    case 'client.deleted':
      return { title: changes.merged_into ? 'Client merged into another client and deleted' : 'Client deleted', tone: 'deleted', lines: lines() };
    case 'client.merged':
      return { title: 'Another client merged in', tone: 'merged', lines: lines() };
    case 'client.purged':
      return { title: 'Client purged', tone: 'purged', lines: [] };
    case 'contact.created':
      return { title: `Contact${who} added`, tone: 'created', lines: lines() };
    case 'contact.updated':
      return { title: `Contact${who} updated`, tone: 'updated', lines: lines() };
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
      const out = lines().filter((l) => !(l.kind === 'diff' && (l.label === 'Kind' || l.label.startsWith('Setting · '))));
      const pinned = changes['settings.currency']?.after;
      if (typeof pinned === 'string') out.push(note(`The client's first ledger entry: its currency is now fixed at ${pinned}`));
      return { title, tone: 'created', lines: out };
    }
    case 'document.created':
    case 'document.updated':
    case 'document.deleted':
    case 'document.downloaded': {
      const name = changes.name?.after ?? changes.name?.before;
      const doc = typeof name === 'string' ? ` “${name}”` : '';
      const verb = { 'document.created': 'uploaded', 'document.updated': 'changed', 'document.deleted': 'deleted', 'document.downloaded': 'downloaded' }[ev.type];
      const tone = ev.type === 'document.deleted' ? 'deleted' : ev.type === 'document.created' ? 'created' : 'updated';
      return { title: `Document${doc} ${verb}`, tone, lines: ev.type === 'document.updated' ? lines() : [] };
    }
    default:
      return { title: humanise(String(ev.type).replace('.', ' ')), tone: 'updated', lines: lines() };
  }
}

/** The merged-into target of a deleted client's event, if any. */
export function mergedInto(ev: Event): string | null {
  const v = ev.changes?.merged_into?.after;
  return typeof v === 'string' ? v : null;
}
