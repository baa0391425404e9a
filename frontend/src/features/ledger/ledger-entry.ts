// Recording a payment or posting another entry: what the dialog's inputs
// become (the body of POST /clients/{id}/ledger), the sign each kind
// gives the amount, the Idempotency-Key a retry reuses, and the API's
// answer put back under the inputs. People type amounts without a sign;
// the kind (or, for adjustments, the direction) decides it.
import { ApiError } from '../../api/client';
import type { LedgerEntryWrite, LedgerKind } from '../../api/types';
import { dayNoon, isDay } from '../../lib/days';
import { addDecimal, parseAmountInput, withSign, type AmountProblem } from '../../lib/money';

export type PostableKind = Exclude<LedgerKind, 'merge'>;
export type Direction = 'increase' | 'decrease';

export interface EntryForm {
  kind: PostableKind;
  /** adjustments and opening balances only */
  direction: Direction;
  /** as typed, without a sign */
  amount: string;
  /** YYYY-MM-DD, local; today means "now" */
  day: string;
  reference: string;
  notes: string;
}

export type EntryField = 'kind' | 'amount' | 'occurred_at' | 'reference' | 'notes';
export type EntryErrors = Partial<Record<EntryField, string>>;

export const REFERENCE_MAX = 200;
export const NOTES_MAX = 2000;

/** The kinds the "Post adjustment" dialog offers, with what each does to the balance. */
export const OTHER_KINDS: readonly { id: PostableKind; label: string; hint: string }[] = [
  { id: 'adjustment', label: 'Adjustment', hint: 'Corrects the balance up or down, e.g. a write-off or a fee.' },
  { id: 'invoice', label: 'Invoice', hint: 'An invoice sent outside clientd: adds to what the client owes.' },
  { id: 'credit', label: 'Credit', hint: 'A credit note: takes the amount off what the client owes.' },
  { id: 'refund', label: 'Refund', hint: 'Money paid back to the client: adds to the balance and takes off paid to date.' },
  { id: 'opening_balance', label: 'Opening balance', hint: 'What the client owed before you started using clientd (only as the first entry).' },
];

/** +1 when the entry adds to what the client owes, -1 when it takes off it. */
export function signOf(kind: PostableKind, direction: Direction): 1 | -1 {
  switch (kind) {
    case 'payment':
    case 'credit':
      return -1;
    case 'invoice':
    case 'refund':
      return 1;
    default:
      return direction === 'decrease' ? -1 : 1;
  }
}

export function hasDirection(kind: PostableKind): boolean {
  return kind === 'adjustment' || kind === 'opening_balance';
}

const NOUN: Record<PostableKind, string> = {
  payment: 'a payment',
  invoice: 'an invoice',
  credit: 'a credit',
  refund: 'a refund',
  adjustment: 'an adjustment',
  opening_balance: 'an opening balance',
};

export function amountMessage(problem: AmountProblem, kind: PostableKind): string {
  switch (problem) {
    case 'empty':
      return kind === 'payment' ? 'Enter the amount received' : 'Enter an amount';
    case 'negative':
      return hasDirection(kind)
        ? 'Enter the amount without a minus sign, and choose whether it increases or decreases the balance'
        : `Enter the amount without a minus sign: ${NOUN[kind]} always ${signOf(kind, 'increase') < 0 ? 'takes it off' : 'adds it to'} the balance`;
    case 'zero':
      return 'Enter an amount greater than zero';
    case 'too_large':
      return 'This amount is too large';
    case 'too_precise':
      return 'Use at most 6 decimal places';
    default:
      return 'Enter an amount such as 120.00';
  }
}

export type BuiltEntry = { ok: true; body: LedgerEntryWrite } | { ok: false; errors: EntryErrors };

/**
 * The body to post, or what to fix first. `today` is the local day: an
 * entry dated today is posted as of now (the API's default), an earlier
 * day as of its noon.
 */
export function buildEntry(form: EntryForm, today: string, localeDecimal = '.'): BuiltEntry {
  const errors: EntryErrors = {};
  const amount = parseAmountInput(form.amount, localeDecimal);
  if (!amount.ok) errors.amount = amountMessage(amount.problem, form.kind);
  if (!isDay(form.day)) errors.occurred_at = 'Enter a date';
  else if (form.day > today) errors.occurred_at = 'The date cannot be in the future';
  const reference = form.reference.trim();
  const notes = form.notes.trim();
  if (reference.length > REFERENCE_MAX) errors.reference = `Use at most ${REFERENCE_MAX} characters`;
  if (notes.length > NOTES_MAX) errors.notes = `Use at most ${NOTES_MAX} characters`;
  if (!amount.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  const body: LedgerEntryWrite = { kind: form.kind, amount: withSign(amount.value, signOf(form.kind, form.direction)) };
  if (reference) body.reference = reference;
  if (notes) body.notes = notes;
  if (form.day !== today) body.occurred_at = dayNoon(form.day);
  return { ok: true, body };
}

/** The balance once the entry is posted, exactly; null while the amount is not valid. */
export function balanceAfter(balance: string, form: EntryForm, localeDecimal = '.'): string | null {
  const amount = parseAmountInput(form.amount, localeDecimal);
  if (!amount.ok) return null;
  try {
    return addDecimal(balance, withSign(amount.value, signOf(form.kind, form.direction)));
  } catch {
    return null;
  }
}

/**
 * The Idempotency-Key for a submission: the pending one when the same
 * body is sent again (a retry after no answer), else a new one.
 */
export interface PendingKey {
  body: string;
  key: string;
}

export function keyFor(pending: PendingKey | null, body: LedgerEntryWrite, make: () => string): PendingKey {
  const text = JSON.stringify(body);
  return pending && pending.body === text ? pending : { body: text, key: make() };
}

/**
 * Whether a failed submission keeps its key for a retry: yes when there
 * was no answer or a server error (the entry may have been posted);
 * no after any other answer (the next submission is a new one).
 */
export function keepsKey(e: unknown): boolean {
  return !(e instanceof ApiError) || e.status === 0 || e.status >= 500;
}

const FIELDS: readonly EntryField[] = ['kind', 'amount', 'occurred_at', 'reference', 'notes'];

/** The API's words for a person: "Occurred_at is …" is "The date is …", "Of a payment must …" "The amount of a payment must …". */
function polish(field: EntryField, message: string): string {
  if (field === 'occurred_at') return message.replace(/^Occurred_at\b/i, 'The date');
  if (field === 'amount' && message.startsWith('Of ')) return `The amount o${message.slice(1)}`;
  return message;
}

/**
 * A 422's field errors, each under its input. The field the error names
 * also gets the error's detail and hint ("The client's currency is USD,
 * with 2 decimal places."). Null when no input can show the error.
 */
export function entryErrors(e: unknown): EntryErrors | null {
  if (!(e instanceof ApiError) || e.status !== 422) return null;
  const out: EntryErrors = {};
  for (const f of FIELDS) {
    const m = e.fieldErrors[f];
    if (!m) continue;
    const extra = f === e.field ? [e.detail, e.hint].filter((x): x is string => !!x) : [];
    out[f] = [polish(f, m).replace(/\.?$/, '.'), ...extra].join(' ');
  }
  return Object.keys(out).length > 0 ? out : null;
}
