import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { LedgerKindRule } from '../../api/types';
import { dayNoon } from '../../lib/days';
import { isLedgerKind } from '../../lib/ledger-kinds';
import {
  amountMessage,
  balanceAfter,
  buildEntry,
  effectOf,
  entryErrors,
  hasDirection,
  keepsKey,
  keyFor,
  kindHint,
  otherKinds,
  ruleOf,
  signOf,
  type EntryForm,
} from './ledger-entry';
// What GET /api/v1/ledger/kinds answers (the browser test e2e-6.9 holds
// this file to the running daemon).
import served from './ledger-kinds.served.json';

/** The served rules, checked: a fixture that drifted from the API's shape fails here. */
function rules(body: { data: unknown[] }): LedgerKindRule[] {
  return body.data.map((x) => {
    const r = x as LedgerKindRule;
    const ok =
      isLedgerKind(r.kind) &&
      ['positive', 'negative', 'either'].includes(r.sign) &&
      typeof r.moves_paid_to_date === 'boolean' &&
      typeof r.postable === 'boolean' &&
      (r.example === null || typeof r.example === 'string');
    if (!ok) throw new Error(`not a kind rule: ${JSON.stringify(x)}`);
    return r;
  });
}

const KINDS = rules(served);
const rule = (kind: LedgerKindRule['kind']) => {
  const r = ruleOf(KINDS, kind);
  if (!r) throw new Error(`no rule for ${kind}`);
  return r;
};
const PAY = rule('payment');
const TODAY = '2026-11-28';
const form = (over: Partial<EntryForm> = {}): EntryForm => ({ kind: 'payment', direction: 'increase', amount: '40', day: TODAY, reference: '', notes: '', ...over });
/** The body of a form, with the rule of its kind. */
const build = (f: EntryForm, decimal = '.') => buildEntry(f, rule(f.kind), TODAY, decimal);

describe('posting an entry: the served rules', () => {
  it('gives each kind the sign the API serves; either-way kinds follow the direction', () => {
    expect(signOf(rule('payment'), 'increase')).toBe(-1);
    expect(signOf(rule('credit'), 'increase')).toBe(-1);
    expect(signOf(rule('invoice'), 'decrease')).toBe(1);
    expect(signOf(rule('refund'), 'decrease')).toBe(1);
    expect(signOf(rule('adjustment'), 'increase')).toBe(1);
    expect(signOf(rule('adjustment'), 'decrease')).toBe(-1);
    expect(signOf(rule('opening_balance'), 'decrease')).toBe(-1);
    expect(KINDS.filter(hasDirection).map((r) => r.kind)).toEqual(['adjustment', 'opening_balance', 'merge']);
    // every served example has the sign its rule asks for
    for (const r of KINDS.filter((k) => k.example !== null && k.sign !== 'either')) {
      expect(r.example!.startsWith('-') ? -1 : 1).toBe(signOf(r, 'increase'));
    }
  });

  it('offers every kind a person may post but payments; adjustments first; an opening balance only on an empty ledger', () => {
    expect(otherKinds(KINDS, false).map((c) => c.label)).toEqual(['Adjustment', 'Invoice', 'Credit', 'Refund']);
    expect(otherKinds(KINDS, true).map((c) => c.rule.kind)).toEqual(['adjustment', 'invoice', 'credit', 'refund', 'opening_balance']);
  });

  it('words what each kind does from its rule', () => {
    const hints = Object.fromEntries(otherKinds(KINDS, true).map((c) => [c.rule.kind, c.hint]));
    expect(hints).toEqual({
      adjustment: 'Corrects the balance, e.g. a write-off or a fee.',
      invoice: 'An invoice sent outside clientd: adds to what the client owes.',
      credit: 'A credit note: takes the amount off what the client owes.',
      refund: 'Money paid back to the client: adds to the balance and takes off paid to date.',
      opening_balance: 'What the client owed before you started using clientd (only as the first entry).',
    });
    expect(effectOf(PAY)).toBe('takes the amount off the balance and adds it to paid to date');
  });

  it('follows the rules it is given, not a copy: a changed or new kind changes the dialog', () => {
    // had the API made credits either-way and added a positive kind the app has no words for
    const changed: LedgerKindRule[] = [
      ...KINDS.map((r) => (r.kind === 'credit' ? { ...r, sign: 'either' as const } : r)),
      { kind: 'fee' as LedgerKindRule['kind'], sign: 'positive', moves_paid_to_date: false, postable: true, example: '5.00' },
    ];
    const credit = ruleOf(changed, 'credit')!;
    expect(hasDirection(credit)).toBe(true);
    expect(kindHint(credit)).toBe('A credit note.');
    const fee = otherKinds(changed, false).find((c) => c.label === 'fee')!;
    expect(fee.hint).toBe('Adds to what the client owes.');
    expect(buildEntry(form({ kind: 'fee' as LedgerKindRule['kind'] }), fee.rule, TODAY)).toEqual({ ok: true, body: { kind: 'fee', amount: '40' } });
    // a kind only the server writes is never offered, nor built
    expect(otherKinds(changed, true).some((c) => c.rule.kind === 'merge')).toBe(false);
    expect(buildEntry(form({ kind: 'merge' }), rule('merge'), TODAY)).toEqual({ ok: false, errors: { kind: 'Entries of this kind cannot be posted' } });
  });
});

