import { describe, expect, it } from 'vitest';
import { fieldName, flagMatrix, labelsOf, labelsValue, setFlag, slotLabel } from './objects';

const reg = { name: { required: false, visible: true }, phone: { required: false, visible: false } };

describe('object settings', () => {
  it('sees an object of flag sets as a matrix, "visible" first', () => {
    expect(flagMatrix(reg)).toEqual({ rows: ['name', 'phone'], flags: ['visible', 'required'] });
  });
  it('does not see a matrix in other shapes', () => {
    expect(flagMatrix({})).toBeNull();
    expect(flagMatrix({ a: 'x' })).toBeNull();
    expect(flagMatrix({ a: { b: 1 } })).toBeNull();
    expect(flagMatrix({ a: {} })).toBeNull();
    expect(flagMatrix([{ a: true }])).toBeNull();
    expect(flagMatrix(null)).toBeNull();
  });

  it('makes a required field visible, and a hidden field optional', () => {
    expect(setFlag(reg, 'phone', 'required', true).phone).toEqual({ required: true, visible: true });
    expect(setFlag({ ...reg, name: { required: true, visible: true } }, 'name', 'visible', false).name).toEqual({ required: false, visible: false });
    // the original is left alone
    expect(reg.phone).toEqual({ required: false, visible: false });
  });
  it('sets other flags without side effects', () => {
    expect(setFlag({ a: { on: false, loud: false } }, 'a', 'on', true)).toEqual({ a: { on: true, loud: false } });
    expect(setFlag({}, 'new', 'on', true)).toEqual({ new: { on: true } });
  });

  it('reads and writes labels per slot, leaving out empty ones', () => {
    expect(labelsOf({ client1: 'Region', contact2: 'Role' }, ['client1', 'client2', 'contact2'])).toEqual({ client1: 'Region', client2: '', contact2: 'Role' });
    expect(labelsValue({ client1: 'Sales ', client2: '  ' })).toEqual({ client1: 'Sales ' });
    expect(slotLabel('contact3')).toBe('Contact field 3');
    expect(fieldName('vat_number')).toBe('VAT number');
    expect(fieldName('first_name')).toBe('First name');
  });
  it('reads labels from values of the wrong shape as empty', () => {
    expect(labelsOf(null, ['client1'])).toEqual({ client1: '' });
    expect(labelsOf({ client1: 5 }, ['client1'])).toEqual({ client1: '' });
    expect(slotLabel('odd-slot')).toBe('odd-slot');
    expect(fieldName('hasOwnProperty')).toBe('HasOwnProperty');
  });
});
