import { describe, expect, it } from 'vitest';
import type { ImportCounts, ImportFields } from '../../api/types';
import {
  canVisit,
  columnErrors,
  contactsShown,
  countItems,
  duplicateColumns,
  fieldGroups,
  fieldLabel,
  fileProblem,
  formatBytes,
  formatEta,
  initialMapping,
  initialOptions,
  matchKeyMapped,
  percentDone,
  progressText,
  resultTitle,
  resultTone,
  runBlocker,
  runLabel,
  stepOf,
  suggestedMatchKey,
  templateMapping,
} from './import-model';

const FIELDS: ImportFields = {
  contacts_max: 10,
  fields: [
    { field: 'name', label: 'Name', section: 'client' },
    { field: 'number', label: 'Client number', section: 'client' },
    { field: 'address.city', label: 'City', section: 'address' },
    { field: 'shipping_address.city', label: 'City', section: 'shipping_address' },
    { field: 'group', label: 'Group (by name)', section: 'other' },
    { field: 'email', label: 'Email', section: 'contact' },
    { field: 'first_name', label: 'First name', section: 'contact' },
    { field: 'settings.payment_terms', label: 'payment_terms', section: 'settings' },
  ],
};

const counts = (c: Partial<ImportCounts>): ImportCounts => ({ status: 'completed', summary: '', ...c });

describe('steps', () => {
  it('opens an import at the step its state is at', () => {
    expect(stepOf({ status: 'uploaded', dry_run: null, mapping: null, result: null })).toBe('columns');
    expect(stepOf({ status: 'uploaded', dry_run: counts({ status: 'checked' }), mapping: ['name'], result: null })).toBe('check');
    expect(stepOf({ status: 'checking', dry_run: null, mapping: ['name'], result: null })).toBe('check');
    for (const s of ['queued', 'running', 'completed', 'failed', 'cancelled'] as const) {
      expect(stepOf({ status: s, dry_run: null, mapping: ['name'], result: null })).toBe('run');
    }
  });

  it('goes back to the columns and options only while nothing runs', () => {
    const ready = { status: 'uploaded' as const, dry_run: null };
    expect(['upload', 'columns', 'options', 'check', 'run'].filter((s) => canVisit(ready, s as never))).toEqual(['columns', 'options']);
    expect(canVisit({ ...ready, dry_run: counts({ status: 'checked' }) }, 'check')).toBe(true);
    expect(canVisit({ status: 'checking', dry_run: null }, 'columns')).toBe(false);
    expect(canVisit({ status: 'running', dry_run: null }, 'run')).toBe(true);
    expect(canVisit({ status: 'completed', dry_run: null }, 'columns')).toBe(false);
  });
});

describe('mapping', () => {
  const file = { columns: [{}, {}, {}] } as never;

  it('starts from the saved mapping, else the suggestion, one entry per column', () => {
    expect(initialMapping({ mapping: null, suggested_mapping: ['name', null], file })).toEqual(['name', null, null]);
    expect(initialMapping({ mapping: ['number', 'name', null], suggested_mapping: ['name', null, null], file })).toEqual(['number', 'name', null]);
    expect(initialMapping({ mapping: null, suggested_mapping: null, file })).toEqual([null, null, null]);
  });

  it('picks a match key the mapping can use', () => {
    expect(suggestedMatchKey(['name', 'number', 'contact1.email'])).toBe('number');
    expect(suggestedMatchKey(['name', 'contact1.email'])).toBe('email');
    expect(suggestedMatchKey(['id_number', 'contact2.email'])).toBe('id_number');
    expect(suggestedMatchKey(['name'])).toBe('name');
    expect(initialOptions({ options: null }, ['name', 'contact1.email']).match_key).toBe('email');
    expect(matchKeyMapped('email', ['contact2.email'])).toBe(false);
    expect(matchKeyMapped('name', ['contact1.last_name'])).toBe(true);
  });

  it('offers one more contact than the mapping uses, within the limit', () => {
    expect(contactsShown([null, 'name'], 10)).toBe(1);
    expect(contactsShown(['contact1.email', 'contact3.first_name'], 10)).toBe(4);
    expect(contactsShown(['contact10.email'], 10)).toBe(10);
    const g = fieldGroups(FIELDS, 2);
    expect(g.map((x) => x.label)).toEqual(['Client', 'Billing address', 'Shipping address', 'Group and balance', 'Contact 1 (primary)', 'Contact 2', 'Settings']);
    expect(g[5]!.options.map((o) => o.value)).toEqual(['contact2.email', 'contact2.first_name']);
    expect(g[6]!.options[0]).toEqual({ value: 'settings.payment_terms', label: 'Payment terms' });
  });

  it('labels fields with their section', () => {
    expect(fieldLabel('contact2.email', FIELDS)).toBe('Contact 2 · Email');
    expect(fieldLabel('shipping_address.city', FIELDS)).toBe('Shipping address · City');
    expect(fieldLabel('name', FIELDS)).toBe('Name');
    expect(fieldLabel('settings.payment_terms', FIELDS)).toBe('Setting · Payment terms');
    expect(fieldLabel('unknown', FIELDS)).toBe('unknown');
  });

  it('finds a field mapped twice, and the API\'s messages by column', () => {
    expect([...duplicateColumns(['name', 'contact1.email', 'name', null, 'contact1.email'])]).toEqual([
      [2, 0],
      [4, 1],
    ]);
    expect([...columnErrors({ 'mapping[3]': 'Names no importable field', 'options.match_key': 'x' })]).toEqual([[3, 'Names no importable field']]);
  });

  it('applies a template column by column to the same header, else by header name', () => {
    const t = { headers: ['Company', 'E-mail'], mapping: ['name', 'contact1.email'] };
    expect(templateMapping(t, ['company', 'E mail'])).toEqual(['name', 'contact1.email']);
    expect(templateMapping(t, ['Phone', 'E-Mail', 'Company'])).toEqual([null, 'contact1.email', 'name']);
  });
});

