import { describe, expect, it } from 'vitest';
import { addRow, blankRow, isBlank, normalisePrimary, removeRow, rowsToSend, setPrimary, updateRow, type ContactRow } from './contacts-model';

const primaries = (rows: ContactRow[]) => rows.filter((r) => r.is_primary).map((r) => r.key);

function three(): ContactRow[] {
  let rows: ContactRow[] = [];
  rows = addRow(rows);
  rows = addRow(rows);
  rows = addRow(rows);
  return rows.map((r, i) => ({ ...r, first_name: `P${i}` }));
}

describe('contacts editor rules', () => {
  it('makes the first added contact primary, later ones not', () => {
    const rows = three();
    expect(primaries(rows)).toEqual([rows[0]!.key]);
  });

  it('marking one primary unmarks the others', () => {
    const rows = three();
    const next = setPrimary(rows, rows[2]!.key);
    expect(primaries(next)).toEqual([rows[2]!.key]);
  });

  it('ignores an unknown key when marking primary', () => {
    const rows = three();
    expect(setPrimary(rows, 'nope')).toBe(rows);
  });

  it('removing the primary makes the first remaining contact primary', () => {
    const rows = setPrimary(three(), three()[0]!.key);
    const next = removeRow(rows, rows[0]!.key);
    expect(next).toHaveLength(2);
    expect(primaries(next)).toEqual([rows[1]!.key]);
  });

  it('removing another contact keeps the primary', () => {
    const rows = setPrimary(three(), '');
    const marked = setPrimary(rows, rows[1]!.key);
    expect(primaries(removeRow(marked, rows[2]!.key))).toEqual([rows[1]!.key]);
  });

  it('allows removing every contact', () => {
    const rows = [blankRow(true)];
    expect(removeRow(rows, rows[0]!.key)).toEqual([]);
  });

  it('normalises none or several primaries to exactly one', () => {
    const rows = three().map((r) => ({ ...r, is_primary: false }));
    expect(primaries(normalisePrimary(rows))).toEqual([rows[0]!.key]);
    const many = three().map((r) => ({ ...r, is_primary: true }));
    expect(primaries(normalisePrimary(many))).toEqual([many[0]!.key]);
  });

  it('drops blank new rows before sending, and moves primary off a dropped row', () => {
    let rows = addRow([]);
    rows = addRow(rows);
    rows = updateRow(rows, rows[1]!.key, { email: 'b@example.com' });
    expect(isBlank(rows[0]!)).toBe(true);
    const sent = rowsToSend(rows);
    expect(sent.map((r) => r.email)).toEqual(['b@example.com']);
    expect(sent[0]!.is_primary).toBe(true);
  });

  it('keeps an existing contact even when its fields were emptied', () => {
    const row = { ...blankRow(true), id: 'abcdefghjkmn' };
    expect(isBlank(row)).toBe(false);
  });

  it('does not change is_primary through updateRow', () => {
    const rows = three();
    // @ts-expect-error is_primary is not an updatable field
    const next = updateRow(rows, rows[1]!.key, { is_primary: true });
    expect(primaries(next)).toEqual([rows[0]!.key]);
  });
});
