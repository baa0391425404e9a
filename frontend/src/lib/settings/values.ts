// Setting values between the API's JSON and the inputs of a form. An input
// holds a Draft (text, or a boolean for a switch); parseDraft turns it into
// the JSON value the API expects for the key's type, or into a message
// saying what to type instead. The API checks everything again (ranges,
// known currencies and time zones) and its answer is what finally counts.
import { countryName } from '../countries';
import type { SettingRow, SettingType } from './registry';
import { settingUnit } from './registry';

export type Draft = string | boolean;

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

type TypedRow = Pick<SettingRow, 'key' | 'type' | 'values'>;

/** What an input shows for a value. */
export function draftOf(type: SettingType, value: unknown): Draft {
  if (type === 'boolean') return value === true;
  if (value === null || value === undefined) return '';
  if (type === 'integer_list') return Array.isArray(value) ? value.join(', ') : '';
  if (type === 'object') return JSON.stringify(value, null, 2);
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

const ok = (value: unknown): Parsed => ({ ok: true, value });
const bad = (error: string): Parsed => ({ ok: false, error });

function integer(text: string): number | null {
  if (!/^-?\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

function parseText(row: TypedRow, raw: string): Parsed {
  const t = raw.trim();
  if (t === '' && row.type !== 'string' && row.type !== 'integer_list') return bad('Enter a value');
  switch (row.type) {
    case 'integer': {
      const n = integer(t);
      return n === null ? bad(/^-?\d+$/.test(t) ? 'The number is too large' : 'Enter a whole number, such as 14') : ok(n);
    }
    case 'decimal':
      return /^-?\d+(\.\d+)?$/.test(t) ? ok(t) : bad('Enter a number with a dot for decimals, such as 2.50');
    case 'enum':
      return row.values.includes(t) ? ok(t) : bad(`Choose one of ${row.values.join(', ')}`);
    case 'currency':
      return /^[A-Za-z]{3}$/.test(t) ? ok(t.toUpperCase()) : bad('Enter a three-letter currency code, such as EUR');
    case 'country':
      return /^[A-Za-z]{2}$/.test(t) ? ok(t.toUpperCase()) : bad('Choose a country');
    case 'language':
      return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(t) ? ok(t) : bad('Enter a language tag, such as en or de-CH');
    case 'timezone':
      return /^[A-Za-z0-9_+\-/]+$/.test(t) ? ok(t) : bad('Enter a time zone, such as Europe/Berlin');
    case 'integer_list': {
      const parts = t.split(/[\s,;]+/).filter(Boolean);
      const out: number[] = [];
      for (const p of parts) {
        const n = integer(p);
        if (n === null) return bad(`“${p}” is not a whole number: separate numbers with commas`);
        out.push(n);
      }
      return ok(out);
    }
    case 'object':
      return parseObject(t);
    default:
      return ok(t);
  }
}

function parseObject(text: string): Parsed {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return bad('Not valid JSON');
  }
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? ok(v) : bad('Enter a JSON object: {"key": value}');
}

/** The JSON value for the API, or why the draft is not one. */
export function parseDraft(row: TypedRow, draft: Draft): Parsed {
  if (row.type === 'boolean') return typeof draft === 'boolean' ? ok(draft) : bad('Choose on or off');
  if (typeof draft !== 'string') return bad('Enter a value');
  return parseText(row, draft);
}

/** JSON with sorted keys, so equal values compare equal whatever their key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function displayName(type: 'currency' | 'language', code: string, locale?: string): string | null {
  try {
    const name = new Intl.DisplayNames(locale ? [locale] : undefined, { type }).of(code);
    return name && name !== code ? name : null;
  } catch {
    return null;
  }
}

/** A value as a person reads it: "Yes", "14 days", "EUR (Euro)", "7, 14, 30 days". */
export function formatValue(row: Pick<SettingRow, 'key' | 'type'>, value: unknown, locale?: string): string {
  if (value === null || value === undefined || value === '') return '—';
  const unit = settingUnit(row.key);
  switch (row.type) {
    case 'boolean':
      return value === true ? 'Yes' : 'No';
    case 'integer':
      return unit && typeof value === 'number' ? `${value} ${value === 1 ? unit.replace(/s$/, '') : unit}` : String(value);
    case 'integer_list':
      if (!Array.isArray(value)) return String(value);
      return value.length === 0 ? 'None' : `${value.join(', ')}${unit ? ` ${unit}` : ''}`;
    case 'currency':
    case 'language': {
      const code = String(value);
      const name = displayName(row.type, code, locale);
      return name ? `${code} (${name})` : code;
    }
    case 'country':
      return countryName(String(value), locale) || String(value);
    case 'object': {
      if (typeof value !== 'object') return String(value);
      const n = Object.keys(value).length;
      return n === 0 ? 'None' : `${n} ${n === 1 ? 'entry' : 'entries'}`;
    }
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}
