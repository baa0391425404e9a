import { describe, expect, it } from 'vitest';
import type { SettingRow } from '../../lib/settings/registry';
import { previewErrorKey, previewRequest } from './preview-model';

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
