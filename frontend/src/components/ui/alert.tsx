import type { ComponentChildren } from 'preact';
import { IconAlert, IconCheckCircle, IconInfo } from './icons';

export type AlertTone = 'info' | 'success' | 'warning' | 'danger';

interface AlertProps {
  tone?: AlertTone;
  title?: string;
  children?: ComponentChildren;
  actions?: ComponentChildren;
  /** role="alert" (announced at once) instead of a polite status */
  assertive?: boolean;
  id?: string;
}

/** A message in the page: what happened, and what to do next. */
export function Alert({ tone = 'info', title, children, actions, assertive, id }: AlertProps) {
  const Icon = tone === 'success' ? IconCheckCircle : tone === 'info' ? IconInfo : IconAlert;
  return (
    <div class={`alert alert--${tone}`} role={assertive ? 'alert' : 'status'} id={id}>
      <Icon size={18} class="alert__icon" />
      <div class="alert__body">
        {title ? <p class="alert__title">{title}</p> : null}
        {children ? <div class="alert__text">{children}</div> : null}
        {actions ? <div class="alert__actions">{actions}</div> : null}
      </div>
    </div>
  );
}
