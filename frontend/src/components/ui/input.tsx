import type { ComponentChildren, Ref, InputHTMLAttributes, TextareaHTMLAttributes, SelectHTMLAttributes } from 'preact';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'ref' | 'role' | 'type'> & {
  type?: 'text' | 'email' | 'tel' | 'url' | 'search' | 'password' | 'number' | 'date';
  inputRef?: Ref<HTMLInputElement>;
  /** an icon inside the box, on the left */
  leading?: ComponentChildren;
  /** something inside the box, on the right (a clear button) */
  trailing?: ComponentChildren;
};

export function TextInput({ inputRef, leading, trailing, class: cls, ...rest }: InputProps) {
  const input = <input ref={inputRef} class={`input${typeof cls === 'string' && cls ? ` ${cls}` : ''}`} {...(rest as InputHTMLAttributes<HTMLInputElement>)} />;
  if (!leading && !trailing) return input;
  return (
    <div class={`input-wrap${leading ? ' input-wrap--leading' : ''}${trailing ? ' input-wrap--trailing' : ''}`}>
      {leading ? <span class="input-wrap__leading" aria-hidden="true">{leading}</span> : null}
      {input}
      {trailing ? <span class="input-wrap__trailing">{trailing}</span> : null}
    </div>
  );
}

type TextareaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'ref'> & {
  inputRef?: Ref<HTMLTextAreaElement>;
};

export function Textarea({ inputRef, class: cls, ...rest }: TextareaProps) {
  return <textarea ref={inputRef} class={`input input--textarea${typeof cls === 'string' && cls ? ` ${cls}` : ''}`} {...rest} />;
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'ref' | 'role'> & {
  inputRef?: Ref<HTMLSelectElement>;
  children: ComponentChildren;
};

export function Select({ inputRef, class: cls, children, ...rest }: SelectProps) {
  return (
    <select ref={inputRef} class={`input input--select${typeof cls === 'string' && cls ? ` ${cls}` : ''}`} {...(rest as SelectHTMLAttributes<HTMLSelectElement>)}>
      {children}
    </select>
  );
}
