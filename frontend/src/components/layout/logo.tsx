/** The clientd mark and name. */
export function Logo({ inverse, compact }: { inverse?: boolean; compact?: boolean }) {
  return (
    <span class={`logo${inverse ? ' logo--inverse' : ''}`}>
      <svg class="logo__mark" width="28" height="28" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="#4f46e5" />
        <path d="M21.5 11.2a7 7 0 1 0 0 9.6" fill="none" stroke="#fff" stroke-width="3.2" stroke-linecap="round" />
      </svg>
      {compact ? <span class="sr-only">clientd</span> : <span class="logo__name">clientd</span>}
    </span>
  );
}
