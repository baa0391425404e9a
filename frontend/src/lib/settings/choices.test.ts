import { describe, expect, it } from 'vitest';
import { currencyChoices, languageChoices, timeZoneChoices } from './choices';

describe('setting suggestions', () => {
  it('suggests the currencies and time zones the browser knows, with names', () => {
    const eur = currencyChoices('en').find((c) => c.value === 'EUR');
    expect(eur?.label).toBe('Euro');
    const zones = timeZoneChoices().map((c) => c.value);
    expect(zones).toContain('UTC');
    expect(zones).toContain('Europe/Berlin');
    expect(languageChoices('en').find((c) => c.value === 'de-CH')?.label).toMatch(/German/);
  });

  it('still suggests codes, without names, for a locale that does not exist', () => {
    const list = languageChoices('not a locale!');
    expect(list.length).toBeGreaterThan(10);
    expect(list.every((c) => c.label === '')).toBe(true);
    expect(currencyChoices('not a locale!').some((c) => c.value === 'USD')).toBe(true);
  });
});
