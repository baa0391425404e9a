import { describe, expect, it } from 'vitest';
import type { EffectiveSettings } from '../api/types';
import { customLabels, shownCustomFields } from './custom-fields';

const settings = (value: unknown): EffectiveSettings => ({
  settings: { custom_fields: { value, source: 'company', levels: ['company'], type: 'object', section: 'custom_fields' } },
});

describe('custom fields (issue 11)', () => {
  it('reads the labels of clients and of contacts', () => {
    const s = settings({ client1: 'Region', client3: ' Account manager ', contact2: 'Role' });
    expect(customLabels(s, 'client')).toEqual(['Region', '', 'Account manager', '']);
    expect(customLabels(s, 'contact')).toEqual(['', 'Role', '', '']);
    expect(customLabels(undefined, 'client')).toEqual(['', '', '', '']);
    expect(customLabels(settings('junk'), 'client')).toEqual(['', '', '', '']);
  });

  it('shows the named fields, and an unnamed one only while it holds a value', () => {
    expect(shownCustomFields(['Region', '', '', ''], [{ custom_value1: '', custom_value2: '', custom_value3: 'x', custom_value4: ' ' }])).toEqual([
      { n: 1, key: 'custom_value1', label: 'Region', unnamed: false },
      { n: 3, key: 'custom_value3', label: 'Custom field 3 (not named)', unnamed: true },
    ]);
    expect(shownCustomFields(['', '', '', ''], [])).toEqual([]);
  });
});
