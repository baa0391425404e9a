import { describe, expect, it } from 'vitest';
import type { LedgerSummary } from '../../api/types';
import { balanceSeries, chartSummary } from './ledger-series';

const summary = (points: [string, string, string][], range: Partial<LedgerSummary['range']> = {}): LedgerSummary => ({
  client_id: 'btt3y5jhez9n',
  balance: '310.50',
  paid_to_date: '40.00',
  range: { currency: 'USD', from: null, to: null, opening_balance: '0.00', closing_balance: '310.50', opening_paid_to_date: '0.00', closing_paid_to_date: '40.00', ...range },
  totals: {},
  points: points.map(([date, balance, paid_to_date]) => ({ date, balance, paid_to_date })),
});

const THREE: [string, string, string][] = [
  ['2026-01-05', '100.00', '0.00'],
  ['2026-02-01', '350.50', '0.00'],
  ['2026-11-20', '310.50', '40.00'],
];
const day = (d: string) => d;
const money = (v: string) => `$${v}`;

describe('balance chart series', () => {
  it('plots each day with entries and carries the closing balance to today', () => {
    const s = balanceSeries(summary(THREE), '2026-11-28');
    expect(s.points.map((p) => p.day)).toEqual(['2026-01-05', '2026-02-01', '2026-11-20', '2026-11-28']);
    expect(s.balance).toEqual([100, 350.5, 310.5, 310.5]);
    expect(s.paid).toEqual([0, 0, 40, 40]);
    expect(s.xs[0]).toBe(Date.UTC(2026, 0, 5) / 1000);
    expect(s.xs).toEqual([...s.xs].sort((a, b) => a - b));
  });

  it('starts a range at its opening balance and ends it at its last day', () => {
    const s = balanceSeries(
      summary([['2026-02-01', '350.50', '0.00']], { from: '2026-01-10T00:00:00.000000Z', to: '2026-10-01T23:59:59.999999Z', opening_balance: '100.00', closing_balance: '350.50', closing_paid_to_date: '0.00' }),
      '2026-11-28',
    );
    expect(s.points).toEqual([
      { day: '2026-01-10', balance: '100.00', paid: '0.00' },
      { day: '2026-02-01', balance: '350.50', paid: '0.00' },
      { day: '2026-10-01', balance: '350.50', paid: '0.00' },
    ]);
  });

  it('adds nothing where a point already is, and nothing after today', () => {
    const s = balanceSeries(summary(THREE, { from: '2026-01-05T00:00:00Z', to: '2027-12-31T23:59:59Z' }), '2026-11-20');
    expect(s.points.map((p) => p.day)).toEqual(['2026-01-05', '2026-02-01', '2026-11-20']);
  });

  it('shows a range without entries as its balance throughout', () => {
    const s = balanceSeries(summary([], { from: '2026-03-01T00:00:00Z', to: '2026-03-31T23:59:59Z', opening_balance: '75.00', closing_balance: '75.00' }), '2026-11-28');
    expect(s.points.map((p) => [p.day, p.balance])).toEqual([
      ['2026-03-01', '75.00'],
      ['2026-03-31', '75.00'],
    ]);
    expect(balanceSeries(summary([], { closing_balance: '0.00' }), '2026-11-28').points).toEqual([]);
  });

  it('leaves a gap for a value it cannot plot instead of failing', () => {
    const s = balanceSeries(summary([['2026-01-05', 'oops', '0.00']]), '2026-01-05');
    expect(s.balance).toEqual([0, null]);
  });

  it('draws one day as a line from the day before, at the balance before it (issue 11)', () => {
    const s = balanceSeries(summary([['2026-11-28', '1250.00', '0.00']], { closing_balance: '1250.00', closing_paid_to_date: '0.00' }), '2026-11-28');
    expect(s.points).toEqual([
      { day: '2026-11-27', balance: '0.00', paid: '0.00', before: true },
      { day: '2026-11-28', balance: '1250.00', paid: '0.00' },
    ]);
    expect(s.xs).toEqual([Date.UTC(2026, 10, 27) / 1000, Date.UTC(2026, 10, 28) / 1000]);
    // a one-day range starts at its opening balance; across a month's end too
    const r = balanceSeries(
      summary([['2026-03-01', '80.00', '20.00']], { from: '2026-03-01T00:00:00Z', to: '2026-03-01T23:59:59Z', opening_balance: '100.00', opening_paid_to_date: '0.00', closing_balance: '80.00', closing_paid_to_date: '20.00' }),
      '2026-11-28',
    );
    expect(r.points.map((p) => [p.day, p.balance, p.paid])).toEqual([
      ['2026-02-28', '100.00', '0.00'],
      ['2026-03-01', '80.00', '20.00'],
    ]);
    // two days or more need nothing made up
    expect(balanceSeries(summary([['2026-11-27', '5.00', '0.00']], { closing_balance: '5.00' }), '2026-11-28').points.some((p) => p.before)).toBe(false);
  });
});

describe('balance chart caption', () => {
  it('says where the balance started, ended, peaked and bottomed', () => {
    const sum = summary(THREE);
    expect(chartSummary(sum, balanceSeries(sum, '2026-11-28'), money, day)).toBe(
      'Balance from 2026-01-05 to 2026-11-28: $0.00 at the start, $310.50 at the end; highest $350.50 on 2026-02-01, lowest $100.00 on 2026-01-05. 3 days with entries.',
    );
  });

  it('compares exactly (no float rounding decides the highest)', () => {
    const sum = summary([
      ['2026-01-01', '90071992547409931.01', '0'],
      ['2026-01-02', '90071992547409931.02', '0'],
    ]);
    expect(chartSummary(sum, balanceSeries(sum, '2026-01-02'), money, day)).toMatch(/highest \$90071992547409931\.02 on 2026-01-02, lowest \$90071992547409931\.01 on 2026-01-01/);
  });

  it('speaks of one day, or of none', () => {
    const one = summary([['2026-11-28', '40.00', '0.00']], { closing_balance: '40.00' });
    expect(chartSummary(one, balanceSeries(one, '2026-11-28'), money, day)).toMatch(/^Balance on 2026-11-28: .* 1 day with entries\.$/);
    const none = summary([], { closing_balance: '0.00' });
    expect(chartSummary(none, balanceSeries(none, '2026-11-28'), money, day)).toBe('No entries yet: the balance is $0.00.');
    const quiet = summary([], { from: '2026-03-01T00:00:00Z', closing_balance: '75.00' });
    expect(chartSummary(quiet, balanceSeries(quiet, '2026-11-28'), money, day)).toBe('No entries in this range: the balance stayed at $75.00.');
  });
});
