// A determinate progress bar with its numbers under it: rows done of the
// total, the rate and the time left (import-model.ts words them).
import type { ImportProgress } from '../../api/types';
import { percentDone, progressText } from './import-model';

export function ProgressMeter({ label, progress }: { label: string; progress: ImportProgress | null }) {
  const pct = percentDone(progress);
  return (
    <div class="import-progress">
      <div class="import-progress__head">
        <span class="import-progress__label">{label}</span>
        <span class="import-progress__pct tabular" data-testid="import-percent">
          {pct === null ? '' : `${pct}%`}
        </span>
      </div>
      <div
        class={pct === null ? 'import-progress__track import-progress__track--waiting' : 'import-progress__track'}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-valuetext={progressText(progress)}
      >
        <span class="import-progress__fill" style={{ width: `${pct ?? 0}%` }} />
      </div>
      <p class="import-progress__text" aria-live="polite" data-testid="import-progress-text">
        {progressText(progress)}
      </p>
    </div>
  );
}
