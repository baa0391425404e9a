// The custom fields of clients and contacts are named in the company's
// settings (custom_fields: client1..4, contact1..4); a field without a
// name is hidden. Forms and the details show the named ones by their
// names, and an unnamed one only while it still holds a value (so that
// nothing stored is out of sight, and it can be cleared).
import type { EffectiveSettings } from '../api/types';

export type CustomOf = 'client' | 'contact';

export interface CustomField {
  /** 1 to 4: custom_value1 .. custom_value4 */
  n: 1 | 2 | 3 | 4;
  key: 'custom_value1' | 'custom_value2' | 'custom_value3' | 'custom_value4';
  label: string;
  /** has a value but no name in the settings */
  unnamed: boolean;
}

const NS = [1, 2, 3, 4] as const;

/** The four labels of clients' or contacts' custom fields ("" when not named). */
export function customLabels(settings: EffectiveSettings | undefined, of: CustomOf): string[] {
  const v = settings?.settings.custom_fields?.value;
  const obj = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  return NS.map((n) => {
    const l = obj[`${of}${n}`];
    return typeof l === 'string' ? l.trim() : '';
  });
}

/**
 * The custom fields to show: the named ones, and the unnamed ones that
 * hold a value in any of `values` (one record, or several contacts).
 */
export function shownCustomFields(labels: string[], values: Partial<Record<CustomField['key'], string>>[] = []): CustomField[] {
  return NS.flatMap((n): CustomField[] => {
    const key = `custom_value${n}` as const;
    const label = labels[n - 1] ?? '';
    if (label) return [{ n, key, label, unnamed: false }];
    if (values.some((v) => (v[key] ?? '').trim() !== '')) return [{ n, key, label: `Custom field ${n} (not named)`, unnamed: true }];
    return [];
  });
}
