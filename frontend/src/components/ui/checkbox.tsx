import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'label' | 'role'> & {
  label?: ComponentChildren;
  /** the "some selected" state of a select-all box */
  indeterminate?: boolean;
  /** label for screen readers only */
  srLabel?: boolean;
};

export function Checkbox({ label, indeterminate, srLabel, class: cls, ...rest }: CheckboxProps) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = Boolean(indeterminate);
  }, [indeterminate]);
  return (
    <label class={`checkbox${typeof cls === 'string' && cls ? ` ${cls}` : ''}`}>
      <input ref={ref} type="checkbox" class="checkbox__input" {...(rest as Record<string, unknown>)} />
      <span class="checkbox__box" aria-hidden="true" />
      {label ? <span class={srLabel ? 'sr-only' : 'checkbox__label'}>{label}</span> : null}
    </label>
  );
}
