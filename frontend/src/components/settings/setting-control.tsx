// The input for one setting, chosen by the key's type from the registry:
// a switch, a list of choices, a text input with suggestions, a grid, or
// JSON text for an object of a shape nothing else fits.
import { useMemo } from 'preact/hooks';
import { Select, TextInput, Textarea } from '../ui/input';
import { Switch } from '../ui/switch';
import { countries } from '../../lib/countries';
import { currencyChoices, languageChoices, timeZoneChoices, type Choice } from '../../lib/settings/choices';
import { LABEL_SLOTS, flagMatrix } from '../../lib/settings/objects';
import { own, settingLabel, settingUnit, type SettingRow } from '../../lib/settings/registry';
import type { Draft } from '../../lib/settings/values';
import { FlagMatrixControl, LabelsControl } from './object-controls';

export interface SettingControlProps {
  row: Pick<SettingRow, 'key' | 'type' | 'values'>;
  draft: Draft;
  onChange: (draft: Draft) => void;
  id: string;
  describedBy?: string | undefined;
  invalid?: boolean;
  disabled?: boolean;
}

/** Object settings get a fieldset-like control of their own (no <label for>). */
export function isGroupControl(row: Pick<SettingRow, 'key' | 'type' | 'value'>): boolean {
  return row.type === 'object' && (own(LABEL_SLOTS, row.key) !== undefined || flagMatrix(row.value) !== null);
}

function Suggestions({ id, choices }: { id: string; choices: Choice[] }) {
  return (
    <datalist id={id}>
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </datalist>
  );
}

export function SettingControl({ row, draft, onChange, id, describedBy, invalid, disabled }: SettingControlProps) {
  const aria = { id, 'aria-describedby': describedBy, 'aria-invalid': invalid ? ('true' as const) : undefined, disabled };
  const text = typeof draft === 'string' ? draft : '';
  const setText = (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement }) => onChange(e.currentTarget.value);
  const listId = `${id}-choices`;
  const choices = useMemo(() => {
    if (row.type === 'currency') return currencyChoices();
    if (row.type === 'timezone') return timeZoneChoices();
    if (row.type === 'language') return languageChoices();
    return null;
  }, [row.type]);

  switch (row.type) {
    case 'boolean':
      return <Switch {...aria} checked={draft === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
    case 'enum':
      return (
        <Select {...aria} value={text} onChange={setText}>
          {row.values.includes(text) ? null : <option value={text}>{text || '—'}</option>}
          {row.values.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </Select>
      );
    case 'country':
      return (
        <Select {...aria} value={text} onChange={setText}>
          <option value="">—</option>
          {countries().map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </Select>
      );
    case 'currency':
    case 'timezone':
    case 'language':
      return (
        <>
          <input
            {...aria}
            type="text"
            class={row.type === 'currency' ? 'input input--code' : 'input input--text-short'}
            value={text}
            list={listId}
            autoComplete="off"
            spellcheck={false}
            maxLength={row.type === 'currency' ? 3 : 64}
            onInput={(e) => onChange(row.type === 'currency' ? e.currentTarget.value.toUpperCase() : e.currentTarget.value)}
          />
          <Suggestions id={listId} choices={choices ?? []} />
        </>
      );
    case 'integer':
    case 'decimal': {
      const unit = settingUnit(row.key);
      const input = <TextInput {...aria} value={text} inputMode={row.type === 'integer' ? 'numeric' : 'decimal'} autoComplete="off" class="input--number" onInput={setText} />;
      if (!unit) return input;
      return (
        <span class="input-unit">
          {input}
          <span class="input-unit__text">{unit}</span>
        </span>
      );
    }
    case 'pattern':
      return <TextInput {...aria} value={text} class="input--mono" autoComplete="off" spellcheck={false} maxLength={64} onInput={setText} />;
    case 'object': {
      const slots = own(LABEL_SLOTS, row.key);
      const common = { id, label: settingLabel(row.key), draft: text, onChange, disabled, describedBy };
      if (slots) return <LabelsControl {...common} slots={slots} />;
      if (flagMatrixDraft(text)) return <FlagMatrixControl {...common} />;
      return <Textarea {...aria} value={text} rows={6} class="input--mono" spellcheck={false} onInput={setText} />;
    }
    default:
      return <TextInput {...aria} value={text} autoComplete="off" onInput={setText} />;
  }
}

function flagMatrixDraft(text: string): boolean {
  try {
    return flagMatrix(JSON.parse(text)) !== null;
  } catch {
    return false;
  }
}
