import type { ComponentChildren } from 'preact';

interface EmptyStateProps {
  icon?: ComponentChildren;
  title: string;
  children?: ComponentChildren;
  /** the next step: usually one button */
  action?: ComponentChildren;
  compact?: boolean;
}

export function EmptyState({ icon, title, children, action, compact }: EmptyStateProps) {
  return (
    <div class={compact ? 'empty empty--compact' : 'empty'}>
      {icon ? <div class="empty__icon" aria-hidden="true">{icon}</div> : null}
      <h2 class="empty__title">{title}</h2>
      {children ? <div class="empty__text">{children}</div> : null}
      {action ? <div class="empty__action">{action}</div> : null}
    </div>
  );
}
