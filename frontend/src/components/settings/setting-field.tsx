import './settings.css';
import type { ComponentChildren } from 'preact';
import { settingHint, settingLabel, type SettingLevel, type SettingRow } from '../../lib/settings/registry';
import type { Draft } from '../../lib/settings/values';
import { SettingControl, isGroupControl } from './setting-control';
import { SourceBadge } from './source-badge';

interface SettingFieldProps {
  row: SettingRow;
  /** the level being edited: decides the badge's words */
  level: SettingLevel;
  draft: Draft;
  onChange: (draft: Draft) => void;
  error?: string | undefined;
  disabled?: boolean;
  /** prefix of the control's id: `${idBase}-${key}` */
  idBase: string;
  /** buttons on the label's line ("Reset to default") */
  actions?: ComponentChildren;
  /** under the control, above the hint (a live preview) */
  extra?: ComponentChildren;
  /** false hides the source badge (a value being typed has no source yet) */
  badge?: boolean;
  groupName?: string | null;
  /** the label's text, when it should say more than the key's label */
  label?: string;
}

/**
 * One setting as a form field: its label with the source badge and
 * actions, the control for its type, then its hint or its error, all
 * wired for assistive tech (label for, aria-describedby, aria-invalid).
 */
export function SettingField({ row, level, draft, onChange, error, disabled, idBase, actions, extra, badge = true, groupName, label }: SettingFieldProps) {
  const id = `${idBase}-${row.key}`;
  const hint = settingHint(row.key);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const group = isGroupControl(row);
  const text = label ?? settingLabel(row.key);
  const control = <SettingControl row={row} draft={draft} onChange={onChange} id={id} describedBy={describedBy} invalid={Boolean(error)} disabled={disabled} />;
  return (
    <div class={`setting-field${error ? ' setting-field--invalid' : ''}`} data-setting={row.key}>
      <div class="setting-field__head">
        {group ? (
          <span class="field__label" id={`${id}-label`}>
            {text}
          </span>
        ) : (
          <label class="field__label" for={id}>
            {text}
          </label>
        )}
        {badge ? <SourceBadge source={row.source} level={level} groupName={groupName} /> : null}
        {actions ? <span class="setting-field__actions">{actions}</span> : null}
      </div>
      {group ? (
        <div role="group" aria-labelledby={`${id}-label`}>
          {control}
        </div>
      ) : (
        control
      )}
      {extra}
      {hint ? (
        <p class={error ? 'sr-only' : 'field__hint'} id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
