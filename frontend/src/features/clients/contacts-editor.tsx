import { useEffect, useRef, useState } from 'preact/hooks';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Checkbox } from '../../components/ui/checkbox';
import { Field } from '../../components/ui/field';
import { IconTrash, IconUserPlus } from '../../components/ui/icons';
import { TextInput } from '../../components/ui/input';
import { shownCustomFields } from '../../lib/custom-fields';
import type { FieldErrors } from '../../lib/field-errors';
import { personName } from '../../lib/format';
import { addRow, removeRow, setPrimary, updateRow, type ContactRow } from './contacts-model';

interface ContactsEditorProps {
  rows: ContactRow[];
  onChange: (rows: ContactRow[]) => void;
  /** per row key: {email: message}; "" for the contact as a whole */
  errors: Record<string, FieldErrors>;
  disabled?: boolean;
  /** the names of contacts' custom fields ("" hides one that holds nothing) */
  customLabels?: string[];
}

/** The id of a contact input, for the error summary's links. */
export function contactInputId(key: string, field: string): string {
  return `cf-contact-${key}-${field}`;
}

/**
 * Add, remove and edit contacts, and choose the primary one (a radio
 * group: exactly one is primary whenever there are contacts).
 */
export function ContactsEditor({ rows, onChange, errors, disabled, customLabels = ['', '', '', ''] }: ContactsEditorProps) {
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const addRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (focusKey === null) return;
    if (focusKey === '#add') addRef.current?.focus();
    else document.getElementById(contactInputId(focusKey, 'first_name'))?.focus();
    setFocusKey(null);
  }, [focusKey]);

  const add = () => {
    const next = addRow(rows);
    onChange(next);
    setFocusKey(next[next.length - 1]!.key);
    setAnnounce(`Contact ${next.length} added`);
  };

  const remove = (r: ContactRow, i: number) => {
    const next = removeRow(rows, r.key);
    onChange(next);
    const name = personName(r) || `Contact ${i + 1}`;
    const newPrimary = r.is_primary && next.length > 0 ? next.find((x) => x.is_primary) : undefined;
    setAnnounce(`${name} removed${newPrimary ? `; ${personName(newPrimary) || 'the first contact'} is now primary` : ''}`);
    setFocusKey(next.length > 0 ? next[Math.min(i, next.length - 1)]!.key : '#add');
  };

  const set = (key: string, field: keyof ContactRow, value: string | boolean) => onChange(updateRow(rows, key, { [field]: value }));
  const customs = (r: ContactRow) => shownCustomFields(customLabels, [r]);

  return (
    <div class="contacts-editor" id="contacts">
      <p class="sr-only" aria-live="polite">
        {announce}
      </p>
      {rows.length === 0 ? <p class="contacts-editor__empty muted">No contacts. Add one so that someone receives this client's emails.</p> : null}
      <ol class="contacts-editor__list">
        {rows.map((r, i) => {
          const e = errors[r.key] ?? {};
          const text = (field: 'first_name' | 'last_name' | 'email' | 'phone', label: string, type: 'text' | 'email' | 'tel' = 'text', auto = 'off') => (
            <Field label={label} error={e[field]} id={contactInputId(r.key, field)}>
              {(c) => (
                <TextInput
                  {...c}
                  type={type}
                  autoComplete={auto}
                  value={r[field]}
                  disabled={disabled}
                  onInput={(ev) => set(r.key, field, ev.currentTarget.value)}
                  inputMode={type === 'email' ? 'email' : type === 'tel' ? 'tel' : undefined}
                />
              )}
            </Field>
          );
          return (
            <li key={r.key} class={r.is_primary ? 'contact-card contact-card--primary' : 'contact-card'}>
              <fieldset class="contact-card__fieldset">
                <legend class="contact-card__legend">
                  <span>{personName(r) || `Contact ${i + 1}`}</span>
                  {r.is_primary ? <Badge tone="accent">Primary</Badge> : null}
                  {!r.id ? <Badge tone="neutral">New</Badge> : null}
                </legend>
                {e[''] ? <p class="field__error">{e['']}</p> : null}
                <div class="grid grid--2">
                  {text('first_name', 'First name')}
                  {text('last_name', 'Last name')}
                  {text('email', 'Email', 'email')}
                  {text('phone', 'Phone', 'tel')}
                </div>
                {customs(r).length > 0 ? (
                  <details class="contact-card__more" open={customs(r).some((f) => r[f.key].trim() !== '' || e[f.key])}>
                    <summary>Custom fields</summary>
                    <div class="grid grid--2">
                      {customs(r).map((f) => (
                        <Field key={f.key} label={f.label} error={e[f.key]} hint={f.unnamed ? 'Not named in the settings: hidden once cleared.' : undefined} id={contactInputId(r.key, f.key)}>
                          {(c) => <TextInput {...c} value={r[f.key]} disabled={disabled} onInput={(ev) => set(r.key, f.key, ev.currentTarget.value)} />}
                        </Field>
                      ))}
                    </div>
                  </details>
                ) : null}
                <div class="contact-card__foot">
                  <label class="radio">
                    <input
                      type="radio"
                      name="primary-contact"
                      class="radio__input"
                      checked={r.is_primary}
                      disabled={disabled}
                      onChange={() => onChange(setPrimary(rows, r.key))}
                    />
                    <span class="radio__dot" aria-hidden="true" />
                    <span>Primary contact</span>
                  </label>
                  <Checkbox label="Receives emails" checked={r.send_email} disabled={disabled} onChange={(ev) => set(r.key, 'send_email', ev.currentTarget.checked)} />
                  <span class="contact-card__spacer" />
                  <Button
                    variant="danger-ghost"
                    size="sm"
                    icon={<IconTrash size={15} />}
                    disabled={disabled}
                    aria-label={`Remove ${personName(r) || `contact ${i + 1}`}`}
                    onClick={() => remove(r, i)}
                  >
                    Remove
                  </Button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <button ref={addRef} type="button" class="btn btn--secondary contacts-editor__add" onClick={add} disabled={disabled}>
        <IconUserPlus size={16} />
        <span class="btn__label">Add contact</span>
      </button>
    </div>
  );
}