describe('posting an entry: the body', () => {
  it('sends a payment typed as a positive amount as a negative one, dated now', () => {
    expect(build(form({ amount: '1,250.50', reference: ' TX-1 ', notes: '' }))).toEqual({
      ok: true,
      body: { kind: 'payment', amount: '-1250.50', reference: 'TX-1' },
    });
  });

  it('dates an earlier day at its noon, and keeps notes', () => {
    const r = build(form({ kind: 'invoice', amount: '120', day: '2026-11-02', notes: 'Invoice 0042' }));
    expect(r).toEqual({ ok: true, body: { kind: 'invoice', amount: '120', notes: 'Invoice 0042', occurred_at: dayNoon('2026-11-02') } });
  });

  it('signs adjustments by direction', () => {
    const down = build(form({ kind: 'adjustment', direction: 'decrease', amount: '0.50' }));
    expect(down.ok && down.body.amount).toBe('-0.50');
    const up = build(form({ kind: 'adjustment', direction: 'increase', amount: '0.50' }));
    expect(up.ok && up.body.amount).toBe('0.50');
  });

  it('reads the amount in the locale’s way', () => {
    const r = build(form({ amount: '1.250,5' }), ',');
    expect(r.ok && r.body.amount).toBe('-1250.5');
  });

  it('says what to fix before anything is sent', () => {
    expect(build(form({ amount: '' }))).toEqual({ ok: false, errors: { amount: 'Enter the amount received' } });
    expect(build(form({ amount: '-40' }))).toEqual({
      ok: false,
      errors: { amount: 'Enter the amount without a minus sign: a payment always takes it off the balance' },
    });
    expect(build(form({ amount: 'forty' }))).toEqual({ ok: false, errors: { amount: 'Enter an amount such as 120.00' } });
    expect(build(form({ amount: '0.00' }))).toEqual({ ok: false, errors: { amount: 'Enter an amount greater than zero' } });
    expect(build(form({ day: '2026-11-29' }))).toEqual({ ok: false, errors: { occurred_at: 'The date cannot be in the future' } });
    expect(build(form({ day: '' }))).toEqual({ ok: false, errors: { occurred_at: 'Enter a date' } });
    expect(build(form({ amount: 'x', day: '2026-02-30', reference: 'r'.repeat(201), notes: 'n'.repeat(2001) }))).toEqual({
      ok: false,
      errors: {
        amount: 'Enter an amount such as 120.00',
        occurred_at: 'Enter a date',
        reference: 'Use at most 200 characters',
        notes: 'Use at most 2000 characters',
      },
    });
  });

  it('words sign mistakes for the kind', () => {
    expect(amountMessage('negative', rule('invoice'))).toBe('Enter the amount without a minus sign: an invoice always adds it to the balance');
    expect(amountMessage('negative', rule('adjustment'))).toMatch(/increases or decreases/);
    expect(amountMessage('too_precise', rule('credit'))).toBe('Use at most 6 decimal places');
    expect(amountMessage('too_large', rule('credit'))).toBe('This amount is too large');
  });

  it('previews the balance after the entry, exactly', () => {
    expect(balanceAfter('310.50', form({ amount: '40' }), PAY)).toBe('270.50');
    expect(balanceAfter('0.10', form({ kind: 'invoice', amount: '0.20' }), rule('invoice'))).toBe('0.30');
    expect(balanceAfter('310.50', form({ amount: 'abc' }), PAY)).toBeNull();
    expect(balanceAfter('not money', form(), PAY)).toBeNull();
  });
});

describe('posting an entry: Idempotency-Key', () => {
  let n = 0;
  const make = () => `key-${++n}`;
  const body = { kind: 'payment' as const, amount: '-40' };

  it('reuses the key for the same body and makes a new one for another', () => {
    const first = keyFor(null, body, make);
    expect(keyFor(first, { ...body }, make)).toBe(first);
    const second = keyFor(first, { ...body, amount: '-41' }, make);
    expect(second.key).not.toBe(first.key);
  });

  it('keeps the key only when the entry may have been posted', () => {
    expect(keepsKey(ApiError.network(new TypeError('offline')))).toBe(true);
    expect(keepsKey(new ApiError({ status: 503, code: 'unavailable', message: 'try later' }))).toBe(true);
    expect(keepsKey(new ApiError({ status: 422, code: 'validation_failed', message: 'bad' }))).toBe(false);
    expect(keepsKey(new ApiError({ status: 409, code: 'conflict', message: 'client is archived' }))).toBe(false);
    expect(keepsKey(new Error('boom'))).toBe(true);
  });
});

describe('posting an entry: the API’s field errors', () => {
  const e422 = (field: string, message: string, detail: string | null = null, hint: string | null = null) =>
    new ApiError({ status: 422, code: 'validation_failed', message, field, detail, hint, errors: [{ field, code: 'invalid_value', message }] });

  it('puts the message, detail and hint under the input', () => {
    expect(entryErrors(e422('amount', 'amount has more decimals than USD allows', "The client's currency is USD, with 2 decimal places."))).toEqual({
      amount: "Amount has more decimals than USD allows. The client's currency is USD, with 2 decimal places.",
    });
    expect(entryErrors(e422('occurred_at', 'occurred_at is in the future', null, 'Post an entry when it has happened.'))).toEqual({
      occurred_at: 'The date is in the future. Post an entry when it has happened.',
    });
    expect(entryErrors(e422('amount', 'field "amount" of a payment must be negative: it is what the payment takes off the balance (e.g. "-40.00")'))).toEqual({
      amount: 'The amount of a payment must be negative: it is what the payment takes off the balance (e.g. "-40.00").',
    });
  });

  it('leaves other errors to the dialog’s alert', () => {
    expect(entryErrors(e422('client', 'unknown client'))).toBeNull();
    expect(entryErrors(new ApiError({ status: 409, code: 'conflict', message: 'client is archived' }))).toBeNull();
    expect(entryErrors(new Error('x'))).toBeNull();
  });
});
