// Where a setting's value comes from, as a badge: the level the screen is
// about shows its own overrides strongest; inherited values say from where.
import type { SettingLevel, SettingSource } from './registry';

export interface SourceView {
  /** the badge text */
  label: string;
  tone: 'accent' | 'info' | 'neutral';
  /** a sentence for the badge's title and for screen readers */
  description: string;
  /** the value is set at the level being shown (it can be cleared there) */
  own: boolean;
}

/**
 * The badge of a value with `source`, seen at `level`. `groupName` names
 * the group a client's value comes from, when known.
 */
export function sourceView(source: SettingSource, level: SettingLevel, groupName?: string | null, fixed = false): SourceView {
  const own = source === level;
  switch (source) {
    case 'client':
      if (fixed) return { label: 'Client', tone: 'accent', description: 'Fixed for this client by its ledger entries', own };
      return { label: 'Client', tone: 'accent', description: 'Set for this client', own };
    case 'group':
      if (own) return { label: 'Group', tone: 'accent', description: 'Set for this group', own };
      return { label: 'From group', tone: 'info', description: groupName ? `Inherited from the group ${groupName}` : "Inherited from the client's group", own };
    case 'company':
      if (own) return { label: 'Company', tone: 'accent', description: 'Set for the company', own };
      return { label: 'Company', tone: 'neutral', description: 'Inherited from the company settings', own };
    default:
      return { label: 'Default', tone: 'neutral', description: 'The built-in default: nobody has set it', own };
  }
}

/** What clearing an override at `level` falls back to, for the button's explanation. */
export function fallbackPhrase(level: SettingLevel): string {
  if (level === 'client') return "the group's or the company's value";
  if (level === 'group') return "the company's value";
  return 'the built-in default';
}
