// The contacts editor's rules, kept apart from its markup so they can be
// tested: at most one primary contact, and exactly one whenever there are
// contacts; removing the primary makes the first remaining one primary;
// new rows that were left blank are not sent.
import type { Contact } from '../../api/types';

export interface ContactRow {
  /** stable key for the editor (the contact's id once it has one) */
  key: string;
  /** the existing contact this row edits; undefined for a new one */
  id?: string | undefined;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  is_primary: boolean;
  send_email: boolean;
  custom_value1: string;
  custom_value2: string;
  custom_value3: string;
  custom_value4: string;
}

let seq = 0;
export function newRowKey(): string {
  seq += 1;
  return `new-${seq}`;
}

export function blankRow(primary: boolean): ContactRow {
  return {
    key: newRowKey(),
    first_name: '',
    last_name: '',
    email: '',
    phone: '',
    is_primary: primary,
    send_email: true,
    custom_value1: '',
    custom_value2: '',
    custom_value3: '',
    custom_value4: '',
  };
}

export function rowFromContact(c: Contact): ContactRow {
  return {
    key: c.id,
    id: c.id,
    first_name: c.first_name,
    last_name: c.last_name,
    email: c.email,
    phone: c.phone,
    is_primary: c.is_primary,
    send_email: c.send_email,
    custom_value1: c.custom_value1,
    custom_value2: c.custom_value2,
    custom_value3: c.custom_value3,
    custom_value4: c.custom_value4,
  };
}

/** Exactly one primary when there are rows: the marked one, else the first. */
export function normalisePrimary(rows: ContactRow[]): ContactRow[] {
  if (rows.length === 0) return rows;
  const idx = rows.findIndex((r) => r.is_primary);
  const keep = idx < 0 ? 0 : idx;
  return rows.map((r, i) => (r.is_primary === (i === keep) ? r : { ...r, is_primary: i === keep }));
}

export function addRow(rows: ContactRow[]): ContactRow[] {
  return [...rows, blankRow(rows.length === 0)];
}

export function removeRow(rows: ContactRow[], key: string): ContactRow[] {
  return normalisePrimary(rows.filter((r) => r.key !== key));
}

export function setPrimary(rows: ContactRow[], key: string): ContactRow[] {
  if (!rows.some((r) => r.key === key)) return rows;
  return rows.map((r) => ({ ...r, is_primary: r.key === key }));
}

export function updateRow(rows: ContactRow[], key: string, change: Partial<Omit<ContactRow, 'key' | 'id' | 'is_primary'>>): ContactRow[] {
  const { is_primary: _p, key: _k, id: _i, ...safe } = change as Partial<ContactRow>;
  return rows.map((r) => (r.key === key ? { ...r, ...safe } : r));
}

/** A new row with nothing typed in it. */
export function isBlank(r: ContactRow): boolean {
  return (
    r.id === undefined &&
    [r.first_name, r.last_name, r.email, r.phone, r.custom_value1, r.custom_value2, r.custom_value3, r.custom_value4].every((v) => v.trim() === '')
  );
}

/** The rows to send: blank new rows dropped, the primary rule applied. */
export function rowsToSend(rows: ContactRow[]): ContactRow[] {
  return normalisePrimary(rows.filter((r) => !isBlank(r)));
}
