// The words for the kinds of ledger entry, shared by the ledger's screens
// and the client's activity. Only words live here: which kinds exist is
// the API's enum (LedgerKind in openapi.yaml; the record below fails tsc
// when a kind is added without its words), and what each kind does to the
// balance is served by GET /api/v1/ledger/kinds.
import type { LedgerKind } from '../api/types';

const WORDS: Record<LedgerKind, { label: string; plural: string }> = {
  invoice: { label: 'Invoice', plural: 'invoices' },
  payment: { label: 'Payment', plural: 'payments' },
  credit: { label: 'Credit', plural: 'credits' },
  refund: { label: 'Refund', plural: 'refunds' },
  adjustment: { label: 'Adjustment', plural: 'adjustments' },
  opening_balance: { label: 'Opening balance', plural: 'opening balances' },
  merge: { label: 'Merge', plural: 'merges' },
};

/** Every kind, in the order lists and filters show them. */
export const LEDGER_KINDS: readonly { id: LedgerKind; label: string; plural: string }[] = (Object.keys(WORDS) as LedgerKind[]).map((id) => ({
  id,
  ...WORDS[id],
}));

export function isLedgerKind(kind: string): kind is LedgerKind {
  return Object.hasOwn(WORDS, kind);
}

/** "Opening balance"; a kind this app has no words for yet is shown as the API names it. */
export function kindLabel(kind: string): string {
  return isLedgerKind(kind) ? WORDS[kind].label : kind;
}

/** "Payments", "Payments and refunds", "Invoices, credits and refunds"; "" for none. */
export function kindsLabel(kinds: readonly LedgerKind[]): string {
  const names = LEDGER_KINDS.filter((k) => kinds.includes(k.id)).map((k) => k.plural);
  if (names.length === 0) return '';
  const text = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
