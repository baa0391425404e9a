import { describe, expect, it } from 'vitest';
import { DEFAULTS, SORTS, SORT_CHOICES, listQueryString, nextSort, parseListQuery, toApiParams, withChange } from './list-state';

describe('list query state', () => {
  it('defaults an empty query', () => {
    expect(parseListQuery({})).toEqual(DEFAULTS);
    expect(listQueryString(DEFAULTS)).toBe('');
  });

  it('round-trips every field through the URL', () => {
    const s = { q: 'acme & co', status: 'archived' as const, sort: '-balance' as const, page: 3, perPage: 50 };
    const qs = listQueryString(s);
    expect(qs).toBe('?q=acme+%26+co&status=archived&sort=-balance&page=3&per_page=50');
    expect(parseListQuery(Object.fromEntries(new URLSearchParams(qs)))).toEqual(s);
  });

  it('falls back to defaults for junk', () => {
    expect(parseListQuery({ status: 'gone', sort: 'colour', page: '-2', per_page: '7' })).toEqual(DEFAULTS);
    expect(parseListQuery({ page: '0' }).page).toBe(1);
    expect(parseListQuery({ page: '2.5' }).page).toBe(1);
    expect(parseListQuery({ sort: '-name' }).sort).toBe('-name');
  });

  it('filters by a group given by its id', () => {
    const s = parseListQuery({ group: 'g1247xnvd6bz' });
    expect(s.group).toBe('g1247xnvd6bz');
    expect(listQueryString({ ...s, status: 'all' })).toBe('?group=g1247xnvd6bz&status=all');
    expect(toApiParams(s).group).toBe('g1247xnvd6bz');
    expect(withChange({ ...s, page: 3 }, { group: undefined })).toEqual({ ...DEFAULTS, page: 1 });
  });

  it('filters the clients in no group (issue 11)', () => {
    const s = parseListQuery({ group: 'none' });
    expect(s.group).toBe('none');
    expect(listQueryString(s)).toBe('?group=none');
    expect(toApiParams(s).group).toBe('none');
    expect(parseListQuery({ group: 'None' }).group).toBeUndefined();
  });

  it('offers every sort in words for a phone, each once', () => {
    const values = SORT_CHOICES.map((c) => c.value);
    expect(new Set(values).size).toBe(values.length);
    for (const k of SORTS) expect(values).toEqual(expect.arrayContaining([k, `-${k}`]));
  });

  it('ignores a group that is not an id', () => {
    expect(parseListQuery({ group: 'Wholesale' })).toEqual(DEFAULTS);
    expect(parseListQuery({ group: 'g1247xnvd6bzq' }).group).toBeUndefined();
    expect(parseListQuery({ group: 'ILLEGALCHARS' }).group).toBeUndefined();
  });

  it('caps the search at the API limit of 100 characters', () => {
    expect(parseListQuery({ q: 'x'.repeat(150) }).q).toHaveLength(100);
  });

  it('leaves a blank search out of the URL', () => {
    expect(listQueryString({ ...DEFAULTS, q: '   ' })).toBe('');
  });

  it('goes back to page 1 when the search, filter, sort or page size change', () => {
    const s = { ...DEFAULTS, page: 4 };
    expect(withChange(s, { q: 'a' }).page).toBe(1);
    expect(withChange(s, { status: 'deleted' }).page).toBe(1);
    expect(withChange(s, { sort: 'name' }).page).toBe(1);
    expect(withChange(s, { perPage: 100 }).page).toBe(1);
    expect(withChange(s, { page: 5 }).page).toBe(5);
  });

  it('flips the sort on the same column and picks a natural first direction', () => {
    expect(nextSort('-created_at', 'name')).toBe('name');
    expect(nextSort('name', 'name')).toBe('-name');
    expect(nextSort('-name', 'name')).toBe('name');
    expect(nextSort('name', 'balance')).toBe('-balance');
    expect(nextSort('-created_at', 'created_at')).toBe('created_at');
    expect(nextSort('name', 'colour')).toBe('name');
  });

  it('builds API parameters', () => {
    expect(toApiParams({ ...DEFAULTS, q: ' ann ' })).toEqual({ q: 'ann', status: ['active'], sort: '-created_at', page: 1, per_page: 25 });
    expect(toApiParams({ ...DEFAULTS, status: 'all' }).status).toEqual(['active', 'archived', 'deleted']);
  });
});
