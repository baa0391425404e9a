import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey } from '../../api/client';
import type { ClientFull, LedgerEntry, LedgerKind, LedgerKindRule } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { Field } from '../../components/ui/field';
import { Select, TextInput, Textarea } from '../../components/ui/input';
import { Segmented } from '../../components/ui/segmented';
import { localDay } from '../../lib/days';
import { describeError } from '../../lib/errors';
import { decimalSeparator, formatCurrency } from '../../lib/money';
import { postLedgerEntry } from '../../api/ledger';
import {
  ADJUSTMENT,
  NOTES_MAX,
  PAYMENT,
  REFERENCE_MAX,
  balanceAfter,
  buildEntry,
  effectOf,
  entryErrors,
  hasDirection,
  keepsKey,
  keyFor,
  otherKinds,
  ruleOf,
  type Direction,
  type EntryErrors,
  type EntryField,
  type EntryForm,
  type KindChoice,
  type PendingKey,
} from './ledger-entry';

export type EntryDialogMode = 'payment' | 'other';

interface EntryDialogProps {
  open: boolean;
  mode: EntryDialogMode;
  client: ClientFull;
  /** the API's kinds and their rules (GET /ledger/kinds) */
  kinds: readonly LedgerKindRule[];
  onClose: () => void;
  onPosted: (entry: LedgerEntry) => void;
  /** a 409: the client changed under the dialog (archived elsewhere) */
  onConflict: () => void;
}

const DIRECTIONS = [
  { value: 'increase', label: 'Increase balance' },
  { value: 'decrease', label: 'Decrease balance' },
] as const;

const FIELD_IDS: Record<EntryField, string> = {
  kind: 'ledger-entry-kind',
  amount: 'ledger-entry-amount',
  occurred_at: 'ledger-entry-date',
  reference: 'ledger-entry-reference',
  notes: 'ledger-entry-notes',
};

function blank(mode: EntryDialogMode, choices: readonly KindChoice[]): EntryForm {
  const kind = mode === 'payment' ? PAYMENT : (choices.find((c) => c.rule.kind === ADJUSTMENT) ?? choices[0])?.rule.kind ?? ADJUSTMENT;
  return { kind, direction: 'increase', amount: '', day: localDay(), reference: '', notes: '' };
}

/**
 * "Record payment" (the amount received, without a sign) and "Post
 * adjustment" (an adjustment up or down, or an invoice, credit, refund or
 * opening balance). Each submission carries an Idempotency-Key, the same
 * one when the same entry is sent again after no answer, so that a retry
 * never posts twice.
 */
