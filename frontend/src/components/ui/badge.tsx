import type { ComponentChildren } from 'preact';

export type BadgeTone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger' | 'info';

export function Badge({ tone = 'neutral', children, dot }: { tone?: BadgeTone; children: ComponentChildren; dot?: boolean }) {
  return (
    <span class={`badge badge--${tone}`}>
      {dot ? <span class="badge__dot" aria-hidden="true" /> : null}
      {children}
    </span>
  );
}
