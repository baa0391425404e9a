// Controls for object settings (see lib/settings/objects.ts): a grid of
// switches for flag sets, labelled inputs for label slots. Both edit the
// JSON text draft the form keeps for every object setting.
import { TextInput } from '../ui/input';
import { humanise } from '../../lib/field-errors';
import { fieldName, flagMatrix, labelsOf, labelsValue, setFlag, slotLabel, type FlagMatrix } from '../../lib/settings/objects';

interface ObjectControlProps {
  id: string;
  label: string;
  /** the JSON text of the object */
  draft: string;
  onChange: (draft: string) => void;
  disabled?: boolean;
  describedBy?: string;
}

function parse(draft: string): unknown {
  try {
    return JSON.parse(draft);
  } catch {
    return null;
  }
}

/** The grid, or null when the draft is not a flag matrix (the caller shows JSON instead). */
export function FlagMatrixControl({ id, label, draft, onChange, disabled, describedBy }: ObjectControlProps) {
  const value = parse(draft);
  const shape = flagMatrix(value);
  if (!shape) return null;
  const m = value as FlagMatrix;
  return (
    <div class="flag-matrix" id={id} aria-describedby={describedBy}>
      <table class="flag-matrix__table">
        <caption class="sr-only">{label}</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            {shape.flags.map((f) => (
              <th key={f} scope="col" class="t-center">
                {humanise(f)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shape.rows.map((r) => (
            <tr key={r}>
              <th scope="row">{fieldName(r)}</th>
              {shape.flags.map((f) => (
                <td key={f} class="t-center">
                  <label class="checkbox flag-matrix__cell">
                    <input
                      type="checkbox"
                      class="checkbox__input"
                      checked={m[r]?.[f] === true}
                      disabled={disabled}
                      onChange={(e) => onChange(JSON.stringify(setFlag(m, r, f, e.currentTarget.checked), null, 2))}
                    />
                    <span class="checkbox__box" aria-hidden="true" />
                    <span class="sr-only">
                      {fieldName(r)}: {f}
                    </span>
                  </label>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One input per known slot; empty inputs leave the slot out. */
export function LabelsControl({ id, draft, onChange, disabled, describedBy, slots }: ObjectControlProps & { slots: string[] }) {
  const labels = labelsOf(parse(draft), slots);
  return (
    <div class="labels-control grid grid--2" id={id} aria-describedby={describedBy}>
      {slots.map((s) => (
        <label key={s} class="field">
          <span class="field__label">{slotLabel(s)}</span>
          <TextInput
            value={labels[s]}
            maxLength={50}
            disabled={disabled}
            placeholder="Hidden"
            onInput={(e) => onChange(JSON.stringify(labelsValue({ ...labels, [s]: e.currentTarget.value }), null, 2))}
          />
        </label>
      ))}
    </div>
  );
}
