import { describe, expect, it } from 'vitest';
import { draftOf, formatValue, parseDraft, sameValue } from './values';

const row = (type: Parameters<typeof parseDraft>[0]['type'], values: string[] = [], key = 'k') => ({ key, type, values });

describe('setting values', () => {
  it('shows values in inputs', () => {
    expect(draftOf('boolean', true)).toBe(true);
    expect(draftOf('boolean', 'yes')).toBe(false);
    expect(draftOf('integer', 14)).toBe('14');
    expect(draftOf('integer_list', [7, 14, 30])).toBe('7, 14, 30');
    expect(draftOf('object', { a: 1 })).toBe('{\n  "a": 1\n}');
    expect(draftOf('currency', 'EUR')).toBe('EUR');
    expect(draftOf('string', null)).toBe('');
  });

  it('parses integers', () => {
    expect(parseDraft(row('integer'), ' 30 ')).toEqual({ ok: true, value: 30 });
    expect(parseDraft(row('integer'), '-1')).toEqual({ ok: true, value: -1 });
  });
  it('refuses what is not a whole number, or too large to be exact', () => {
    expect(parseDraft(row('integer'), '3.5')).toEqual({ ok: false, error: 'Enter a whole number, such as 14' });
    expect(parseDraft(row('integer'), '')).toEqual({ ok: false, error: 'Enter a value' });
    expect(parseDraft(row('integer'), '99999999999999999999')).toEqual({ ok: false, error: 'The number is too large' });
    expect(parseDraft(row('integer'), true)).toEqual({ ok: false, error: 'Enter a value' });
  });

  it('parses booleans from switches only', () => {
    expect(parseDraft(row('boolean'), false)).toEqual({ ok: true, value: false });
    expect(parseDraft(row('boolean'), 'true')).toEqual({ ok: false, error: 'Choose on or off' });
  });

  it('upper-cases currency and country codes', () => {
    expect(parseDraft(row('currency'), 'eur')).toEqual({ ok: true, value: 'EUR' });
    expect(parseDraft(row('country'), 'de')).toEqual({ ok: true, value: 'DE' });
  });
  it('refuses codes of the wrong shape', () => {
    expect(parseDraft(row('currency'), 'EURO').ok).toBe(false);
    expect(parseDraft(row('currency'), '€').ok).toBe(false);
    expect(parseDraft(row('country'), 'DEU').ok).toBe(false);
  });

  it('parses enums, language tags, time zones and decimals', () => {
    expect(parseDraft(row('enum', ['a', 'b']), 'b')).toEqual({ ok: true, value: 'b' });
    expect(parseDraft(row('language'), 'de-CH')).toEqual({ ok: true, value: 'de-CH' });
    expect(parseDraft(row('timezone'), 'America/Argentina/Buenos_Aires')).toEqual({ ok: true, value: 'America/Argentina/Buenos_Aires' });
    expect(parseDraft(row('decimal'), '2.50')).toEqual({ ok: true, value: '2.50' });
  });
  it('refuses values outside an enum and malformed tags, zones and decimals', () => {
    expect(parseDraft(row('enum', ['a', 'b']), 'c')).toEqual({ ok: false, error: 'Choose one of a, b' });
    expect(parseDraft(row('language'), 'english please').ok).toBe(false);
    expect(parseDraft(row('timezone'), 'Europe Berlin').ok).toBe(false);
    expect(parseDraft(row('decimal'), '2,50').ok).toBe(false);
  });

  it('parses integer lists separated by commas or spaces; empty is an empty list', () => {
    expect(parseDraft(row('integer_list'), '7, 14,30  60')).toEqual({ ok: true, value: [7, 14, 30, 60] });
    expect(parseDraft(row('integer_list'), '  ')).toEqual({ ok: true, value: [] });
  });
  it('names the item of a list that is not a number', () => {
    expect(parseDraft(row('integer_list'), '7, two, 30')).toEqual({ ok: false, error: '“two” is not a whole number: separate numbers with commas' });
  });

  it('parses JSON objects', () => {
    expect(parseDraft(row('object'), '{"client1": "Region"}')).toEqual({ ok: true, value: { client1: 'Region' } });
  });
  it('refuses broken JSON and JSON that is not an object', () => {
    expect(parseDraft(row('object'), '{client1: x}')).toEqual({ ok: false, error: 'Not valid JSON' });
    expect(parseDraft(row('object'), '[1]').ok).toBe(false);
    expect(parseDraft(row('object'), 'null').ok).toBe(false);
  });

  it('keeps strings and patterns, trimmed; an empty pattern is refused', () => {
    expect(parseDraft(row('pattern'), ' C-{$counter} ')).toEqual({ ok: true, value: 'C-{$counter}' });
    expect(parseDraft(row('string'), '')).toEqual({ ok: true, value: '' });
    expect(parseDraft(row('pattern'), ' ')).toEqual({ ok: false, error: 'Enter a value' });
  });

  it('compares values whatever their key order', () => {
    expect(sameValue({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue(undefined, null)).toBe(true);
  });

  it('formats values for reading', () => {
    expect(formatValue({ key: 'payment_terms', type: 'integer' }, 30)).toBe('30 days');
    expect(formatValue({ key: 'payment_terms', type: 'integer' }, 1)).toBe('1 day');
    expect(formatValue({ key: 'reminder_schedule', type: 'integer_list' }, [7, 14])).toBe('7, 14 days');
    expect(formatValue({ key: 'x', type: 'boolean' }, false)).toBe('No');
    expect(formatValue({ key: 'currency', type: 'currency' }, 'EUR', 'en')).toBe('EUR (Euro)');
    expect(formatValue({ key: 'language', type: 'language' }, 'de', 'en')).toBe('de (German)');
    expect(formatValue({ key: 'c', type: 'country' }, 'DE', 'en')).toBe('Germany');
    expect(formatValue({ key: 'o', type: 'object' }, { a: 1, b: 2 })).toBe('2 entries');
  });
  it('formats missing, empty and unexpected values without failing', () => {
    expect(formatValue({ key: 'x', type: 'string' }, null)).toBe('—');
    expect(formatValue({ key: 'x', type: 'string' }, '')).toBe('—');
    expect(formatValue({ key: 'currency', type: 'currency' }, 'ZZZ', 'en')).toMatch(/^ZZZ/);
    expect(formatValue({ key: 'reminder_schedule', type: 'integer_list' }, 'oops')).toBe('oops');
    expect(formatValue({ key: 'reminder_schedule', type: 'integer_list' }, [])).toBe('None');
    expect(formatValue({ key: 'o', type: 'object' }, {})).toBe('None');
  });
});
