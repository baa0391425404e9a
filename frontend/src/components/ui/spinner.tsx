interface SpinnerProps {
  size?: number;
  /** read by screen readers; leave out when a label is next to it */
  label?: string;
}

export function Spinner({ size = 16, label }: SpinnerProps) {
  return (
    <span class="spinner" style={{ width: `${size}px`, height: `${size}px` }} role={label ? 'status' : undefined} aria-hidden={label ? undefined : 'true'}>
      {label ? <span class="sr-only">{label}</span> : null}
    </span>
  );
}

/** The centred spinner of a page or panel that is loading. */
export function LoadingBlock({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="loading-block" role="status">
      <Spinner size={22} />
      <span>{label}</span>
    </div>
  );
}

/** A thin indeterminate bar at the top of a region that is refreshing. */
export function ProgressBar({ active, label = 'Loading' }: { active: boolean; label?: string }) {
  return (
    <div class={active ? 'progress-bar progress-bar--active' : 'progress-bar'} role="progressbar" aria-label={label} aria-hidden={active ? undefined : 'true'} aria-busy={active ? 'true' : 'false'}>
      <span class="progress-bar__fill" />
    </div>
  );
}

/** A grey placeholder shape while content loads. */
export function Skeleton({ width, height = 12 }: { width?: string; height?: number }) {
  return <span class="skeleton" style={{ width: width ?? '100%', height: `${height}px` }} aria-hidden="true" />;
}
