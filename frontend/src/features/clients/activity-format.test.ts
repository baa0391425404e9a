import { describe, expect, it } from 'vitest';
import type { Event } from '../../api/types';
import { changeLines as linesOf, describeEvent as describe0, mergedInto, type ChangeLine, type EventContext } from './activity-format';

function ev(type: Event['type'], changes: Event['changes'], entity: Event['entity'] = { type: 'client', id: 'cccccccccccc' }, references: Event['references'] = {}): Event {
  return { id: 'eeeeeeeeeeee', type, entity, actor: { type: 'user', id: 'u', name: 'owner@test' }, changes, references, created_at: '2026-01-01T00:00:00Z' };
}

/** The lines as text only (what a reader sees; links and raw values aside). */
function plain(lines: ChangeLine[]) {
  return lines.map((l) => (l.kind === 'note' ? { kind: 'note', text: l.text } : { kind: 'diff', label: l.label, before: l.before.text, after: l.after.text }));
}
const changeLines = (c: Event['changes']) => plain(linesOf(c));
function describeEvent(e: Event, ctx: EventContext | Record<string, string> = {}) {
  const v = describe0(e, 'contactNames' in ctx || 'currency' in ctx ? (ctx as EventContext) : { contactNames: ctx as Record<string, string> });
  return { ...v, lines: plain(v.lines) };
}

describe('ledger events', () => {
  it('names the kind posted and shows the amount and the balances it moved', () => {
    const changes = {
      kind: { before: null, after: 'payment' },
      amount: { before: null, after: '-400.00' },
      reference: { before: null, after: 'BACS 5521' },
      balance: { before: '1000.50', after: '600.50' },
      paid_to_date: { before: '350.00', after: '750.00' },
    };
    const v = describeEvent(ev('ledger_entry.created', changes, { type: 'ledger_entry', id: 'llllllllllll' }), { currency: 'EUR' });
    expect(v.title).toBe('Payment recorded');
    expect(v.lines).toEqual([
      { kind: 'diff', label: 'Amount', before: '—', after: '-€400.00' },
      { kind: 'diff', label: 'Reference', before: '—', after: 'BACS 5521' },
      { kind: 'diff', label: 'Balance', before: '€1,000.50', after: '€600.50' },
      { kind: 'diff', label: 'Paid to date', before: '€350.00', after: '€750.00' },
    ]);
    expect(describeEvent(ev('ledger_entry.created', { ...changes, kind: { before: null, after: 'opening_balance' } })).title).toBe('Opening balance posted');
    expect(describeEvent(ev('ledger_entry.created', {})).title).toBe('Ledger entry posted');
  });
});

