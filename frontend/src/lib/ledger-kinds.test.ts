import { describe, expect, it } from 'vitest';
import { isLedgerKind, kindLabel, kindsLabel, LEDGER_KINDS } from './ledger-kinds';

describe('ledger kinds in words', () => {
  it('names kinds for people', () => {
    expect(kindLabel('opening_balance')).toBe('Opening balance');
    expect(kindLabel('future_kind')).toBe('future_kind');
    expect(kindLabel('toString')).toBe('toString');
    expect(kindsLabel(['refund', 'payment'])).toBe('Payments and refunds');
    expect(kindsLabel(['invoice', 'credit', 'refund'])).toBe('Invoices, credits and refunds');
    expect(kindsLabel([])).toBe('');
  });

  it('lists every kind of the API once, in a fixed order', () => {
    expect(LEDGER_KINDS.map((k) => k.id)).toEqual(['invoice', 'payment', 'credit', 'refund', 'adjustment', 'opening_balance', 'merge']);
    expect(isLedgerKind('merge')).toBe(true);
    expect(isLedgerKind('constructor')).toBe(false);
  });
});
