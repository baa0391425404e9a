import { describe, expect, it } from 'vitest';
import { formatDate, formatRelative, initials, isNegative, personName, websiteHref, websiteLabel } from './format';

describe('formats', () => {
  it('tells a negative amount', () => {
    expect(isNegative('-3.00')).toBe(true);
    expect(isNegative('3.00')).toBe(false);
  });

  it('shows UTC times in the given locale', () => {
    expect(formatDate('2026-03-04T23:30:00Z', 'en-GB')).toMatch(/Mar 2026/);
    expect(formatDate(null)).toBe('–');
    expect(formatDate('not a date')).toBe('not a date');
  });

  it('says how long ago', () => {
    const now = new Date('2026-05-10T12:00:00Z');
    expect(formatRelative('2026-05-10T11:59:50Z', now, 'en')).toBe('just now');
    expect(formatRelative('2026-05-10T11:55:00Z', now, 'en')).toBe('5 minutes ago');
    expect(formatRelative('2026-05-09T12:00:00Z', now, 'en')).toBe('yesterday');
    expect(formatRelative('2026-04-01T12:00:00Z', now, 'en')).toBe('last month');
  });

  it('names people and makes initials', () => {
    expect(personName({ first_name: ' Ann ', last_name: 'Lee' })).toBe('Ann Lee');
    expect(personName({ first_name: '', last_name: '', email: 'a@b.test' })).toBe('a@b.test');
    expect(personName(null)).toBe('');
    expect(initials('Test Owner')).toBe('TO');
    expect(initials('owner@demo.test')).toBe('OD');
    expect(initials('Zoë')).toBe('ZO');
    expect(initials('')).toBe('?');
  });

  it('links websites with a scheme and shows them without', () => {
    expect(websiteHref('acme.example')).toBe('https://acme.example');
    expect(websiteHref('http://acme.example')).toBe('http://acme.example');
    expect(websiteLabel('https://acme.example/')).toBe('acme.example');
  });
});
