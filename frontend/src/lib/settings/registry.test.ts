import { describe, expect, it } from 'vitest';
import type { EffectiveSettings } from '../../api/types';
import { errorsByKey, sectionSlug, settingKeyOf, settingLabel, settingRows, settingSections } from './registry';

const ALL = ['company', 'group', 'client'] as const;
const body: EffectiveSettings = {
  settings: {
    client_number_pattern: { value: '{$counter}', source: 'default', levels: ['company', 'group'], type: 'pattern', section: 'numbers' },
    currency: { value: 'EUR', source: 'group', levels: [...ALL], type: 'currency', section: 'general' },
    loyalty_tier: { value: 'gold', source: 'company', levels: [...ALL], type: 'enum', section: 'loyalty', values: ['gold', 'silver'] },
    date_format: { value: 'YYYY-MM-DD', source: 'default', levels: [...ALL], type: 'enum', section: 'general', values: ['YYYY-MM-DD', 'DD.MM.YYYY'] },
    portal_uploads: { value: false, source: 'company', levels: ['company'], type: 'boolean', section: 'portal' },
  },
};

describe('settings registry', () => {
  it('reads every key of an answer with its type, levels and source', () => {
    const rows = settingRows(body);
    expect(rows.map((r) => r.key)).toEqual(['client_number_pattern', 'currency', 'loyalty_tier', 'date_format', 'portal_uploads']);
    expect(rows[1]).toEqual({ key: 'currency', type: 'currency', section: 'general', levels: ['company', 'group', 'client'], values: [], value: 'EUR', source: 'group' });
    expect(rows[3]!.values).toEqual(['YYYY-MM-DD', 'DD.MM.YYYY']);
  });

  it('reads an answer without keys as no rows', () => {
    expect(settingRows({ settings: {} })).toEqual([]);
  });

  it('groups known sections in their order, unknown ones after, with titles', () => {
    const s = settingSections(settingRows(body));
    expect(s.map((x) => x.id)).toEqual(['general', 'portal', 'numbers', 'loyalty']);
    expect(s[0]!.rows.map((r) => r.key)).toEqual(['currency', 'date_format']);
    expect(s[0]!.title).toBe('General');
    expect(s[2]!.title).toBe('Generated numbers');
  });

  it('names a section the SPA does not know after its id, and leaves out keys not settable at a level', () => {
    const client = settingSections(settingRows(body), 'client');
    expect(client.map((x) => x.id)).toEqual(['general', 'loyalty']);
    expect(client[1]!.title).toBe('Loyalty');
    expect(client[1]!.description).toBe('');
    expect(sectionSlug('custom_fields')).toBe('custom-fields');
  });

  it('labels known keys for people and falls back to the key', () => {
    expect(settingLabel('timezone')).toBe('Time zone');
    expect(settingLabel('loyalty_tier')).toBe('Loyalty tier');
    expect(settingLabel('')).toBe('');
    // names of Object.prototype are keys like any other
    expect(settingLabel('constructor')).toBe('Constructor');
    expect(settingSections([{ key: 'a', type: 'string', section: 'toString', levels: ['company'], values: [], value: '', source: 'default' }])[0]!.title).toBe('ToString');
  });

  it('finds the key of a field path, with or without a prefix', () => {
    expect(settingKeyOf('currency')).toBe('currency');
    expect(settingKeyOf('reminder_schedule[1]')).toBe('reminder_schedule');
    expect(settingKeyOf('portal_registration_fields.city.required')).toBe('portal_registration_fields');
    expect(settingKeyOf('settings.currency', 'settings')).toBe('currency');
    // a path without the prefix is taken as it is
    expect(settingKeyOf('name', 'settings')).toBe('name');
  });

  it('gathers field errors per key, the first message winning', () => {
    expect(errorsByKey({ 'reminder_schedule[2]': 'a', 'reminder_schedule[1]': 'b', currency: 'c' })).toEqual({ reminder_schedule: 'a', currency: 'c' });
    expect(errorsByKey({})).toEqual({});
    expect(errorsByKey({ toString: 'x' })).toEqual({ toString: 'x' });
    expect(errorsByKey({ 'settings.timezone': 'x', name: 'y' }, 'settings')).toEqual({ timezone: 'x', name: 'y' });
  });
});
