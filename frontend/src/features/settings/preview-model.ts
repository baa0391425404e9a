// The live preview of the next client number: which of the numbers
// section's drafts go to the preview endpoint, and which setting an error
// of that endpoint is about.
import type { SettingRow } from '../../lib/settings/registry';
import { parseDraft, sameValue, type Draft } from '../../lib/settings/values';
import type { PreviewQuery } from '../../api/settings';

/** The preview's query parameters and the settings they stand for. */
export const PREVIEW_PARAMS = {
  pattern: 'client_number_pattern',
  padding: 'counter_padding',
  counter: 'client_number_counter',
} as const;

type Param = keyof typeof PREVIEW_PARAMS;

export type PreviewRequest = { ok: true; query: PreviewQuery } | { ok: false; key: string; error: string };

/**
 * The query for the drafts: unsaved values are previewed, saved ones left
 * to the server. A draft that does not parse names its key instead (its
 * field shows the message; no request is made).
 */
export function previewRequest(rows: SettingRow[], drafts: Record<string, Draft>): PreviewRequest {
  const query: PreviewQuery = {};
  for (const param of Object.keys(PREVIEW_PARAMS) as Param[]) {
    const key = PREVIEW_PARAMS[param];
    const row = rows.find((r) => r.key === key);
    const draft = drafts[key];
    if (!row || draft === undefined) continue;
    const p = parseDraft(row, draft);
    if (!p.ok) return { ok: false, key, error: p.error };
    if (sameValue(p.value, row.value)) continue;
    if (param === 'pattern') {
      if (typeof p.value !== 'string') return { ok: false, key, error: 'Enter a pattern' };
      query.pattern = p.value;
    } else {
      const n = p.value;
      if (typeof n !== 'number') return { ok: false, key, error: 'Enter a whole number' };
      if (param === 'padding' && (n < 1 || n > 10)) return { ok: false, key, error: 'Use 1 to 10 digits' };
      if (param === 'counter' && n < 1) return { ok: false, key, error: 'The counter starts at 1' };
      query[param] = n;
    }
  }
  return { ok: true, query };
}

/** The setting a preview error is about: the API names the query parameter. */
export function previewErrorKey(field: string | null): string | null {
  if (field === null) return null;
  return Object.prototype.hasOwnProperty.call(PREVIEW_PARAMS, field) ? PREVIEW_PARAMS[field as Param] : null;
}
