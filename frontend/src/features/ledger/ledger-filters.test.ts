import { describe, expect, it } from 'vitest';
import { dayEnd, dayStart } from '../../lib/days';
import { hasFilters, ledgerQueryString, listQuery, NO_FILTERS, parseLedgerQuery, rangeLabel, rangeProblem, rangeQuery } from './ledger-filters';

describe('ledger filters in the URL', () => {
  it('reads days and kinds, in a fixed order and without repeats', () => {
    expect(parseLedgerQuery({ from: '2026-01-01', to: '2026-03-31', kind: 'refund,payment,refund' })).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
      kinds: ['payment', 'refund'],
    });
    expect(parseLedgerQuery({})).toEqual(NO_FILTERS);
  });

  it('drops what is not a real day or a known kind', () => {
    expect(parseLedgerQuery({ from: '2026-02-30', to: 'yesterday', kind: 'payment,bogus,,' })).toEqual({ from: '', to: '', kinds: ['payment'] });
    expect(parseLedgerQuery({ kind: 'PAYMENT' }).kinds).toEqual([]);
  });

  it('writes the query back, leaving out what is not set', () => {
    expect(ledgerQueryString({ from: '2026-01-01', to: '', kinds: ['payment', 'refund'] })).toBe('?from=2026-01-01&kind=payment,refund');
    expect(ledgerQueryString(NO_FILTERS)).toBe('');
    const f = { from: '2026-01-01', to: '2026-03-31', kinds: ['invoice' as const] };
    expect(parseLedgerQuery(Object.fromEntries(new URLSearchParams(ledgerQueryString(f).slice(1))))).toEqual(f);
    expect(hasFilters(f)).toBe(true);
    expect(hasFilters(NO_FILTERS)).toBe(false);
  });

  it('refuses a range that ends before it starts', () => {
    expect(rangeProblem({ from: '2026-03-31', to: '2026-01-01', kinds: [] })).toMatch(/before the start/);
    expect(rangeProblem({ from: '2026-03-31', to: '2026-03-31', kinds: [] })).toBeNull();
    expect(rangeProblem({ from: '2026-03-31', to: '', kinds: [] })).toBeNull();
  });

  it('asks the API for the instants that bound the local days', () => {
    expect(rangeQuery({ from: '2026-01-01', to: '2026-03-31', kinds: ['payment'] })).toEqual({ from: dayStart('2026-01-01'), to: dayEnd('2026-03-31') });
    expect(rangeQuery(NO_FILTERS)).toEqual({ from: undefined, to: undefined });
    expect(listQuery({ from: '', to: '', kinds: ['payment', 'refund'] })).toEqual({ from: undefined, to: undefined, kind: 'payment,refund' });
    expect(listQuery(NO_FILTERS).kind).toBeUndefined();
  });

  it('names ranges for people', () => {
    const day = (d: string) => `<${d}>`;
    expect(rangeLabel({ from: '2026-01-01', to: '2026-03-31', kinds: [] }, day)).toBe('<2026-01-01> – <2026-03-31>');
    expect(rangeLabel({ from: '2026-01-01', to: '', kinds: [] }, day)).toBe('Since <2026-01-01>');
    expect(rangeLabel({ from: '', to: '2026-03-31', kinds: [] }, day)).toBe('Until <2026-03-31>');
    expect(rangeLabel(NO_FILTERS, day)).toBe('All time');
  });
});
