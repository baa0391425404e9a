import type { ComponentChildren, ButtonHTMLAttributes, AnchorHTMLAttributes } from 'preact';
import { Spinner } from './spinner';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger' | 'danger-ghost';

interface Common {
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  /** an icon before the label */
  icon?: ComponentChildren;
  /** only an icon: give `label` for screen readers */
  iconOnly?: boolean;
  block?: boolean;
}

function classes(c: Common, extra?: unknown): string {
  const list = ['btn', `btn--${c.variant ?? 'secondary'}`];
  if (c.size === 'sm') list.push('btn--sm');
  if (c.iconOnly) list.push('btn--icon');
  if (c.block) list.push('btn--block');
  if (typeof extra === 'string' && extra) list.push(extra);
  return list.join(' ');
}

type ButtonProps = Common &
  Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'icon' | 'size'> & {
    /** shows a spinner, disables the button and says "busy" to assistive tech */
    loading?: boolean;
  };

export function Button({ variant, size, icon, iconOnly, block, loading, children, class: cls, disabled, type, ...rest }: ButtonProps) {
  return (
    <button
      type={type ?? 'button'}
      class={classes({ variant, size, iconOnly, block }, cls)}
      disabled={disabled || loading}
      aria-busy={loading ? 'true' : undefined}
      {...rest}
    >
      {loading ? <Spinner size={14} /> : icon}
      {children !== undefined && children !== null ? <span class="btn__label">{children}</span> : null}
    </button>
  );
}

type LinkProps = Common & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'icon' | 'size' | 'role' | 'href'> & { href: string };

/** A link that looks like a button (navigation, not an action). */
export function ButtonLink({ variant, size, icon, iconOnly, block, children, class: cls, ...rest }: LinkProps) {
  return (
    <a class={classes({ variant, size, iconOnly, block }, cls)} {...(rest as AnchorHTMLAttributes<HTMLAnchorElement>)}>
      {icon}
      {children !== undefined && children !== null ? <span class="btn__label">{children}</span> : null}
    </a>
  );
}
