// The company settings form: a draft per key that may be set for the
// company, built from the registry in the API's answer. Saving sends only
// the keys whose value changed; an answer is taken in without losing
// drafts the save did not include.
import { errorsByKey, type SettingRow } from '../../lib/settings/registry';
import { draftOf, parseDraft, sameValue, type Draft } from '../../lib/settings/values';

export interface CompanyForm {
  /** the company-level rows of the last answer */
  rows: SettingRow[];
  drafts: Record<string, Draft>;
}

export function formFromRows(all: SettingRow[]): CompanyForm {
  const rows = all.filter((r) => r.levels.includes('company'));
  return { rows, drafts: Object.fromEntries(rows.map((r) => [r.key, draftOf(r.type, r.value)])) };
}

export function withDraft(form: CompanyForm, key: string, draft: Draft): CompanyForm {
  return { ...form, drafts: { ...form.drafts, [key]: draft } };
}

/** A draft is dirty when it no longer reads as the saved value (an unparsable one always is). */
export function isDirty(row: SettingRow, draft: Draft | undefined): boolean {
  if (draft === undefined) return false;
  const p = parseDraft(row, draft);
  return !p.ok || !sameValue(p.value, row.value);
}

export function dirtyKeys(form: CompanyForm): string[] {
  return form.rows.filter((r) => isDirty(r, form.drafts[r.key])).map((r) => r.key);
}

/** The PATCH body of the changed keys, or the keys whose drafts do not parse. */
export function buildPatch(form: CompanyForm): { patch: Record<string, unknown>; errors: Record<string, string> } {
  const patch: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const r of form.rows) {
    const d = form.drafts[r.key];
    if (d === undefined || !isDirty(r, d)) continue;
    const p = parseDraft(r, d);
    if (p.ok) patch[r.key] = p.value;
    else errors[r.key] = p.error;
  }
  return { patch, errors };
}

/**
 * Takes in the answer to a save: the keys in `sent` show their new value;
 * other keys keep an unsaved draft, and follow the answer otherwise.
 */
export function adoptAnswer(form: CompanyForm, all: SettingRow[], sent: string[]): CompanyForm {
  const next = formFromRows(all);
  const old = new Map(form.rows.map((r) => [r.key, r]));
  for (const r of next.rows) {
    const before = old.get(r.key);
    const d = form.drafts[r.key];
    if (!sent.includes(r.key) && before && d !== undefined && isDirty(before, d)) next.drafts[r.key] = d;
  }
  return next;
}

/** The API's field errors per key, with the API's hint added when it gave one for a single key. */
export function apiErrors(fieldErrors: Record<string, string>, hint: string | null): Record<string, string> {
  const byKey = errorsByKey(fieldErrors);
  const keys = Object.keys(byKey);
  if (hint && keys.length === 1) byKey[keys[0]!] = `${byKey[keys[0]!]}. ${hint}`;
  return byKey;
}
