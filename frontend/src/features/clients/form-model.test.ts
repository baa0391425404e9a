import { describe, expect, it } from 'vitest';
import type { ClientFull } from '../../api/types';
import { createPayload, emptyForm, formFromClient, idempotencyFor, isDirty, localErrors, patchPayload, placeErrors } from './form-model';
import { addRow, setPrimary, updateRow } from './contacts-model';

const addr = { address1: '', address2: '', city: '', state: '', postal_code: '', country: null };
const contact = (id: string, first: string, email: string, primary: boolean) => ({
  id,
  first_name: first,
  last_name: 'Lee',
  email,
  phone: '',
  is_primary: primary,
  send_email: true,
  custom_value1: '',
  custom_value2: '',
  custom_value3: '',
  custom_value4: '',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: 1,
});

// (asserted, not annotated: the fixture holds what the form reads, and
// stays valid while the contract grows new client fields)
function client(): ClientFull {
  const contacts = [contact('aaaaaaaaaaaa', 'Ann', 'ann@acme.test', true), contact('bbbbbbbbbbbb', 'Bob', 'bob@acme.test', false)];
  return {
    id: 'cccccccccccc',
    number: '0007',
    name: 'Acme',
    display_name: 'Acme',
    website: '',
    phone: '',
    vat_number: '',
    id_number: '',
    address: { ...addr, city: 'Berlin', country: 'DE' },
    shipping_address: addr,
    public_notes: '',
    private_notes: '',
    custom_value1: '',
    custom_value2: '',
    custom_value3: '',
    custom_value4: '',
    group: null,
    assigned_user: null,
    balance: '0.00',
    paid_to_date: '0.00',
    status: 'active',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    archived_at: null,
    deleted_at: null,
    version: 3,
    primary_contact: contacts[0]!,
    contacts,
    counts: { contacts: 2, activity: 1 },
  } as ClientFull;
}

describe('create payload', () => {
  it('sends only what was filled in, trimmed, and no blank contact', () => {
    const v = emptyForm();
    v.name = '  Acme Ltd ';
    v.public_notes = 'Line one\n  line two  \n';
    v.address.country = 'DE';
    const p = createPayload(v);
    expect(p.body).toEqual({ name: 'Acme Ltd', public_notes: 'Line one\n  line two', address: { country: 'DE' } });
    expect(p.contactKeys).toEqual([]);
  });

  it('sends contacts in order with their row keys and one primary', () => {
    const v = emptyForm();
    v.contacts = updateRow(v.contacts, v.contacts[0]!.key, { first_name: 'Ann', email: ' ann@acme.test ' });
    v.contacts = addRow(v.contacts);
    v.contacts = updateRow(v.contacts, v.contacts[1]!.key, { first_name: 'Bob', email: 'bob@acme.test' });
    v.contacts = setPrimary(v.contacts, v.contacts[1]!.key);
    const p = createPayload(v);
    expect(p.body.contacts?.map((c) => [c.first_name, c.email, c.is_primary])).toEqual([
      ['Ann', 'ann@acme.test', false],
      ['Bob', 'bob@acme.test', true],
    ]);
    expect(p.contactKeys).toEqual(v.contacts.map((r) => r.key));
  });
});

describe('patch payload', () => {
  it('is empty when nothing changed', () => {
    const o = formFromClient(client());
    const v = formFromClient(client());
    expect(patchPayload(o, v).body).toEqual({});
    expect(isDirty(o, v)).toBe(false);
  });

  it('sends changed fields only, clearing with "" and a country with null', () => {
    const o = formFromClient(client());
    const v = formFromClient(client());
    v.name = 'Acme GmbH';
    v.number = '';
    v.address.country = '';
    v.address.city = 'Hamburg';
    expect(patchPayload(o, v).body).toEqual({ name: 'Acme GmbH', number: '', address: { country: null, city: 'Hamburg' } });
  });

  it('sends the complete contact list, with ids, when a contact changed', () => {
    const o = formFromClient(client());
    const v = formFromClient(client());
    v.contacts = setPrimary(v.contacts, 'bbbbbbbbbbbb');
    const p = patchPayload(o, v);
    expect(p.body.contacts?.map((c) => [c.id, c.is_primary])).toEqual([
      ['aaaaaaaaaaaa', false],
      ['bbbbbbbbbbbb', true],
    ]);
    expect(p.contactKeys).toEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb']);
  });

  it('ignores an added row that stayed blank', () => {
    const o = formFromClient(client());
    const v = formFromClient(client());
    v.contacts = addRow(v.contacts);
    expect(patchPayload(o, v).body).toEqual({});
  });
});