describe('files', () => {
  it('refuses what the API would, before sending it', () => {
    expect(fileProblem({ name: 'a.csv', size: 0 })).toBe('The file is empty.');
    expect(fileProblem({ name: 'a.csv', size: 101 * 1024 * 1024 })).toMatch(/up to 100 MB/);
    expect(fileProblem({ name: 'clients.xlsx', size: 10 })).toMatch(/Save it as CSV/);
    expect(fileProblem({ name: 'clients.csv', size: 10 })).toBeNull();
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
  });
});

describe('progress', () => {
  const p = (done: number, total: number, rate: number | null, eta: number | null) => ({
    phase: 'run' as const,
    rows_done: done,
    rows_total: total,
    counts: {},
    rate,
    eta_seconds: eta,
    started_at: '',
    updated_at: '',
  });

  it('words rows, rate and time left', () => {
    expect(progressText(p(4000, 10000, 230.4, 26))).toBe('4,000 of 10,000 rows · 230 rows/s · about 26 s left');
    expect(progressText(p(0, 10000, null, null))).toBe('0 of 10,000 rows');
    expect(progressText(p(10000, 10000, 500, 0))).toBe('10,000 of 10,000 rows · 500 rows/s');
    expect(progressText(null)).toBe('Waiting for a worker…');
    expect(formatEta(150)).toBe('about 3 min left');
    expect(formatEta(3 * 3600 + 600)).toBe('about 3 h 10 min left');
    expect(percentDone(p(1, 3, null, null))).toBe(33);
    expect(percentDone(p(0, 0, null, null))).toBeNull();
  });
});

describe('results', () => {
  it('is never a success when nothing was imported', () => {
    expect(resultTone(counts({ outcome: 'imported', created: 3 }))).toBe('success');
    expect(resultTone(counts({ outcome: 'partial', created: 3, rejected: 1 }))).toBe('warning');
    expect(resultTone(counts({ outcome: 'nothing', rejected: 2 }))).toBe('danger');
    expect(resultTone(counts({ outcome: 'nothing', skipped: 4 }))).toBe('warning');
    expect(resultTitle(counts({ outcome: 'nothing', skipped: 4 }))).toBe('Nothing was imported');
    expect(resultTitle(counts({ status: 'cancelled' }))).toBe('The import was cancelled');
  });

  it('shows the counts that say something', () => {
    expect(countItems(counts({ created: 5, rejected: 0, skipped: 2 }), true).map((c) => `${c.value} ${c.label}`)).toEqual(['5 to create', '2 to skip (already there)', '0 with errors']);
  });

  it('will not run all or nothing over rows with errors', () => {
    expect(runBlocker(counts({ status: 'checked', created: 5, rejected: 2 }), { mode: 'all_or_nothing' })).toMatch(/2 rows have errors/);
    expect(runBlocker(counts({ status: 'checked', created: 5, rejected: 2 }), { mode: 'valid_rows' })).toBeNull();
    expect(runBlocker(counts({ status: 'checked', skipped: 5 }), { mode: 'valid_rows' })).toBe('No row would create or update a client.');
    expect(runBlocker(null, { mode: 'valid_rows' })).toBe('Check the file first.');
    expect(runLabel(counts({ created: 1234 }))).toBe('Import 1,234 clients');
    expect(runLabel(counts({ created: 2, updated: 3 }))).toBe('Create 2 and update 3');
  });
});
