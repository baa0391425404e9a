// Editors for settings whose value is an object, where its shape allows
// one better than JSON text: a grid of switches for an object of flag
// sets ({"city": {"required": false, "visible": true}, ...}), and a list
// of labels for known slots ({"client1": "Region"}).

import { humanise } from '../field-errors';

type Obj = Record<string, unknown>;
export type FlagMatrix = Record<string, Record<string, boolean>>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rows and flag columns of a flag matrix, or null if the value is not one. */
export function flagMatrix(value: unknown): { rows: string[]; flags: string[] } | null {
  if (!isObj(value)) return null;
  const rows = Object.keys(value);
  if (rows.length === 0) return null;
  const flags: string[] = [];
  for (const r of rows) {
    const inner = value[r];
    if (!isObj(inner) || Object.keys(inner).length === 0) return null;
    for (const [f, v] of Object.entries(inner)) {
      if (typeof v !== 'boolean') return null;
      if (!flags.includes(f)) flags.push(f);
    }
  }
  // "visible" before "required": one has to be seen to be required
  flags.sort((a, b) => (a === 'visible' ? -1 : b === 'visible' ? 1 : 0));
  return { rows, flags };
}

/**
 * Sets one flag. Where the flags are "required" and "visible", a required
 * field becomes visible and a hidden one stops being required (the API
 * refuses a required field that is not shown).
 */
export function setFlag(value: FlagMatrix, row: string, flag: string, on: boolean): FlagMatrix {
  const cur = { ...(value[row] ?? {}) };
  cur[flag] = on;
  if ('required' in cur && 'visible' in cur) {
    if (flag === 'required' && on) cur.visible = true;
    if (flag === 'visible' && !on) cur.required = false;
  }
  return { ...value, [row]: cur };
}

/** Names of the client and contact fields that flag sets are about. */
const FIELD_NAMES: Record<string, string> = {
  vat_number: 'VAT number',
  id_number: 'ID number',
  address1: 'Street',
  address2: 'Street, line 2',
  postal_code: 'Postal code',
  state: 'State / region',
};

/** "vat_number" → "VAT number", else the key made readable. */
export function fieldName(key: string): string {
  return Object.prototype.hasOwnProperty.call(FIELD_NAMES, key) ? FIELD_NAMES[key]! : humanise(key);
}

/** Known slots of label objects (the API's check lists them; its registry answer does not). */
export const LABEL_SLOTS: Record<string, string[]> = {
  custom_fields: ['client1', 'client2', 'client3', 'client4', 'contact1', 'contact2', 'contact3', 'contact4'],
};

/** "client1" → "Client field 1". */
export function slotLabel(slot: string): string {
  const m = /^([a-z]+)(\d+)$/.exec(slot);
  if (!m) return slot;
  return `${m[1]!.charAt(0).toUpperCase()}${m[1]!.slice(1)} field ${m[2]}`;
}

/** The labels of a label object per slot ("" where none). */
export function labelsOf(value: unknown, slots: string[]): Record<string, string> {
  const v = isObj(value) ? value : {};
  return Object.fromEntries(slots.map((s) => [s, typeof v[s] === 'string' ? (v[s] as string) : '']));
}

/**
 * Back to the API's object: blank labels are left out (an empty object
 * shows no custom field). The text is kept as typed, so a space typed
 * between two words survives the keystroke.
 */
export function labelsValue(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (v.trim() !== '') out[k] = v;
  return out;
}
