import { useEffect, useState } from 'preact/hooks';
import { Button } from '../ui/button';
import { settingLabel, type SettingLevel, type SettingRow } from '../../lib/settings/registry';
import { draftOf, parseDraft, type Draft } from '../../lib/settings/values';
import { SettingField } from './setting-field';

interface OverrideEditorProps {
  row: SettingRow;
  level: SettingLevel;
  idBase: string;
  /** from the API, for this key (a 422) */
  error?: string | undefined;
  busy: boolean;
  onSave: (value: unknown) => void;
  onCancel: () => void;
}

const NOUN: Record<SettingLevel, string> = { client: 'this client', group: 'this group', company: 'the company' };

/**
 * The inline form that sets one key at a level: starts from the value in
 * effect, checks the input's shape before sending, Esc cancels.
 */
export function OverrideEditor({ row, level, idBase, error, busy, onSave, onCancel }: OverrideEditorProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(row.type, row.value));
  const [local, setLocal] = useState<string | undefined>(undefined);
  const id = `${idBase}-${row.key}`;

  useEffect(() => {
    const el = document.getElementById(id) ?? document.querySelector<HTMLElement>(`#${CSS.escape(id)} input`);
    el?.focus();
    if (el instanceof HTMLInputElement && el.type === 'text') el.select();
  }, []);

  const submit = (e: Event) => {
    e.preventDefault();
    const p = parseDraft(row, draft);
    if (!p.ok) {
      setLocal(p.error);
      return;
    }
    setLocal(undefined);
    onSave(p.value);
  };

  return (
    <form
      class="override-editor"
      onSubmit={submit}
      noValidate
      aria-busy={busy ? 'true' : 'false'}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <SettingField
        row={row}
        level={level}
        draft={draft}
        onChange={(d) => {
          setDraft(d);
          setLocal(undefined);
        }}
        error={local ?? error}
        disabled={busy}
        idBase={idBase}
        badge={false}
        label={`${settingLabel(row.key)} for ${NOUN[level]}`}
      />
      <div class="override-editor__actions">
        <Button type="submit" variant="primary" size="sm" loading={busy}>
          Save override
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
