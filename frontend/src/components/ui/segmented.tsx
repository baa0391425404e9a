import { useId } from 'preact/hooks';

interface SegmentedProps<T extends string> {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}

/** A row of mutually exclusive choices: native radios, so arrow keys work as expected. */
export function Segmented<T extends string>({ label, value, options, onChange }: SegmentedProps<T>) {
  const name = `seg${useId()}`;
  return (
    <fieldset class="segmented">
      <legend class="sr-only">{label}</legend>
      {options.map((o) => (
        <label key={o.value} class={o.value === value ? 'segmented__item segmented__item--on' : 'segmented__item'}>
          <input type="radio" class="segmented__input" name={name} value={o.value} checked={o.value === value} onChange={() => onChange(o.value)} />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
