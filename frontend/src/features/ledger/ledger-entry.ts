// Recording a payment or posting another entry: what the dialog's inputs
// become (the body of POST /clients/{id}/ledger), the sign each kind
// gives the amount, the Idempotency-Key a retry reuses, and the API's
// answer put back under the inputs. People type amounts without a sign;
// the kind (or, where the kind allows either, the direction) decides it.
//
// Which kinds may be posted, the sign of each and whether it moves paid to
// date are the API's rules (GET /api/v1/ledger/kinds, the same table the
// daemon checks a posting against): everything below takes the kind's
// rule as served and keeps no copy of it. Only the words are ours.
import { ApiError } from '../../api/client';
import type { LedgerEntryWrite, LedgerKind, LedgerKindRule } from '../../api/types';
import { dayNoon, isDay } from '../../lib/days';
import { kindLabel } from '../../lib/ledger-kinds';
import { addDecimal, parseAmountInput, withSign, type AmountProblem } from '../../lib/money';

export type Direction = 'increase' | 'decrease';

/** The kind "Record payment" posts. */
export const PAYMENT: LedgerKind = 'payment';
/** The kind "Post adjustment" opens with. */
export const ADJUSTMENT: LedgerKind = 'adjustment';
/** The kind the API takes only as a ledger's first entry. */
export const OPENING_BALANCE: LedgerKind = 'opening_balance';

export interface EntryForm {
  kind: LedgerKind;
  /** kinds whose amount may go either way only */
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

/** The rule of a kind, if the API has one (and so knows the kind). */
export function ruleOf(rules: readonly LedgerKindRule[], kind: LedgerKind): LedgerKindRule | undefined {
  return rules.find((r) => r.kind === kind);
}

/** +1 when the entry adds to what the client owes, -1 when it takes off it. */
export function signOf(rule: LedgerKindRule, direction: Direction): 1 | -1 {
  if (rule.sign === 'positive') return 1;
  if (rule.sign === 'negative') return -1;
  return direction === 'decrease' ? -1 : 1;
}

/** Whether the person chooses the direction (the kind's amount may go either way). */
export function hasDirection(rule: LedgerKindRule): boolean {
  return rule.sign === 'either';
}

/** What an entry of the kind does, in words: "adds to what the client owes". */
export function effectOf(rule: LedgerKindRule): string {
  const paid = rule.moves_paid_to_date;
  if (rule.sign === 'positive') return paid ? 'adds to the balance and takes off paid to date' : 'adds to what the client owes';
  if (rule.sign === 'negative') return paid ? 'takes the amount off the balance and adds it to paid to date' : 'takes the amount off what the client owes';
  return paid ? 'increases or decreases the balance and paid to date' : 'increases or decreases the balance';
}

// What each kind is, for people; what it does comes from its rule.
const WHAT: Partial<Record<LedgerKind, string>> = {
  payment: 'Money received from the client',
  invoice: 'An invoice sent outside clientd',
  credit: 'A credit note',
  refund: 'Money paid back to the client',
  adjustment: 'Corrects the balance, e.g. a write-off or a fee',
  opening_balance: 'What the client owed before you started using clientd (only as the first entry)',
};

const NOUN: Partial<Record<LedgerKind, string>> = {
  payment: 'a payment',
  invoice: 'an invoice',
  credit: 'a credit',
  refund: 'a refund',
  adjustment: 'an adjustment',
  opening_balance: 'an opening balance',
};

/**
 * The hint under the kind: what it is and, when its rule fixes the sign,
 * what it does ("An invoice sent outside clientd: adds to what the client
 * owes."). Where the amount may go either way, the direction control says
 * it instead.
 */
export function kindHint(rule: LedgerKindRule): string {
  const what = WHAT[rule.kind];
  const effect = effectOf(rule);
  if (!what) return `${effect.charAt(0).toUpperCase()}${effect.slice(1)}.`;
  return hasDirection(rule) ? `${what}.` : `${what}: ${effect}.`;
}

export interface KindChoice {
  rule: LedgerKindRule;
  label: string;
  hint: string;
}

/**
 * The kinds "Post adjustment" offers: every kind a person may post (the
 * rule's `postable`) in the API's order, adjustments first (the dialog is
 * named after them), payments left to "Record payment", and an opening
 * balance only while the ledger is empty.
 */
export function otherKinds(rules: readonly LedgerKindRule[], ledgerEmpty: boolean): KindChoice[] {
  const offered = rules.filter((r) => r.postable && r.kind !== PAYMENT && (r.kind !== OPENING_BALANCE || ledgerEmpty));
  const first = offered.filter((r) => r.kind === ADJUSTMENT);
  return [...first, ...offered.filter((r) => r.kind !== ADJUSTMENT)].map((rule) => ({ rule, label: kindLabel(rule.kind), hint: kindHint(rule) }));
}

export function amountMessage(problem: AmountProblem, rule: LedgerKindRule): string {
  switch (problem) {
    case 'empty':
      return rule.kind === PAYMENT ? 'Enter the amount received' : 'Enter an amount';
    case 'negative':
      return hasDirection(rule)
        ? 'Enter the amount without a minus sign, and choose whether it increases or decreases the balance'
        : `Enter the amount without a minus sign: ${NOUN[rule.kind] ?? 'this kind of entry'} always ${signOf(rule, 'increase') < 0 ? 'takes it off' : 'adds it to'} the balance`;
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
 * The body to post, or what to fix first. `rule` is the rule of the
 * form's kind. `today` is the local day: an entry dated today is posted as
 * of now (the API's default), an earlier day as of its noon.
 */
export function buildEntry(form: EntryForm, rule: LedgerKindRule, today: string, localeDecimal = '.'): BuiltEntry {
  const errors: EntryErrors = {};
  if (rule.kind !== form.kind || !rule.postable) errors.kind = 'Entries of this kind cannot be posted';
  const amount = parseAmountInput(form.amount, localeDecimal);
  if (!amount.ok) errors.amount = amountMessage(amount.problem, rule);
  if (!isDay(form.day)) errors.occurred_at = 'Enter a date';
  else if (form.day > today) errors.occurred_at = 'The date cannot be in the future';
  const reference = form.reference.trim();
  const notes = form.notes.trim();
  if (reference.length > REFERENCE_MAX) errors.reference = `Use at most ${REFERENCE_MAX} characters`;
  if (notes.length > NOTES_MAX) errors.notes = `Use at most ${NOTES_MAX} characters`;
  if (!amount.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  const body: LedgerEntryWrite = { kind: form.kind, amount: withSign(amount.value, signOf(rule, form.direction)) };
  if (reference) body.reference = reference;
  if (notes) body.notes = notes;
  if (form.day !== today) body.occurred_at = dayNoon(form.day);
  return { ok: true, body };
}

/** The balance once the entry is posted, exactly; null while the amount is not valid. */
export function balanceAfter(balance: string, form: EntryForm, rule: LedgerKindRule, localeDecimal = '.'): string | null {
  const amount = parseAmountInput(form.amount, localeDecimal);
  if (!amount.ok) return null;
  try {
    return addDecimal(balance, withSign(amount.value, signOf(rule, form.direction)));
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
