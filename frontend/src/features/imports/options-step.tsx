// Step 3: how rows meet the clients already there (the match key and what
// a match does), all or nothing or the valid rows only, and the finer
// points (groups, rows of one client, decimal separator). Next checks the
// whole file with a dry run.
import { useId } from 'preact/hooks';
import type { ImportOptions } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Checkbox } from '../../components/ui/checkbox';
import { Select } from '../../components/ui/input';
import { matchKeyMapped } from './import-model';

interface Props {
  mapping: (string | null)[];
  options: ImportOptions;
  error: string | null;
  busy: boolean;
  onChange: (options: ImportOptions) => void;
  onBack: () => void;
  onNext: () => void;
}

const MATCH_KEYS: { value: ImportOptions['match_key']; label: string; hint: string; needs: string }[] = [
  { value: 'number', label: 'Client number', hint: 'The same number is the same client.', needs: 'Map a column to Client number to use it.' },
  { value: 'email', label: 'Email', hint: 'The primary contact’s email, without case.', needs: 'Map a column to Contact 1 · Email to use it.' },
  { value: 'id_number', label: 'ID number', hint: 'The company’s registration or tax ID.', needs: 'Map a column to ID number to use it.' },
  { value: 'name', label: 'Name', hint: 'Compared without case and spaces.', needs: 'Map a name or a contact to use it.' },
];

const ON_MATCH: { value: ImportOptions['on_match']; label: string; hint: string }[] = [
  { value: 'skip', label: 'Skip the row', hint: 'The client stays as it is.' },
  { value: 'update', label: 'Update the client', hint: 'With the fields the row fills; empty cells change nothing.' },
  { value: 'create', label: 'Create a new client anyway', hint: 'You may end up with two of one client.' },
];

const MODES: { value: ImportOptions['mode']; label: string; hint: string }[] = [
  { value: 'valid_rows', label: 'Import the valid rows', hint: 'Rows with errors are left out; download them afterwards, fix them and import them again.' },
  { value: 'all_or_nothing', label: 'All or nothing', hint: 'One error and no row is imported. The file goes in whole or not at all.' },
];

export function OptionsStep({ mapping, options, error, busy, onChange, onBack, onNext }: Props) {
  const set = <K extends keyof ImportOptions>(k: K, v: ImportOptions[K]) => onChange({ ...options, [k]: v });
  const keyOk = matchKeyMapped(options.match_key, mapping);
  const has = (f: string) => mapping.includes(f);
  const contacts = mapping.some((m) => m?.startsWith('contact'));

  return (
    <div class="import-step">
      {error ? (
        <Alert tone="danger" title="These options cannot be used" assertive>
          {error}
        </Alert>
      ) : null}
      <div class="import-options">
        <Choices legend="Find clients already there by" name="match_key" value={options.match_key} onChange={(v) => set('match_key', v)}>
          {MATCH_KEYS.map((k) => ({ ...k, disabled: !matchKeyMapped(k.value, mapping), hint: matchKeyMapped(k.value, mapping) ? k.hint : k.needs }))}
        </Choices>
        <Choices legend="When a row matches a client" name="on_match" value={options.on_match} onChange={(v) => set('on_match', v)}>
          {ON_MATCH}
        </Choices>
        <Choices legend="Rows with errors" name="mode" value={options.mode} onChange={(v) => set('mode', v)}>
          {MODES}
        </Choices>
        <fieldset class="import-choices">
          <legend class="import-choices__legend">More</legend>
          <div class="import-more">
            <Checkbox
              label="Create the groups the file names that do not exist yet"
              checked={options.create_groups}
              disabled={!has('group')}
              onChange={(e) => set('create_groups', e.currentTarget.checked)}
            />
            <Checkbox
              label="Rows in a row with the same client number (or ID number, or name) are one client’s contacts"
              checked={options.group_rows}
              disabled={!contacts}
              onChange={(e) => set('group_rows', e.currentTarget.checked)}
            />
            <label class="import-more__select">
              <span>Decimal separator of amounts</span>
              <Select value={options.decimal_separator} disabled={!has('opening_balance')} onChange={(e) => set('decimal_separator', e.currentTarget.value as ImportOptions['decimal_separator'])}>
                <option value="auto">Found from the file</option>
                <option value=".">Point: 1,234.56</option>
                <option value=",">Comma: 1.234,56</option>
              </Select>
            </label>
          </div>
        </fieldset>
      </div>
      <div class="import-actions">
        <Button variant="ghost" onClick={onBack} disabled={busy}>
          Back
        </Button>
        <Button variant="primary" onClick={onNext} loading={busy} disabled={!keyOk}>
          Check the file
        </Button>
      </div>
    </div>
  );
}

interface ChoiceItem<T extends string> {
  value: T;
  label: string;
  hint: string;
  disabled?: boolean;
}

function Choices<T extends string>({ legend, name, value, onChange, children }: { legend: string; name: string; value: T; onChange: (v: T) => void; children: ChoiceItem<T>[] }) {
  const id = useId();
  return (
    <fieldset class="import-choices">
      <legend class="import-choices__legend">{legend}</legend>
      <div class="import-choices__list">
        {children.map((c) => (
          <label key={c.value} class={`import-choice${c.value === value ? ' import-choice--on' : ''}${c.disabled ? ' import-choice--disabled' : ''}`}>
            <input
              type="radio"
              class="import-choice__input"
              name={`${name}${id}`}
              value={c.value}
              checked={c.value === value}
              disabled={c.disabled}
              onChange={() => onChange(c.value)}
            />
            <span class="import-choice__text">
              <span class="import-choice__label">{c.label}</span>
              <span class="import-choice__hint">{c.hint}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

