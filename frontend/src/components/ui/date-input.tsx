import { useEffect, useMemo, useRef } from 'preact/hooks';
import { debounce } from '../../lib/debounce';

interface DateInputProps {
  id: string;
  /** YYYY-MM-DD or "" */
  value: string;
  min?: string | undefined;
  max?: string | undefined;
  /** a complete day, or "" when cleared; once typing has settled */
  onCommit: (value: string) => void;
  'aria-describedby'?: string | undefined;
}

/**
 * A date input for a filter: it hands over a day once the person has
 * stopped typing (or leaves the field), never a half-typed one, and takes
 * a new value from outside (back, forward) only while it is not being
 * edited, so typing is never overwritten.
 */
export function DateInput({ id, value, min, max, onCommit, ...rest }: DateInputProps) {
  const ref = useRef<HTMLInputElement>(null);
  const commitRef = useRef(onCommit);
  commitRef.current = onCommit;
  const commit = useMemo(() => debounce((v: string) => commitRef.current(v), 500), []);
  useEffect(() => () => commit.cancel(), [commit]);

  useEffect(() => {
    const el = ref.current;
    if (el && el !== document.activeElement && el.value !== value) el.value = value;
  }, [value]);

  return (
    <input
      ref={ref}
      id={id}
      type="date"
      class="input input--date"
      defaultValue={value}
      min={min}
      max={max}
      onInput={(e) => {
        if (!e.currentTarget.validity.badInput) commit(e.currentTarget.value);
      }}
      onBlur={() => commit.flush()}
      {...rest}
    />
  );
}
