import { describe, expect, it } from 'vitest';
import type { SettingRow } from '../../lib/settings/registry';
import { checkPattern, previewErrorKey, previewRequest } from './preview-model';

const row = (key: string, type: SettingRow['type'], value: unknown): SettingRow => ({ key, type, value, section: 'numbers', levels: ['company', 'group'], values: [], source: 'default' });
const rows = [row('client_number_pattern', 'pattern', '{$counter}'), row('client_number_counter', 'integer', 201), row('counter_padding', 'integer', 4)];
const saved = { client_number_pattern: '{$counter}', client_number_counter: '201', counter_padding: '4' };

describe('number preview requests', () => {
  it('sends only unsaved values', () => {
    expect(previewRequest(rows, saved)).toEqual({ ok: true, query: {} });
    expect(previewRequest(rows, { ...saved, client_number_pattern: 'C-{$year}-{$counter}', counter_padding: ' 5' })).toEqual({
      ok: true,
      query: { pattern: 'C-{$year}-{$counter}', padding: 5 },
    });
    expect(previewRequest(rows, { ...saved, client_number_counter: '1000' })).toEqual({ ok: true, query: { counter: 1000 } });
  });

  it('makes no request for drafts that cannot be sent, naming the field', () => {
    expect(previewRequest(rows, { ...saved, counter_padding: 'four' })).toEqual({ ok: false, key: 'counter_padding', error: 'Enter a whole number, such as 14' });
    expect(previewRequest(rows, { ...saved, counter_padding: '11' })).toEqual({ ok: false, key: 'counter_padding', error: 'Use 1 to 10 digits' });
    expect(previewRequest(rows, { ...saved, client_number_counter: '0' })).toEqual({ ok: false, key: 'client_number_counter', error: 'The counter starts at 1' });
    expect(previewRequest(rows, { ...saved, client_number_pattern: '  ' })).toEqual({ ok: false, key: 'client_number_pattern', error: 'Enter a value' });
  });

  it('leaves out keys the registry does not have', () => {
    expect(previewRequest([rows[0]!], { client_number_pattern: 'N{$counter}', counter_padding: '99' })).toEqual({ ok: true, query: { pattern: 'N{$counter}' } });
  });

  it('maps the endpoint’s parameters to settings', () => {
    expect(previewErrorKey('pattern')).toBe('client_number_pattern');
    expect(previewErrorKey('padding')).toBe('counter_padding');
  });
  it('maps unknown or missing parameters to nothing', () => {
    expect(previewErrorKey('group')).toBeNull();
    expect(previewErrorKey(null)).toBeNull();
    expect(previewErrorKey('toString')).toBeNull();
  });
});

// The same rules as api/src/core/numbers.c (tests/unit/test_numbers.c), so
// that the preview asks the API only about patterns it would take.
describe('patterns checked before asking (issue 11)', () => {
  it('takes what the API takes', () => {
    for (const p of ['{$counter}', 'C-{$year}-{$counter}', 'G{$group_counter}', '{$date:Y-m-d}/{$counter}', '{$client_id_number}-{$user_id}-{$month}{$counter}']) {
      expect(checkPattern(p), p).toEqual({ state: 'ok' });
    }
  });
  it('is quiet about a variable still being typed', () => {
    for (const p of ['C-{', 'C-{$cou', '{$counter}-{$ye']) expect(checkPattern(p), p).toEqual({ state: 'unfinished' });
  });
  it('(twin) says what the API would say about the rest', () => {
    expect(checkPattern('C-{$year}')).toEqual({ state: 'invalid', message: 'Client number pattern "C-{$year}" has no counter: every client would get the same number; add {$counter} or {$group_counter}' });
    expect(checkPattern('C-{$cnt}')).toEqual({ state: 'invalid', message: 'Unknown variable "{$cnt}" in client number pattern' });
    expect(checkPattern('C-}{$counter}')).toMatchObject({ state: 'invalid', message: expect.stringMatching(/^Unbalanced brace/) });
    expect(checkPattern('{ {$counter}')).toMatchObject({ state: 'invalid', message: expect.stringMatching(/^Unbalanced brace/) });
    expect(checkPattern('{$date:Q}{$counter}')).toMatchObject({ state: 'invalid', message: expect.stringMatching(/^Invalid date format "Q"/) });
    expect(checkPattern('x'.repeat(60) + '{$counter}')).toEqual({ state: 'invalid', message: 'Client number pattern is longer than 64 characters' });
    expect(checkPattern('')).toEqual({ state: 'invalid', message: 'Client number pattern must not be empty' });
  });
  it('makes no request for them', () => {
    expect(previewRequest(rows, { ...saved, client_number_pattern: 'C-{$cou' })).toEqual({ ok: false, key: 'client_number_pattern', unfinished: true });
    expect(previewRequest(rows, { ...saved, client_number_pattern: 'C-{$year}' })).toMatchObject({ ok: false, key: 'client_number_pattern', error: expect.stringMatching(/has no counter/) });
  });
});
