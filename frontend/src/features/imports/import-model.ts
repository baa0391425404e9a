// The import wizard's pure parts: which step an import is at, the field
// choices of a column (contacts as numbered fields), the mapping's own
// mistakes (a field on two columns), the options to start from, and the
// words and numbers of progress and results. The API decides what is
// valid; these only say it early or say it well.
import type { Import, ImportCounts, ImportField, ImportFields, ImportOptions, ImportProgress, ImportTemplate } from '../../api/types';

export type Step = 'upload' | 'columns' | 'options' | 'check' | 'run';

export const STEPS: { step: Step; label: string }[] = [
  { step: 'upload', label: 'Upload' },
  { step: 'columns', label: 'Columns' },
  { step: 'options', label: 'Options' },
  { step: 'check', label: 'Check' },
  { step: 'run', label: 'Import' },
];

/** The largest file the API takes (100 MiB). */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

/** The step to show an import at when it is opened. */
export function stepOf(imp: Pick<Import, 'status' | 'dry_run' | 'mapping' | 'result'>): Step {
  switch (imp.status) {
    case 'checking':
      return 'check';
    case 'queued':
    case 'running':
    case 'completed':
    case 'failed':
    case 'cancelled':
      return 'run';
    default:
      if (imp.dry_run) return 'check';
      return 'columns';
  }
}

/** Whether the wizard may go back to a step (not while it runs, nor after). */
export function canVisit(imp: Pick<Import, 'status' | 'dry_run'>, step: Step): boolean {
  if (imp.status === 'checking') return step === 'check';
  if (imp.status !== 'uploaded') return step === 'run';
  if (step === 'upload' || step === 'run') return false;
  if (step === 'check') return imp.dry_run !== null;
  return true;
}

/** What the columns are mapped to at first: the import's own mapping, else the suggestion. */
export function initialMapping(imp: Pick<Import, 'mapping' | 'suggested_mapping' | 'file'>): (string | null)[] {
  const n = imp.file.columns.length;
  const from = imp.mapping ?? imp.suggested_mapping ?? [];
  return Array.from({ length: n }, (_, i) => from[i] ?? null);
}

export const DEFAULT_OPTIONS: ImportOptions = {
  match_key: 'email',
  on_match: 'skip',
  mode: 'valid_rows',
  create_groups: true,
  group_rows: true,
  decimal_separator: 'auto',
};

/**
 * The options to start from: the import's own, else the defaults with a
 * match key the mapping can use (the client number, else the first
 * contact's email, else the ID number, else the name).
 */
export function initialOptions(imp: Pick<Import, 'options'>, mapping: (string | null)[]): ImportOptions {
  if (imp.options) return imp.options;
  return { ...DEFAULT_OPTIONS, match_key: suggestedMatchKey(mapping) };
}

export function suggestedMatchKey(mapping: (string | null)[]): ImportOptions['match_key'] {
  const has = (f: string) => mapping.includes(f);
  if (has('number')) return 'number';
  if (has('contact1.email')) return 'email';
  if (has('id_number')) return 'id_number';
  return 'name';
}

/** The field a match key needs mapped, and whether the mapping has it. */
export function matchKeyMapped(key: ImportOptions['match_key'], mapping: (string | null)[]): boolean {
  const has = (f: string) => mapping.includes(f);
  switch (key) {
    case 'number':
      return has('number');
    case 'id_number':
      return has('id_number');
    case 'email':
      return has('contact1.email');
    default:
      return has('name') || has('contact1.first_name') || has('contact1.last_name') || has('contact1.email');
  }
}

const SECTION_LABEL: Record<ImportField['section'], string> = {
  client: 'Client',
  address: 'Billing address',
  shipping_address: 'Shipping address',
  other: 'Group and balance',
  contact: 'Contact',
  settings: 'Settings',
};

/** A contact field as mapped: "contact2.email" is contact 2's email. */
export function parseContactField(field: string): { n: number; key: string } | null {
  const m = /^contact([1-9][0-9]*)\.(.+)$/.exec(field);
  return m ? { n: Number(m[1]), key: m[2]! } : null;
}

/** How many contacts the choices show: one more than the mapping uses (at least 1, at most the API's). */
export function contactsShown(mapping: (string | null)[], max: number): number {
  let used = 0;
  for (const f of mapping) {
    const c = f ? parseContactField(f) : null;
    if (c && c.n > used) used = c.n;
  }
  return Math.max(1, Math.min(max, used + 1));
}

export interface ChoiceGroup {
  label: string;
  options: { value: string; label: string }[];
}

