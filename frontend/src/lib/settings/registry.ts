// The settings registry as the API shows it: every answer of the settings
// endpoints carries, per key, its type, section and the levels where it may
// be set, next to the value in effect and where that value comes from. The
// screens are built from that, so a key added on the server shows up here
// without a change; the tables below only add words for people (labels,
// hints, section titles) and fall back to the key itself.
import type { EffectiveSetting, EffectiveSettings } from '../../api/types';
import { humanise } from '../field-errors';

export type SettingLevel = EffectiveSetting['levels'][number];
export type SettingSource = EffectiveSetting['source'];
export type SettingType = EffectiveSetting['type'];

/** One key of the registry with its effective value. */
export interface SettingRow {
  key: string;
  type: SettingType;
  section: string;
  levels: SettingLevel[];
  /** the allowed values of an enum */
  values: string[];
  value: unknown;
  source: SettingSource;
  /** the value cannot change at this level, and why (a client's currency once it has ledger entries) */
  fixed?: { reason: string; message: string };
}

export interface SettingSection {
  id: string;
  /** the URL segment: "custom_fields" → "custom-fields" */
  slug: string;
  title: string;
  description: string;
  rows: SettingRow[];
}

interface KeyText {
  label: string;
  hint?: string;
  /** shown after a number ("days") */
  unit?: string;
}

const KEYS: Record<string, KeyText> = {
  currency: {
    label: 'Currency',
    hint: 'Of invoices, payments and the client balance. An ISO 4217 code such as EUR. A client keeps the currency of its first ledger entry: changing this later does not move its money.',
  },
  language: { label: 'Language', hint: 'Of documents, emails and the client portal. A language tag such as en or de-CH.' },
  timezone: { label: 'Time zone', hint: 'Dates on documents and in numbers ({$year}, {$date:…}) follow it.' },
  date_format: { label: 'Date format', hint: 'How dates are printed on documents.' },
  payment_terms: { label: 'Payment terms', hint: 'Days from an invoice to its due date.', unit: 'days' },
  send_reminders: { label: 'Send payment reminders', hint: 'Email contacts when an invoice is overdue.' },
  reminder_schedule: { label: 'Reminder schedule', hint: 'Days after the due date, separated by commas: 7, 14, 30.', unit: 'days' },
  contact_send_email: { label: 'Email documents to contacts', hint: 'Contacts who receive emails get new documents by email.' },
  portal_notifications: { label: 'Portal notifications', hint: 'Tell contacts by email when something changes in their portal account (a new password).' },
  custom_fields: { label: 'Custom field labels', hint: 'Name a field to show it on client and contact forms; leave it empty to hide it.' },
  portal_enabled: { label: 'Client portal', hint: 'Contacts can sign in to see their balance, statement and details (off: the portal answers "not found").' },
  portal_registration: { label: 'Self-registration', hint: 'Visitors can sign up, which creates a client and its primary contact.' },
  portal_registration_fields: { label: 'Registration form', hint: 'What the sign-up form shows and requires.' },
  portal_uploads: { label: 'Uploads from the portal', hint: 'Contacts can upload documents.' },
  portal_registration_approval: { label: 'Approve registrations', hint: 'New registrations wait, archived, until staff restore (approve) them.' },
  portal_magic_links: { label: 'Sign-in links by email', hint: 'Contacts can ask for a link that signs them in without a password (valid 10 minutes).' },
  portal_client_fields: { label: 'What contacts may edit', hint: 'The client fields contacts can change in the portal (true) or not (false).' },
  email_templates: { label: 'Email templates', hint: 'Per mail (invitation, reset, magic, registration, registration_exists, password_changed, webhook_disabled): subject, text and optional html, with {{company}}, {{name}}, {{email}}, {{link}} and {{expires}} (webhook_disabled: {{webhook}}, {{url}}, {{description}}, {{id}}, {{reason}} and {{disabled_at}}). A mail left out keeps the built-in text.' },
  client_number_pattern: { label: 'Number pattern', hint: 'Must contain {$counter} or {$group_counter}.' },
  client_number_counter: { label: 'Next counter value', hint: 'The counter the next new client uses; it goes up by one for each. A group that sets it counts its clients on its own.' },
  document_max_size: { label: 'Largest document', hint: 'The most one uploaded file may have, in bytes (26214400 is 25 MiB; at most 104857600, 100 MiB). A larger file is refused with this limit named.', unit: 'bytes' },
  counter_padding: { label: 'Counter digits', hint: 'The counter is padded with zeros to this many digits: 4 gives 0042.' },
};

