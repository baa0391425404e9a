import './settings.css';
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';
import { IconLock } from '../ui/icons';
import { Segmented } from '../ui/segmented';
import { describeError } from '../../lib/errors';
import { errorsByKey, settingHint, settingLabel, settingSections, type SettingRow } from '../../lib/settings/registry';
import { fallbackPhrase, sourceView } from '../../lib/settings/source';
import { formatValue } from '../../lib/settings/values';
import { toastError, toastSuccess } from '../../lib/toast';
import { OverrideEditor } from './override-editor';
import { SourceBadge } from './source-badge';

export type SettingsPatch = Record<string, unknown>;

interface SettingsOverridesProps {
  level: 'client' | 'group';
  /** every key of the API's answer for this client or group */
  rows: SettingRow[];
  /** the client's group, named in "From group" badges */
  groupName?: string | null;
  /** members see the values and where they come from, without actions */
  readOnly?: boolean;
  /**
   * Sends the patch ({key: value} sets, {key: null} clears) and takes the
   * answer in; rejects with the ApiError (a 422 names the key).
   */
  onPatch: (patch: SettingsPatch) => Promise<void>;
}

type Filter = 'all' | 'own';

/** What went wrong, in words; a 412 means the caller has reloaded the settings. */
function problem(e: unknown): { title: string; message?: string } {
  if (e instanceof ApiError && e.status === 412) {
    return { title: 'These settings changed in the meantime', message: 'They have been reloaded: check the value, then try again.' };
  }
  return describeError(e);
}

/**
 * The settings of a client or group as in effect: each key's value with
 * a badge for where it comes from, and (for admins) an override or the
 * clearing of one, key by key. Fetches nothing itself.
 */
export function SettingsOverrides({ level, rows, groupName, readOnly, onPatch }: SettingsOverridesProps) {
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [formError, setFormError] = useState<unknown>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const idBase = `${level}-setting`;
  const own = rows.filter((r) => r.levels.includes(level) && r.source === level).length;
  const sections = settingSections(filter === 'own' ? rows.filter((r) => r.source === level) : rows, level);
  const focusAction = (key: string) => setTimeout(() => document.querySelector<HTMLElement>(`[data-setting-action="${key}"]`)?.focus(), 0);

  const open = (key: string) => {
    setEditing(key);
    setFieldError(undefined);
    setFormError(null);
  };
  const close = (key: string) => {
    setEditing(null);
    focusAction(key);
  };

  const save = async (row: SettingRow, value: unknown) => {
    setBusy(row.key);
    setFieldError(undefined);
    setFormError(null);
    try {
      await onPatch({ [row.key]: value });
      toastSuccess(`${settingLabel(row.key)} set for this ${level}`);
      close(row.key);
    } catch (e) {
      const mine = e instanceof ApiError ? errorsByKey(e.fieldErrors)[row.key] : undefined;
      if (mine) setFieldError(e instanceof ApiError && e.hint ? `${mine}. ${e.hint}` : mine);
      else setFormError(e);
    } finally {
      setBusy(null);
    }
  };

  const clear = async (row: SettingRow) => {
    setBusy(row.key);
    try {
      await onPatch({ [row.key]: null });
      const previous = row.value;
      toastSuccess(`${settingLabel(row.key)} override cleared`, `It now follows ${fallbackPhrase(level)}.`, {
        label: 'Undo',
        run: () =>
          void onPatch({ [row.key]: previous }).catch((e: unknown) => {
            const d = problem(e);
            toastError(d.title, d.message);
          }),
      });
      focusAction(row.key);
    } catch (e) {
      const d = problem(e);
      toastError(d.title, d.message);
    } finally {
      setBusy(null);
    }
  };

  if (!rows.some((r) => r.levels.includes(level))) {
    return <EmptyState title={`No settings can be set for a ${level}`} compact />;
  }

  return (
    <div class="overrides">
      <div class="overrides__bar">
        <p class="overrides__summary" aria-live="polite">
          {own === 0 ? `Nothing is overridden for this ${level}; every value is inherited.` : `${own} setting${own === 1 ? ' is' : 's are'} overridden for this ${level}.`}
        </p>
        <Segmented
          label="Show"
          value={filter}
          options={[
            { value: 'all', label: 'All settings' },
            { value: 'own', label: `Overridden (${own})` },
          ]}
          onChange={setFilter}
        />
      </div>
      {readOnly ? <p class="muted overrides__note">Only owners and admins can change settings.</p> : null}
      {sections.length === 0 ? <EmptyState title="No overrides" compact>Every value is inherited.</EmptyState> : null}
      {sections.map((s) => (
        <section key={s.id} class="card card--flush overrides__section" aria-labelledby={`${idBase}-sec-${s.id}`}>
          <header class="overrides__head">
            <h2 class="card__title" id={`${idBase}-sec-${s.id}`}>
              {s.title}
            </h2>
            {s.description ? <p class="overrides__desc">{s.description}</p> : null}
          </header>
          <ul class="overrides__list">
            {s.rows.map((r) => {
              const mine = sourceView(r.source, level, groupName).own;
              return (
                <li key={r.key} class={`override${editing === r.key ? ' override--editing' : ''}`} data-setting={r.key}>
                  <div class="override__name">
                    <span class="override__label">{settingLabel(r.key)}</span>
                    {settingHint(r.key) ? <span class="override__hint">{settingHint(r.key)}</span> : null}
                  </div>
                  <div class="override__value">
                    <span class="override__text">{formatValue(r, r.value)}</span>
                    <SourceBadge source={r.source} level={level} groupName={groupName} fixed={Boolean(r.fixed)} />
                    {r.fixed ? (
                      <span class="override__fixed" id={`${idBase}-${r.key}-fixed`}>
                        <IconLock size={14} />
                        {r.fixed.message}
                      </span>
                    ) : null}
                  </div>
                  {readOnly ? null : r.fixed ? (
                    <div class="override__actions">
                      <span class="override__fixed-note muted">Cannot change</span>
                    </div>
                  ) : (
                    <div class="override__actions">
                      {editing === r.key ? null : (
                        <Button size="sm" data-setting-action={r.key} aria-label={`${mine ? 'Change' : 'Override'} ${settingLabel(r.key)}`} onClick={() => open(r.key)} disabled={busy !== null}>
                          {mine ? 'Change' : 'Override'}
                        </Button>
                      )}
                      {mine && editing !== r.key ? (
                        <Button size="sm" variant="ghost" aria-label={`Clear the ${settingLabel(r.key)} override`} loading={busy === r.key} disabled={busy !== null} onClick={() => clear(r)}>
                          Clear
                        </Button>
                      ) : null}
                    </div>
                  )}
                  {editing === r.key ? (
                    <div class="override__editor">
                      <OverrideEditor row={r} level={level} idBase={idBase} error={fieldError} busy={busy === r.key} onSave={(v) => save(r, v)} onCancel={() => close(r.key)} />
                      {formError ? (
                        <Alert tone="danger" title={problem(formError).title} assertive>
                          {problem(formError).message}
                        </Alert>
                      ) : null}
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