export function LedgerEntryDialog({ open, mode, client, kinds, onClose, onPosted, onConflict }: EntryDialogProps) {
  const choices = otherKinds(kinds, client.counts.ledger_entries === 0);
  const [form, setForm] = useState<EntryForm>(() => blank(mode, choices));
  const [errors, setErrors] = useState<EntryErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const pending = useRef<PendingKey | null>(null);
  const focusError = useRef(false);

  // Before the first paint of an opened dialog: no stale entry or errors flash up.
  useLayoutEffect(() => {
    if (!open) return;
    setForm(blank(mode, choices));
    setErrors({});
    setError(null);
    pending.current = null;
  }, [open, mode]);

  // In a layout effect: what is typed right after the error goes into the field.
  useLayoutEffect(() => {
    if (!focusError.current) return;
    focusError.current = false;
    const first = (Object.keys(FIELD_IDS) as EntryField[]).find((f) => errors[f]);
    if (first) document.getElementById(FIELD_IDS[first])?.focus();
  }, [errors]);

  const set = (change: Partial<EntryForm>) => {
    setForm((f) => ({ ...f, ...change }));
    const touched = Object.keys(change).map((k) => (k === 'day' ? 'occurred_at' : k === 'direction' ? 'amount' : k)) as EntryField[];
    if (touched.some((k) => errors[k])) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !touched.includes(k as EntryField))));
  };

  const showErrors = (e: EntryErrors) => {
    focusError.current = true;
    setErrors(e);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || !rule) return;
    const built = buildEntry(form, rule, localDay(), decimalSeparator());
    if (!built.ok) return showErrors(built.errors);
    setBusy(true);
    setErrors({});
    setError(null);
    pending.current = keyFor(pending.current, built.body, newIdempotencyKey);
    try {
      const entry = await postLedgerEntry(client.id, built.body, pending.current.key);
      pending.current = null;
      onPosted(entry);
    } catch (x) {
      if (!keepsKey(x)) pending.current = null;
      const fields = entryErrors(x);
      if (fields) showErrors(fields);
      else setError(x);
      if (x instanceof ApiError && x.status === 409) onConflict();
    } finally {
      setBusy(false);
    }
  };

  const payment = mode === 'payment';
  const rule = ruleOf(kinds, form.kind);
  const choice = choices.find((c) => c.rule.kind === form.kind);
  const after = errors.amount || !rule ? null : balanceAfter(client.balance, form, rule, decimalSeparator());
  const verb = payment ? 'Record payment' : `Post ${(choice?.label ?? 'entry').toLowerCase()}`;
  const failure = error ? describeError(error) : null;

  return (
    <Dialog
      open={open}
      title={payment ? 'Record payment' : 'Post adjustment'}
      onClose={onClose}
      busy={busy}
      size="md"
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="ledger-entry-form" loading={busy} disabled={!rule}>
            {verb}
          </Button>
        </>
      }
    >
      <p class="dialog__lead">
        {payment
          ? `Money received from ${client.display_name || `client ${client.number}`}${rule ? `: it ${effectOf(rule)}` : ''}.`
          : 'Entries are permanent: a mistake is corrected by another entry, never by editing this one.'}
      </p>
      <form id="ledger-entry-form" class="ledger-form" onSubmit={submit} noValidate>
        {payment ? null : (
          <Field label="Kind of entry" id={FIELD_IDS.kind} error={errors.kind} hint={choice?.hint}>
            {(c) => (
              <Select {...c} value={form.kind} onChange={(e) => set({ kind: e.currentTarget.value as LedgerKind })} data-autofocus>
                {choices.map((k) => (
                  <option key={k.rule.kind} value={k.rule.kind}>
                    {k.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}
        {rule && hasDirection(rule) ? (
          <div class="field">
            <span class="field__label" aria-hidden="true">
              Effect
            </span>
            <Segmented<Direction> label="Effect on the balance" value={form.direction} options={DIRECTIONS} onChange={(direction) => set({ direction })} />
          </div>
        ) : null}
        <div class="ledger-form__row">
          <Field
            label={`${payment ? 'Amount received' : 'Amount'} (${client.currency})`}
            id={FIELD_IDS.amount}
            error={errors.amount}
            hint={payment ? 'Without a minus sign.' : 'Without a sign: the kind or the effect decides it.'}
            required
          >
            {(c) => (
              <TextInput
                {...c}
                inputMode="decimal"
                autoComplete="off"
                placeholder="0.00"
                class="ledger-form__amount"
                value={form.amount}
                onInput={(e) => set({ amount: e.currentTarget.value })}
                {...(payment ? { 'data-autofocus': true } : {})}
              />
            )}
          </Field>
          <Field label="Date" id={FIELD_IDS.occurred_at} error={errors.occurred_at} hint="Today records it as of now." required>
            {(c) => <TextInput {...c} type="date" max={localDay()} value={form.day} onInput={(e) => set({ day: e.currentTarget.value })} />}
          </Field>
        </div>
        <Field label="Reference" id={FIELD_IDS.reference} error={errors.reference} hint={payment ? 'A bank transfer, cheque or receipt number.' : 'An invoice or credit note number, or why.'}>
          {(c) => <TextInput {...c} maxLength={REFERENCE_MAX} autoComplete="off" value={form.reference} onInput={(e) => set({ reference: e.currentTarget.value })} />}
        </Field>
        <Field label="Notes" id={FIELD_IDS.notes} error={errors.notes} hint="Shown on the statement, as the reference is.">
          {(c) => <Textarea {...c} rows={2} maxLength={NOTES_MAX} value={form.notes} onInput={(e) => set({ notes: e.currentTarget.value })} />}
        </Field>
      </form>
      <p class="ledger-form__after">
        Balance now <strong class="num">{formatCurrency(client.balance, client.currency)}</strong>
        {after !== null ? (
          <>
            {' '}
            → after this {payment ? 'payment' : 'entry'} <strong class="num">{formatCurrency(after, client.currency)}</strong>
          </>
        ) : null}
      </p>
      {!rule ? (
        <Alert tone="danger" title="This kind of entry cannot be posted" assertive>
          The server has no rule for it: reload the page to get the current ones.
        </Alert>
      ) : null}
      {failure ? (
        <Alert tone="danger" title={failure.title} assertive>
          {failure.message}
        </Alert>
      ) : null}
    </Dialog>
  );
}
