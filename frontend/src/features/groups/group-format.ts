// Words for groups in lists and headers.
import type { Group } from '../../api/types';
import { settingLabel } from '../../lib/settings/registry';

/** "3 clients", "1 client", "No clients". */
export function memberCount(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return 'No clients';
  return `${n.toLocaleString()} client${n === 1 ? '' : 's'}`;
}

/**
 * The keys a group overrides, for a list cell: "Currency, Payment terms"
 * and "+2 more" past `max`; "" when it overrides nothing.
 */
export function overridesSummary(settings: Group['settings'] | null | undefined, max = 3): string {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return '';
  const keys = Object.keys(settings);
  if (keys.length === 0) return '';
  const shown = keys.slice(0, max).map(settingLabel).join(', ');
  return keys.length > max ? `${shown} +${keys.length - max} more` : shown;
}
