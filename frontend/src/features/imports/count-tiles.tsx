// The numbers of a dry run's report or a run's result, as tiles.
import type { ImportCounts } from '../../api/types';
import { countItems } from './import-model';

export function CountTiles({ counts, dryRun }: { counts: ImportCounts; dryRun: boolean }) {
  return (
    <dl class="import-counts" data-testid={dryRun ? 'dry-run-counts' : 'result-counts'}>
      <div class="import-count">
        <dt>rows</dt>
        <dd class="tabular">{(counts.rows ?? 0).toLocaleString('en-US')}</dd>
      </div>
      {countItems(counts, dryRun).map((c) => (
        <div key={c.key} class={`import-count import-count--${c.tone}`} data-count={c.key}>
          <dt>{c.label}</dt>
          <dd class="tabular">{c.value.toLocaleString('en-US')}</dd>
        </div>
      ))}
    </dl>
  );
}
