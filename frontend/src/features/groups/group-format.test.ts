import { describe, expect, it } from 'vitest';
import type { Group } from '../../api/types';
import { allMembers, memberBreakdown, memberCount, overridesSummary } from './group-format';

// The contract types a group's sparse settings loosely; the tests use real shapes.
const settings = (o: Record<string, unknown>) => o as Group['settings'];

describe('group words', () => {
  it('counts members', () => {
    expect(memberCount(1)).toBe('1 client');
    expect(memberCount(1200)).toMatch(/^1.200 clients$/);
  });
  it('says "No clients" for zero and for nonsense counts', () => {
    expect(memberCount(0)).toBe('No clients');
    expect(memberCount(-3)).toBe('No clients');
    expect(memberCount(Number.NaN)).toBe('No clients');
  });

  it('counts members by status, as the API counts them for a delete (issue 11)', () => {
    expect(memberBreakdown({ active: 1, archived: 1, deleted: 1 })).toBe('1 active, 1 archived and 1 deleted');
    expect(memberBreakdown({ active: 0, archived: 0, deleted: 2 })).toBe('2 deleted');
    expect(memberBreakdown({ active: 3, archived: 0, deleted: 2 })).toBe('3 active and 2 deleted');
    expect(memberBreakdown({ active: 0, archived: 0, deleted: 0 })).toBe('');
    expect(allMembers({ active: 1, archived: 2, deleted: 3 })).toBe(6);
  });

  it('lists overridden keys by their labels, shortening long lists', () => {
    expect(overridesSummary(settings({ currency: 'EUR', payment_terms: 30 }))).toBe('Currency, Payment terms');
    expect(overridesSummary(settings({ a: 1, b: 2, c: 3, d: 4, e: 5 }))).toBe('A, B, C +2 more');
  });
  it('lists nothing for no overrides or a malformed value', () => {
    expect(overridesSummary(settings({}))).toBe('');
    expect(overridesSummary(null)).toBe('');
    expect(overridesSummary(settings(['currency'] as unknown as Record<string, unknown>))).toBe('');
  });
});
