import { describe, expect, it } from 'vitest';
import { fieldLabel, humanise, indexed, prefixed, unplaced } from './field-errors';

const errors = {
  name: 'Too long',
  'address.country': 'Not a country',
  'shipping_address.city': 'Too long',
  'contacts[1].email': 'Not an email',
  'contacts[0]': 'Duplicate',
  'contacts[12].first_name': 'Too long',
  'contactsX[1].email': 'not ours',
};

describe('field errors', () => {
  it('picks a nested object’s errors by prefix', () => {
    expect(prefixed(errors, 'address')).toEqual({ country: 'Not a country' });
    expect(prefixed(errors, 'shipping_address')).toEqual({ city: 'Too long' });
    expect(prefixed(errors, 'nothing')).toEqual({});
  });

  it('groups list errors by index, "" for the element itself', () => {
    expect(indexed(errors, 'contacts')).toEqual({ 1: { email: 'Not an email' }, 0: { '': 'Duplicate' }, 12: { first_name: 'Too long' } });
  });

  it('lists what no input shows', () => {
    expect(unplaced(errors, (f) => f === 'name' || f.startsWith('contacts['))).toEqual([
      ['address.country', 'Not a country'],
      ['shipping_address.city', 'Too long'],
      ['contactsX[1].email', 'not ours'],
    ]);
  });

  it('labels API paths for people', () => {
    expect(fieldLabel('contacts[1].email')).toBe('Contact 2 · Email');
    expect(fieldLabel('address.postal_code', { address: 'Billing address' })).toBe('Billing address · Postal code');
    expect(fieldLabel('vat_number', { vat_number: 'VAT number' })).toBe('VAT number');
    expect(humanise('custom_value1')).toBe('Custom value1');
  });
});