/** The choices of a column's select, by section; contacts numbered 1..`contacts`. */
export function fieldGroups(f: ImportFields, contacts: number): ChoiceGroup[] {
  const groups: ChoiceGroup[] = [];
  const add = (label: string, options: ChoiceGroup['options']) => {
    if (options.length > 0) groups.push({ label, options });
  };
  for (const section of ['client', 'address', 'shipping_address', 'other'] as const) {
    add(SECTION_LABEL[section], f.fields.filter((x) => x.section === section).map((x) => ({ value: x.field, label: x.label })));
  }
  const contactFields = f.fields.filter((x) => x.section === 'contact');
  for (let n = 1; n <= contacts; n++) {
    add(`Contact ${n}${n === 1 ? ' (primary)' : ''}`, contactFields.map((x) => ({ value: `contact${n}.${x.field}`, label: x.label })));
  }
  add(SECTION_LABEL.settings, f.fields.filter((x) => x.section === 'settings').map((x) => ({ value: x.field, label: settingLabel(x.label) })));
  return groups;
}

function settingLabel(key: string): string {
  const s = key.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "Contact 2 · Email", "Shipping address · City", "Name". */
export function fieldLabel(field: string, f: ImportFields | undefined): string {
  const c = parseContactField(field);
  if (c) {
    const x = f?.fields.find((y) => y.section === 'contact' && y.field === c.key);
    return `Contact ${c.n} · ${x?.label ?? c.key}`;
  }
  const x = f?.fields.find((y) => y.section !== 'contact' && y.field === field);
  if (!x) return field;
  if (x.section === 'address' || x.section === 'shipping_address') return `${SECTION_LABEL[x.section]} · ${x.label}`;
  if (x.section === 'settings') return `Setting · ${settingLabel(x.label)}`;
  return x.label;
}

/** Columns mapped to a field an earlier column has: column index → the earlier column's index. */
export function duplicateColumns(mapping: (string | null)[]): Map<number, number> {
  const first = new Map<string, number>();
  const dup = new Map<number, number>();
  mapping.forEach((f, i) => {
    if (!f) return;
    const seen = first.get(f);
    if (seen === undefined) first.set(f, i);
    else dup.set(i, seen);
  });
  return dup;
}

/** The API's field errors of a PATCH, by column index ("mapping[3]" → 3). */
export function columnErrors(fieldErrors: Record<string, string>): Map<number, string> {
  const out = new Map<number, string>();
  for (const [k, v] of Object.entries(fieldErrors)) {
    const m = /^mapping\[(\d+)\]$/.exec(k);
    if (m) out.set(Number(m[1]), v);
  }
  return out;
}

/** A header compared as the API compares it: without case, spaces and punctuation. */
export function headerKey(names: string[]): string {
  return names.map((n) => n.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')).join('|');
}

/**
 * A template's mapping for a file: column by column when the headers
 * match, else by each column's header name (a column it does not name
 * stays unmapped).
 */
export function templateMapping(t: Pick<ImportTemplate, 'headers' | 'mapping'>, columns: string[]): (string | null)[] {
  const byName = new Map<string, string | null>();
  t.headers.forEach((h, i) => byName.set(headerKey([h]), t.mapping[i] ?? null));
  const sameHeader = headerKey(t.headers) === headerKey(columns);
  return columns.map((c, i) => (sameHeader ? (t.mapping[i] ?? null) : (byName.get(headerKey([c])) ?? null)));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** Why a chosen file will not do, before it is sent (the API checks the rest). */
export function fileProblem(file: { name: string; size: number }): string | null {
  if (file.size === 0) return 'The file is empty.';
  if (file.size > MAX_FILE_BYTES) return `The file is ${formatBytes(file.size)}; files up to 100 MB can be imported. Split it into smaller files.`;
  if (/\.(xlsx|xls|ods|numbers)$/i.test(file.name)) return 'This is a spreadsheet, not a CSV file. Save it as CSV (comma-separated values) first.';
  return null;
}

/** "about 2 min left", "about 40 s left", "" when unknown. */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  const h = Math.floor(seconds / 3600);
  return `about ${h} h ${Math.round((seconds - h * 3600) / 60)} min left`;
}

const num = (n: number) => n.toLocaleString('en-US');

/** 0..100, or null while the total is not known. */
export function percentDone(p: Pick<ImportProgress, 'rows_done' | 'rows_total'> | null | undefined): number | null {
  if (!p || p.rows_total <= 0) return null;
  return Math.min(100, Math.floor((p.rows_done * 100) / p.rows_total));
}

/** "4,000 of 10,000 rows · 230 rows/s · about 26 s left" */
export function progressText(p: ImportProgress | null | undefined): string {
  if (!p) return 'Waiting for a worker…';
  const parts = [`${num(p.rows_done)} of ${num(p.rows_total)} rows`];
  if (p.rate !== null && p.rate > 0) parts.push(`${num(Math.round(p.rate))} rows/s`);
  const eta = formatEta(p.eta_seconds);
  if (eta && p.rows_done < p.rows_total) parts.push(eta);
  return parts.join(' · ');
}

export type Tone = 'neutral' | 'success' | 'info' | 'warning' | 'danger';

export interface CountItem {
  key: keyof Pick<ImportCounts, 'created' | 'updated' | 'unchanged' | 'skipped' | 'rejected' | 'duplicates'>;
  label: string;
  value: number;
  tone: Tone;
}

/** The numbers of a dry run's report or a run's result, in the words of each. */
export function countItems(c: ImportCounts, dryRun: boolean): CountItem[] {
  const items: CountItem[] = [
    { key: 'created', label: dryRun ? 'to create' : 'created', value: c.created ?? 0, tone: 'success' },
    { key: 'updated', label: dryRun ? 'to update' : 'updated', value: c.updated ?? 0, tone: 'info' },
    { key: 'unchanged', label: 'unchanged', value: c.unchanged ?? 0, tone: 'neutral' },
    { key: 'skipped', label: dryRun ? 'to skip (already there)' : 'skipped (already there)', value: c.skipped ?? 0, tone: 'neutral' },
    { key: 'rejected', label: dryRun ? 'with errors' : 'refused', value: c.rejected ?? 0, tone: 'danger' },
    { key: 'duplicates', label: 'repeat an earlier row', value: c.duplicates ?? 0, tone: 'warning' },
  ];
  return items.filter((x) => x.value > 0 || x.key === 'created' || x.key === 'rejected');
}

/** How a run's result reads: a success only when something was imported. */
export function resultTone(c: ImportCounts): Tone {
  if (c.status === 'failed') return 'danger';
  if (c.status === 'cancelled') return 'warning';
  if (c.outcome === 'nothing') return (c.rejected ?? 0) > 0 ? 'danger' : 'warning';
  if (c.outcome === 'partial' || (c.rejected ?? 0) > 0) return 'warning';
  return 'success';
}

export function resultTitle(c: ImportCounts): string {
  if (c.status === 'failed') return 'The import failed';
  if (c.status === 'cancelled') return 'The import was cancelled';
  if (c.outcome === 'nothing') return 'Nothing was imported';
  if (c.outcome === 'partial' || (c.rejected ?? 0) > 0) return 'Imported, with rows left out';
  return 'Import complete';
}

/**
 * Whether a run can start after this dry run: all or nothing with
 * refused rows would import nothing, so the wizard says so instead.
 */
export function runBlocker(c: ImportCounts | null, options: Pick<ImportOptions, 'mode'>): string | null {
  if (!c) return 'Check the file first.';
  if (options.mode === 'all_or_nothing' && (c.rejected ?? 0) > 0) {
    const n = c.rejected ?? 0;
    return `All or nothing imports no row while ${n === 1 ? 'a row has' : `${num(n)} rows have`} errors. Fix the file and upload it again, or import the valid rows only.`;
  }
  if ((c.created ?? 0) + (c.updated ?? 0) === 0) return 'No row would create or update a client.';
  return null;
}

/** The Import button's words: "Import 1,234 clients". */
export function runLabel(c: ImportCounts | null): string {
  if (!c) return 'Import';
  const created = c.created ?? 0;
  const updated = c.updated ?? 0;
  if (created > 0 && updated > 0) return `Create ${num(created)} and update ${num(updated)}`;
  if (updated > 0) return `Update ${num(updated)} client${updated === 1 ? '' : 's'}`;
  return `Import ${num(created)} client${created === 1 ? '' : 's'}`;
}

export const STATUS_LABEL: Record<Import['status'], string> = {
  uploaded: 'Ready',
  checking: 'Checking',
  queued: 'Queued',
  running: 'Importing',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const STATUS_TONE: Record<Import['status'], 'neutral' | 'accent' | 'success' | 'warning' | 'danger' | 'info'> = {
  uploaded: 'neutral',
  checking: 'info',
  queued: 'info',
  running: 'accent',
  completed: 'success',
  failed: 'danger',
  cancelled: 'warning',
};