const SECTIONS: Record<string, { title: string; description: string }> = {
  general: { title: 'General', description: 'Currency, language, time zone and payment terms of documents.' },
  reminders: { title: 'Reminders', description: 'When overdue invoices are followed up.' },
  email: { title: 'Email', description: 'What contacts receive by email.' },
  portal: { title: 'Client portal', description: 'What contacts can do in the client portal.' },
  numbers: { title: 'Generated numbers', description: 'How new clients are numbered when no number is given.' },
  custom_fields: { title: 'Custom fields', description: 'Extra fields on clients and contacts.' },
  documents: { title: 'Documents', description: 'Files kept for clients and groups.' },
};

/** The order of the known sections; sections the SPA does not know follow in the API's order. */
const SECTION_ORDER = ['general', 'reminders', 'email', 'portal', 'documents', 'numbers', 'custom_fields'];

/** rec[key] when rec has it as its own property ("constructor" is not a setting). */
export function own<T>(rec: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

export function settingLabel(key: string): string {
  return own(KEYS, key)?.label ?? humanise(key);
}

export function settingHint(key: string): string | undefined {
  return own(KEYS, key)?.hint;
}

export function settingUnit(key: string): string | undefined {
  return own(KEYS, key)?.unit;
}

export function sectionSlug(id: string): string {
  return id.replace(/_/g, '-');
}

function sectionText(id: string): { title: string; description: string } {
  return own(SECTIONS, id) ?? { title: humanise(id), description: '' };
}

/** The rows of an answer, in the API's order (the registry's). */
export function settingRows(body: EffectiveSettings): SettingRow[] {
  return Object.entries(body.settings).map(([key, s]) => ({
    key,
    type: s.type,
    section: s.section,
    levels: [...s.levels],
    values: s.values ? [...s.values] : [],
    value: s.value,
    source: s.source,
    ...(s.fixed ? { fixed: { reason: s.fixed.reason, message: s.fixed.message } } : {}),
  }));
}

/**
 * The rows grouped into sections: known sections first in their fixed
 * order, then the others as they first appear. With `level`, only keys
 * that may be set there.
 */
export function settingSections(rows: SettingRow[], level?: SettingLevel): SettingSection[] {
  const by = new Map<string, SettingRow[]>();
  for (const r of rows) {
    if (level && !r.levels.includes(level)) continue;
    const list = by.get(r.section);
    if (list) list.push(r);
    else by.set(r.section, [r]);
  }
  const ids = [...by.keys()].sort((a, b) => rank(a) - rank(b));
  return ids.map((id) => ({ id, slug: sectionSlug(id), ...sectionText(id), rows: by.get(id)! }));
}

function rank(id: string): number {
  const i = SECTION_ORDER.indexOf(id);
  return i < 0 ? SECTION_ORDER.length : i;
}

/**
 * The key an API field path is about: "reminder_schedule[1]" and
 * "portal_registration_fields.city.required" are about their first part;
 * "settings.currency" (a group body) drops the prefix.
 */
export function settingKeyOf(field: string, prefix = ''): string {
  const f = prefix && field.startsWith(`${prefix}.`) ? field.slice(prefix.length + 1) : field;
  return f.split(/[.[]/, 1)[0] ?? f;
}

/** Field errors of a 422 gathered per key (the first message of each key wins). */
export function errorsByKey(fieldErrors: Record<string, string>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors)) {
    const key = settingKeyOf(field, prefix);
    if (key && own(out, key) === undefined) out[key] = message;
  }
  return out;
}
