import { describe, expect, it } from 'vitest';
import type { SettingRow } from '../../lib/settings/registry';
import { adoptAnswer, apiErrors, buildPatch, dirtyKeys, formFromRows, withDraft } from './form-model';

const row = (key: string, type: SettingRow['type'], value: unknown, levels: SettingRow['levels'] = ['company', 'group', 'client'], source: SettingRow['source'] = 'default'): SettingRow => ({
  key,
  type,
  value,
  levels,
  source,
  section: 'general',
  values: [],
});
const rows = [
  row('currency', 'currency', 'USD'),
  row('payment_terms', 'integer', 14),
  row('send_reminders', 'boolean', true),
  row('reminder_schedule', 'integer_list', [7, 14, 30]),
  row('secret_level', 'string', 'x', ['client']),
];

describe('company settings form', () => {
  it('has a draft for every key the company may set', () => {
    const f = formFromRows(rows);
    expect(Object.keys(f.drafts)).toEqual(['currency', 'payment_terms', 'send_reminders', 'reminder_schedule']);
    expect(f.drafts.payment_terms).toBe('14');
    expect(dirtyKeys(f)).toEqual([]);
  });

  it('sends only what changed, parsed per type', () => {
    let f = formFromRows(rows);
    f = withDraft(f, 'currency', 'eur');
    f = withDraft(f, 'send_reminders', false);
    f = withDraft(f, 'reminder_schedule', '7,14, 30'); // same list, other spelling
    expect(dirtyKeys(f)).toEqual(['currency', 'send_reminders']);
    expect(buildPatch(f)).toEqual({ patch: { currency: 'EUR', send_reminders: false }, errors: {} });
  });

  it('sends nothing and names the keys whose drafts do not parse', () => {
    let f = formFromRows(rows);
    f = withDraft(f, 'payment_terms', 'two weeks');
    f = withDraft(f, 'currency', 'GBP');
    expect(dirtyKeys(f)).toEqual(['currency', 'payment_terms']);
    expect(buildPatch(f).errors).toEqual({ payment_terms: 'Enter a whole number, such as 14' });
  });

  it('takes in an answer, keeping drafts the save did not send', () => {
    let f = formFromRows(rows);
    f = withDraft(f, 'currency', 'EUR');
    f = withDraft(f, 'payment_terms', '30');
    const answer = [row('currency', 'currency', 'USD'), row('payment_terms', 'integer', 14), row('send_reminders', 'boolean', true), row('reminder_schedule', 'integer_list', [7])];
    // only payment_terms was reset (sent): it shows the answer; currency keeps its draft
    const next = adoptAnswer(f, answer, ['payment_terms']);
    expect(next.drafts.currency).toBe('EUR');
    expect(next.drafts.payment_terms).toBe('14');
    expect(next.drafts.reminder_schedule).toBe('7');
  });

  it('drops drafts of keys the answer no longer has', () => {
    const f = withDraft(formFromRows(rows), 'currency', 'EUR');
    const next = adoptAnswer(f, [row('payment_terms', 'integer', 14)], []);
    expect(next.drafts).toEqual({ payment_terms: '14' });
  });

  it('gathers API errors per key, with the hint when one key is wrong', () => {
    expect(apiErrors({ currency: 'Unknown currency "XYZ"' }, 'Use an ISO 4217 code such as EUR or USD.')).toEqual({
      currency: 'Unknown currency "XYZ". Use an ISO 4217 code such as EUR or USD.',
    });
  });
  it('leaves the hint out when it is not about one key', () => {
    expect(apiErrors({ currency: 'a', 'reminder_schedule[1]': 'b' }, 'A hint.')).toEqual({ currency: 'a', reminder_schedule: 'b' });
    expect(apiErrors({}, 'A hint.')).toEqual({});
  });
});
