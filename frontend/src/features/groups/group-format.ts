// Words for groups in lists and headers.
import type { Group } from '../../api/types';
import { settingLabel } from '../../lib/settings/registry';

/** "3 clients", "1 client", "No clients". */
export function memberCount(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return 'No clients';
  return `${n.toLocaleString()} client${n === 1 ? '' : 's'}`;
}

/** Every client of the group, whatever its status: what keeps the group from being deleted. */
export function allMembers(c: Group['member_counts']): number {
  return c.active + c.archived + c.deleted;
}

/**
 * The group's clients by status, as the API counts them: "1 active,
 * 1 archived and 1 deleted", leaving out the statuses with none ("" when
 * there are no clients at all).
 */
export function memberBreakdown(c: Group['member_counts']): string {
  const parts = (['active', 'archived', 'deleted'] as const).filter((k) => c[k] > 0).map((k) => `${c[k].toLocaleString()} ${k}`);
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
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
