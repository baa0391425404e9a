import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

/** What a Field hands to the control it labels. */
export interface ControlProps {
  id: string;
  'aria-invalid'?: 'true';
  'aria-describedby'?: string;
  'aria-required'?: 'true';
}

interface FieldProps {
  label: ComponentChildren;
  /** the message under the control; marks it invalid */
  error?: string | undefined;
  hint?: ComponentChildren;
  required?: boolean;
  /** a fixed id (so an error summary can link to the control) */
  id?: string;
  class?: string;
  children: (control: ControlProps) => JSX.Element;
}

/** A label, a control, a hint and an error message, wired together for assistive tech. */
export function Field({ label, error, hint, required, id, class: cls, children }: FieldProps) {
  const auto = useId();
  const cid = id ?? `f${auto}`;
  const described = [hint ? `${cid}-hint` : '', error ? `${cid}-error` : ''].filter(Boolean).join(' ');
  const control: ControlProps = { id: cid };
  if (error) control['aria-invalid'] = 'true';
  if (described) control['aria-describedby'] = described;
  if (required) control['aria-required'] = 'true';
  return (
    <div class={`field${error ? ' field--invalid' : ''}${cls ? ` ${cls}` : ''}`}>
      <label class="field__label" for={cid}>
        {label}
        {required ? <span class="field__required" aria-hidden="true"> *</span> : null}
      </label>
      {children(control)}
      {hint && !error ? <p class="field__hint" id={`${cid}-hint`}>{hint}</p> : null}
      {hint && error ? <p class="sr-only" id={`${cid}-hint`}>{hint}</p> : null}
      {error ? (
        <p class="field__error" id={`${cid}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
