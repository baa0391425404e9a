// Words and dates for API tokens: when a new one expires, and how a
// token's expiry and last use read in the list.
import { dayEnd, isDay, localDay } from '../../lib/days';
import { formatDate, formatRelative } from '../../lib/format';

/** The expiry choices of a new token: a number of days, none, or a day picked. */
export type ExpiryChoice = '30' | '90' | '365' | 'never' | 'date';

export const EXPIRY_CHOICES: readonly { value: ExpiryChoice; label: string }[] = [
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: 'date', label: 'On a date…' },
  { value: 'never', label: 'Never' },
];

/**
 * The expires_at of a new token (RFC 3339), null for none, or a problem:
 * a picked day ends at the end of that local day, and must be after today.
 */
export function expiryOf(choice: ExpiryChoice, day: string, now: Date = new Date()): { ok: true; value: string | null } | { ok: false; error: string } {
  if (choice === 'never') return { ok: true, value: null };
  if (choice === 'date') {
    if (!isDay(day)) return { ok: false, error: 'Pick the day the token stops working' };
    if (day <= localDay(now)) return { ok: false, error: 'Pick a day after today' };
    return { ok: true, value: dayEnd(day) };
  }
  return { ok: true, value: new Date(now.getTime() + Number(choice) * 86400_000).toISOString() };
}

export type ExpiryState = 'none' | 'active' | 'soon' | 'expired';

/** Whether a token has expired, or will within a week. */
export function expiryState(expiresAt: string | null, now: Date = new Date()): ExpiryState {
  if (!expiresAt) return 'none';
  const t = new Date(expiresAt).getTime();
  if (t <= now.getTime()) return 'expired';
  return t - now.getTime() < 7 * 86400_000 ? 'soon' : 'active';
}

/** "Never used", or "used 3 days ago". */
export function lastUsed(at: string | null, now: Date = new Date()): string {
  return at ? `Used ${formatRelative(at, now)}` : 'Never used';
}

/** "Never", "28 Nov 2027" or "Expired 28 Nov 2026". */
export function expiryLabel(expiresAt: string | null, now: Date = new Date()): string {
  const s = expiryState(expiresAt, now);
  if (s === 'none') return 'Never';
  return s === 'expired' ? `Expired ${formatDate(expiresAt)}` : formatDate(expiresAt);
}