describe('the group on the form', () => {
  it('sends a chosen group on create and a changed one on edit', () => {
    expect(createPayload({ ...emptyForm(), name: 'A', group: 'gggggggggggg' }).body.group).toBe('gggggggggggg');
    const o = formFromClient({ ...client(), group: 'gggggggggggg' });
    expect(o.group).toBe('gggggggggggg');
    expect(patchPayload(o, { ...o, group: 'hhhhhhhhhhhh' }).body).toEqual({ group: 'hhhhhhhhhhhh' });
  });

  it('sends no group when none is chosen, and null to take the client out of one', () => {
    expect('group' in createPayload({ ...emptyForm(), name: 'A' }).body).toBe(false);
    const o = formFromClient({ ...client(), group: 'gggggggggggg' });
    expect(patchPayload(o, { ...o, group: '' }).body).toEqual({ group: null });
    expect(patchPayload(o, o).body).toEqual({});
  });
});

describe('the assigned user on the form (issue 11)', () => {
  it('sends a chosen user on create, a changed one on edit, and null to unassign', () => {
    expect(createPayload({ ...emptyForm(), name: 'A', assigned_user: 'uuuuuuuuuuuu' }).body.assigned_user).toBe('uuuuuuuuuuuu');
    expect('assigned_user' in createPayload({ ...emptyForm(), name: 'A' }).body).toBe(false);
    const o = formFromClient({ ...client(), assigned_user: 'uuuuuuuuuuuu' });
    expect(o.assigned_user).toBe('uuuuuuuuuuuu');
    expect(patchPayload(o, { ...o, assigned_user: 'vvvvvvvvvvvv' }).body).toEqual({ assigned_user: 'vvvvvvvvvvvv' });
    expect(patchPayload(o, { ...o, assigned_user: '' }).body).toEqual({ assigned_user: null });
  });
});

describe('what the form checks before sending (issue 11)', () => {
  it('holds the website and the phone numbers to the API\'s rules, named as the API would', () => {
    expect(localErrors({ website: 'not a url', phone: 'abc', contacts: [{ phone: '+44 20 7946 0958', send_email: true }, { phone: '12', send_email: true }] })).toEqual({
      website: 'Not an http(s) URL such as "https://example.com": "not a url"',
      phone: expect.stringMatching(/^Not a phone number .*: "abc"$/),
      'contacts[1].phone': expect.stringMatching(/^Not a phone number .*: "12"$/),
    });
  });
  it('(twin) finds nothing wrong with good or empty values, or with what is not sent', () => {
    expect(localErrors({ website: 'https://acme.example', phone: '', contacts: [{ phone: '', send_email: true }] })).toEqual({});
    expect(localErrors({ name: 'A' })).toEqual({});
  });
});

describe('placing API errors on the form', () => {
  it('maps client, address and contact errors; keeps the rest for the summary', () => {
    const placed = placeErrors(
      {
        name: 'Too long',
        'address.country': 'Not a country',
        'contacts[1].email': 'Not a valid email address: "bad"',
        'contacts[0]': 'Duplicate contact',
        group: 'No such group',
        assigned_user: 'No such user',
        'contacts[5].email': 'Out of range',
      },
      ['k0', 'k1'],
    );
    expect(placed.fields).toEqual({ name: 'Too long', 'address.country': 'Not a country', group: 'No such group', assigned_user: 'No such user' });
    expect(placed.contacts).toEqual({ k1: { email: 'Not a valid email address: "bad"' }, k0: { '': 'Duplicate contact' } });
    expect(placed.other).toEqual([['contacts[5].email', 'Out of range']]);
  });
});

describe('idempotency keys for creates', () => {
  it('reuses the key for the same request and makes a new one for another', () => {
    let n = 0;
    const make = () => `k${++n}`;
    const a = idempotencyFor('{"name":"A"}', null, make);
    expect(idempotencyFor('{"name":"A"}', a, make)).toBe(a);
    const b = idempotencyFor('{"name":"B"}', a, make);
    expect(b.key).toBe('k2');
  });
});