describe('activity lines', () => {
  it('shows scalar changes with labels, and empties as a dash', () => {
    expect(changeLines({ name: { before: '', after: 'Acme GmbH' }, vat_number: { before: 'DE1', after: null } })).toEqual([
      { kind: 'diff', label: 'Name', before: '—', after: 'Acme GmbH' },
      { kind: 'diff', label: 'VAT number', before: 'DE1', after: '—' },
    ]);
  });

  it('shows a settings override set and cleared, by the setting’s label', () => {
    expect(changeLines({ 'settings.currency': { before: null, after: 'GBP' } })).toEqual([{ kind: 'diff', label: 'Setting · Currency', before: 'inherited', after: 'GBP' }]);
    expect(changeLines({ 'settings.payment_terms': { before: 30, after: null } })).toEqual([{ kind: 'diff', label: 'Setting · Payment terms', before: '30', after: 'inherited' }]);
  });

  it('shows settings changes of odd shapes without failing', () => {
    expect(changeLines({ 'settings.': { before: null, after: true } })).toEqual([{ kind: 'diff', label: 'Setting · ', before: 'inherited', after: 'Yes' }]);
    expect(changeLines({ 'settings.reminder_schedule': { before: [7], after: [7, 14] } })).toEqual([{ kind: 'diff', label: 'Setting · Reminder schedule', before: '[7]', after: '[7,14]' }]);
  });

  it('flattens an address to the keys that changed', () => {
    const a = { city: 'Berlin', country: 'DE', address1: '7 Market St' };
    expect(changeLines({ address: { before: a, after: { ...a, city: 'Hamburg' } } })).toEqual([
      { kind: 'diff', label: 'Billing address · City', before: 'Berlin', after: 'Hamburg' },
    ]);
  });

  it('describes contact list changes: added, removed, edited, primary moved', () => {
    const ann = { id: 'a', first_name: 'Ann', last_name: 'Lee', email: 'ann@x.test', is_primary: true };
    const ben = { id: 'b', first_name: 'Ben', last_name: '', email: 'ben@x.test', is_primary: false };
    const cat = { id: 'c', first_name: '', last_name: '', email: 'cat@x.test', is_primary: false };
    const lines = changeLines({
      contacts: {
        before: [ann, ben],
        after: [
          { ...ann, email: 'ann@new.test', is_primary: false },
          { ...cat, is_primary: true },
        ],
      },
    });
    expect(lines).toEqual([
      { kind: 'note', text: 'Added contact cat@x.test (cat@x.test)' },
      { kind: 'note', text: 'Removed contact Ben' },
      { kind: 'diff', label: 'Ann Lee · Email', before: 'ann@x.test', after: 'ann@new.test' },
      { kind: 'note', text: 'Ann Lee is no longer the primary contact' },
    ]);
  });

  it('leaves out timestamps that the title already says', () => {
    expect(changeLines({ archived_at: { before: null, after: '2026-01-01T00:00:00Z' } })).toEqual([]);
  });
});

describe('event titles', () => {
  it('names lifecycle events', () => {
    expect(describeEvent(ev('client.archived', {})).title).toBe('Client archived');
    expect(describeEvent(ev('client.restored', {})).title).toBe('Client restored');
    expect(describeEvent(ev('client.created', { number: { before: null, after: '0001' } })).lines).toEqual([
      { kind: 'diff', label: 'Number', before: '—', after: '0001' },
    ]);
  });

  it('names the contact of a contact event, from the client or from the changes', () => {
    const e = ev('contact.created', { first_name: { before: null, after: 'Zed' }, email: { before: null, after: 'zed@x.test' } }, { type: 'contact', id: 'q' });
    expect(describeEvent(e).title).toBe('Contact Zed added');
    expect(describeEvent(e, { q: 'Zed Ray' }).title).toBe('Contact Zed Ray added');
    expect(describeEvent(ev('contact.deleted', {}, { type: 'contact', id: 'z' })).title).toBe('Contact removed');
  });

  it('explains a merge on both sides', () => {
    const target = describeEvent(
      ev('client.merged', { merged_from: { before: null, after: { id: 'ssssssssssss', number: '0100', display_name: '', contacts_moved: ['x', 'y'], contacts_dropped: ['z'] } } }),
    );
    expect(target.title).toBe('Another client merged in');
    expect(target.lines).toEqual([{ kind: 'note', text: 'Merged in client 0100: 2 contacts moved, 1 dropped as duplicates' }]);
    const source = ev('client.deleted', { deleted_at: { before: null, after: '2026-01-01T00:00:00Z' }, merged_into: { before: null, after: 'tttttttttttt' } });
    expect(describeEvent(source).title).toBe('Client merged into another client and deleted');
    expect(describeEvent(source).lines).toEqual([{ kind: 'note', text: 'Merged into a client you cannot see' }]);
    expect(mergedInto(source)).toBe('tttttttttttt');
  });
});

describe('activity noise', () => {
  it('leaves out values that read the same before and after, and the status of a new client', () => {
    expect(
      changeLines({
        status: { before: null, after: 'active' },
        address: { before: null, after: { city: 'London', state: '', country: 'GB' } },
      }),
    ).toEqual([
      { kind: 'diff', label: 'Billing address · City', before: '—', after: 'London' },
      { kind: 'diff', label: 'Billing address · Country', before: '—', after: 'United Kingdom' },
    ]);
  });
});

