import { describe, expect, it } from 'vitest';
import { expiryLabel, expiryOf, expiryState, lastUsed } from './token-format';

const NOW = new Date('2026-11-28T10:00:00Z');

describe('a new token\'s expiry (issue 11)', () => {
  it('counts days from now, or none', () => {
    expect(expiryOf('30', '', NOW)).toEqual({ ok: true, value: '2026-12-28T10:00:00.000Z' });
    expect(expiryOf('never', '', NOW)).toEqual({ ok: true, value: null });
  });
  it('ends a picked day at its end, and (twin) refuses a day that is not after today', () => {
    const r = expiryOf('date', '2027-01-31', NOW);
    expect(r.ok && r.value && new Date(r.value).getTime() > new Date('2027-01-31T00:00:00Z').getTime() - 86400_000).toBe(true);
    expect(expiryOf('date', '', NOW)).toEqual({ ok: false, error: 'Pick the day the token stops working' });
    expect(expiryOf('date', '2026-11-28', NOW)).toEqual({ ok: false, error: 'Pick a day after today' });
    expect(expiryOf('date', '2026-02-30', NOW)).toEqual({ ok: false, error: 'Pick the day the token stops working' });
  });
});

describe('a token in the list', () => {
  it('says whether it has expired or soon will', () => {
    expect(expiryState(null, NOW)).toBe('none');
    expect(expiryState('2026-11-28T09:59:59Z', NOW)).toBe('expired');
    expect(expiryState('2026-12-01T00:00:00Z', NOW)).toBe('soon');
    expect(expiryState('2027-06-01T00:00:00Z', NOW)).toBe('active');
    expect(expiryLabel(null, NOW)).toBe('Never');
    expect(expiryLabel('2026-11-01T00:00:00Z', NOW)).toMatch(/^Expired /);
  });
  it('says when it was last used', () => {
    expect(lastUsed(null, NOW)).toBe('Never used');
    expect(lastUsed('2026-11-28T09:58:00Z', NOW)).toBe('Used 2 minutes ago');
  });
});
