import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { dayNoon } from '../../lib/days';
import { amountMessage, balanceAfter, buildEntry, entryErrors, keepsKey, keyFor, signOf, type EntryForm } from './ledger-entry';

const TODAY = '2026-11-28';
const form = (over: Partial<EntryForm> = {}): EntryForm => ({ kind: 'payment', direction: 'increase', amount: '40', day: TODAY, reference: '', notes: '', ...over });

describe('posting an entry: signs', () => {
  it('gives each kind its sign; adjustments follow the direction', () => {
    expect(signOf('payment', 'increase')).toBe(-1);
    expect(signOf('credit', 'increase')).toBe(-1);
    expect(signOf('invoice', 'decrease')).toBe(1);
    expect(signOf('refund', 'decrease')).toBe(1);
    expect(signOf('adjustment', 'increase')).toBe(1);
    expect(signOf('adjustment', 'decrease')).toBe(-1);
    expect(signOf('opening_balance', 'decrease')).toBe(-1);
  });
});

describe('posting an entry: the body', () => {
  it('sends a payment typed as a positive amount as a negative one, dated now', () => {
    expect(buildEntry(form({ amount: '1,250.50', reference: ' TX-1 ', notes: '' }), TODAY)).toEqual({
      ok: true,
      body: { kind: 'payment', amount: '-1250.50', reference: 'TX-1' },
    });
  });

  it('dates an earlier day at its noon, and keeps notes', () => {
    const r = buildEntry(form({ kind: 'invoice', amount: '120', day: '2026-11-02', notes: 'Invoice 0042' }), TODAY);
    expect(r).toEqual({ ok: true, body: { kind: 'invoice', amount: '120', notes: 'Invoice 0042', occurred_at: dayNoon('2026-11-02') } });
  });

  it('signs adjustments by direction', () => {
    const down = buildEntry(form({ kind: 'adjustment', direction: 'decrease', amount: '0.50' }), TODAY);
    expect(down.ok && down.body.amount).toBe('-0.50');
    const up = buildEntry(form({ kind: 'adjustment', direction: 'increase', amount: '0.50' }), TODAY);
    expect(up.ok && up.body.amount).toBe('0.50');
  });

  it('reads the amount in the locale’s way', () => {
    const r = buildEntry(form({ amount: '1.250,5' }), TODAY, ',');
    expect(r.ok && r.body.amount).toBe('-1250.5');
  });

  it('says what to fix before anything is sent', () => {
    expect(buildEntry(form({ amount: '' }), TODAY)).toEqual({ ok: false, errors: { amount: 'Enter the amount received' } });
    expect(buildEntry(form({ amount: '-40' }), TODAY)).toEqual({
      ok: false,
      errors: { amount: 'Enter the amount without a minus sign: a payment always takes it off the balance' },
    });
    expect(buildEntry(form({ amount: 'forty' }), TODAY)).toEqual({ ok: false, errors: { amount: 'Enter an amount such as 120.00' } });
    expect(buildEntry(form({ amount: '0.00' }), TODAY)).toEqual({ ok: false, errors: { amount: 'Enter an amount greater than zero' } });
    expect(buildEntry(form({ day: '2026-11-29' }), TODAY)).toEqual({ ok: false, errors: { occurred_at: 'The date cannot be in the future' } });
    expect(buildEntry(form({ day: '' }), TODAY)).toEqual({ ok: false, errors: { occurred_at: 'Enter a date' } });
    expect(buildEntry(form({ amount: 'x', day: '2026-02-30', reference: 'r'.repeat(201), notes: 'n'.repeat(2001) }), TODAY)).toEqual({
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
    expect(amountMessage('negative', 'invoice')).toBe('Enter the amount without a minus sign: an invoice always adds it to the balance');
    expect(amountMessage('negative', 'adjustment')).toMatch(/increases or decreases/);
    expect(amountMessage('too_precise', 'credit')).toBe('Use at most 6 decimal places');
    expect(amountMessage('too_large', 'credit')).toBe('This amount is too large');
  });

  it('previews the balance after the entry, exactly', () => {
    expect(balanceAfter('310.50', form({ amount: '40' }))).toBe('270.50');
    expect(balanceAfter('0.10', form({ kind: 'invoice', amount: '0.20' }))).toBe('0.30');
    expect(balanceAfter('310.50', form({ amount: 'abc' }))).toBeNull();
    expect(balanceAfter('not money', form())).toBeNull();
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
