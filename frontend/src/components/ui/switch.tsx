import type { InputHTMLAttributes } from 'preact';

type SwitchProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'role' | 'class'> & {
  /** the state words shown next to the switch */
  onLabel?: string;
  offLabel?: string;
};

/**
 * An on/off switch: a native checkbox with role="switch" (Space toggles
 * it, a <label for> names it), drawn as a track and a knob.
 */
export function Switch({ onLabel = 'On', offLabel = 'Off', checked, ...rest }: SwitchProps) {
  return (
    <span class="switch">
      <input type="checkbox" role="switch" class="switch__input" checked={checked} {...(rest as Record<string, unknown>)} />
      <span class="switch__track" aria-hidden="true">
        <span class="switch__knob" />
      </span>
      <span class="switch__state" aria-hidden="true">
        {checked ? onLabel : offLabel}
      </span>
    </span>
  );
}
