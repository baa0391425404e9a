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

export type PreviewRequest =
  | { ok: true; query: PreviewQuery }
  | { ok: false; key: string; error: string }
  /** a pattern still being typed ("C-{$cou"): no request, and no complaint either */
  | { ok: false; key: string; unfinished: true };

/** What the API holds a pattern to (api/src/core/numbers.c, numbers_pattern_check), checked before asking it. */
export type PatternCheck = { state: 'ok' } | { state: 'unfinished' } | { state: 'invalid'; message: string };

const PATTERN_MAX = 64;
const VARIABLES = ['$counter', '$group_counter', '$year', '$month', '$client_id_number', '$user_id'];
const DATE_FORMAT = /^[Yymndj]([Yymndj\-./_ ]{0,18}[Yymndj])?$/;

/**
 * A client number pattern as the API checks it when saved, with the
 * API's words for what is wrong. A variable still being typed (a "{" with
 * no "}" after it) is unfinished rather than wrong.
 */
export function checkPattern(pattern: string): PatternCheck {
  const invalid = (message: string): PatternCheck => ({ state: 'invalid', message });
  const chars = [...pattern];
  if (chars.length === 0) return invalid('Client number pattern must not be empty');
  if (chars.length > PATTERN_MAX) return invalid(`Client number pattern is longer than ${PATTERN_MAX} characters`);
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return invalid('Client number pattern contains control characters');
  const unbalanced = invalid(`Unbalanced brace in client number pattern "${pattern}": a brace may only enclose a variable such as {$counter}`);
  let counters = 0;
  for (let i = 0; i < pattern.length; ) {
    const c = pattern.charAt(i);
    if (c === '}') return unbalanced;
    if (c !== '{') {
      i++;
      continue;
    }
    const close = pattern.indexOf('}', i + 1);
    const open = pattern.indexOf('{', i + 1);
    if (close < 0 && open < 0) return { state: 'unfinished' };
    if (close < 0 || (open >= 0 && open < close)) return unbalanced;
    const inner = pattern.slice(i + 1, close);
    if (inner.startsWith('$date:')) {
      const f = inner.slice('$date:'.length);
      if (!DATE_FORMAT.test(f)) return invalid(`Invalid date format "${f}" in client number pattern: use 1 to 20 of the letters Y y m n d j, separated by - . / _ or space`);
    } else if (!VARIABLES.includes(inner)) {
      return invalid(`Unknown variable "{${inner}}" in client number pattern`);
    } else if (inner === '$counter' || inner === '$group_counter') counters++;
    i = close + 1;
  }
  if (counters === 0) return invalid(`Client number pattern "${pattern}" has no counter: every client would get the same number; add {$counter} or {$group_counter}`);
  return { state: 'ok' };
}

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
      // the API's own rules first: no request for a pattern it would refuse
      const check = checkPattern(p.value);
      if (check.state === 'unfinished') return { ok: false, key, unfinished: true };
      if (check.state === 'invalid') return { ok: false, key, error: check.message };
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