describe('references, money and times (issue 11)', () => {
  const refs: Event['references'] = {
    gggggggggggg: { type: 'group', name: 'Wholesale', exists: true },
    oooooooooooo: { type: 'group', name: 'Retail', exists: false },
    uuuuuuuuuuuu: { type: 'user', name: 'Ann Admin', exists: true },
    tttttttttttt: { type: 'client', name: 'Acme Ltd', exists: true },
  };

  it('names a group by its name, linked, with the id kept; a deleted group by the name it had', () => {
    const v = describe0(ev('client.updated', { group: { before: 'oooooooooooo', after: 'gggggggggggg' } }, undefined, refs));
    expect(v.lines).toEqual([
      { kind: 'diff', label: 'Group', before: { text: 'Retail (deleted)', raw: 'oooooooooooo' }, after: { text: 'Wholesale', href: '/groups/gggggggggggg', raw: 'gggggggggggg' } },
    ]);
  });

  it('names the assigned user, and says so when an id cannot be named', () => {
    const v = describe0(ev('client.updated', { assigned_user: { before: 'zzzzzzzzzzzz', after: 'uuuuuuuuuuuu' } }, undefined, refs));
    expect(v.lines).toEqual([{ kind: 'diff', label: 'Assigned user', before: { text: 'a former user', raw: 'zzzzzzzzzzzz' }, after: { text: 'Ann Admin', raw: 'uuuuuuuuuuuu' } }]);
  });

  it('links the client a client was merged into', () => {
    const v = describe0(ev('client.deleted', { merged_into: { before: null, after: 'tttttttttttt' } }, undefined, refs));
    expect(v.lines).toEqual([{ kind: 'note', text: 'Merged into Acme Ltd', parts: ['Merged into ', { text: 'Acme Ltd', href: '/clients/tttttttttttt', raw: 'tttttttttttt' }] }]);
  });

  it('shows the money of a merge in the currency it names, with its decimals, and not the unit as a change', () => {
    const v = describe0(ev('client.merged', { balance: { before: '0.000000', after: '-25.000000' }, currency: { before: null, after: 'JPY' } }), { currency: 'USD' });
    expect(v.lines).toEqual([{ kind: 'diff', label: 'Balance', before: { text: '¥0', raw: '0.000000 JPY' }, after: { text: '-¥25', raw: '-25.000000 JPY' } }]);
  });

  it('falls back to the client\'s currency for events that do not say theirs', () => {
    const v = describe0(ev('ledger_entry.created', { kind: { before: null, after: 'invoice' }, balance: { before: '1199.75', after: '799.75' } }), { currency: 'GBP' });
    expect(v.lines).toEqual([{ kind: 'diff', label: 'Balance', before: { text: '£1,199.75', raw: '1199.75 GBP' }, after: { text: '£799.75', raw: '799.75 GBP' } }]);
  });

  it('says when a first entry fixed the client\'s currency', () => {
    const v = describeEvent(ev('ledger_entry.created', { kind: { before: null, after: 'invoice' }, 'settings.currency': { before: null, after: 'USD' } }));
    expect(v.lines).toEqual([{ kind: 'note', text: "The client's first ledger entry: its currency is now fixed at USD" }]);
  });

  it('shows times in the reader\'s locale, the API\'s value as raw', () => {
    const v = describe0(ev('client.updated', { expires_at: { before: null, after: '2026-03-31T12:30:00.000000Z' } }));
    const d = v.lines[0]!;
    expect(d.kind === 'diff' && d.after.raw).toBe('2026-03-31T12:30:00.000000Z');
    expect(d.kind === 'diff' && d.after.text).not.toContain('T12:30');
  });
});
