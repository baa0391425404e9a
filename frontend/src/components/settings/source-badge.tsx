import './settings.css';
import type { SettingLevel, SettingSource } from '../../lib/settings/registry';
import { sourceView } from '../../lib/settings/source';

interface SourceBadgeProps {
  source: SettingSource;
  /** the level the screen shows (company, group or client) */
  level: SettingLevel;
  groupName?: string | null;
  /** the value is fixed at this level (a client's currency, by its ledger) */
  fixed?: boolean;
}

/** Where a value comes from: "Client", "From group", "Company", "Default". */
export function SourceBadge({ source, level, groupName, fixed }: SourceBadgeProps) {
  const v = sourceView(source, level, groupName, fixed);
  return (
    <span class={`badge badge--${v.tone} source-badge source-badge--${source}`} title={v.description} data-source={source}>
      {v.label}
      <span class="sr-only">: {v.description.charAt(0).toLowerCase() + v.description.slice(1)}</span>
    </span>
  );
}
