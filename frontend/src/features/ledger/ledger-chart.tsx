import { useMemo, useState } from 'preact/hooks';
import type { LedgerSummary } from '../../api/types';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Skeleton } from '../../components/ui/spinner';
import { StepChart } from '../../components/ui/step-chart';
import { formatDay } from '../../lib/days';
import { describeError } from '../../lib/errors';
import { formatAxisMoney, formatCurrency } from '../../lib/money';
import { balanceSeries, chartSummary } from './ledger-series';

interface LedgerChartProps {
  summary: LedgerSummary | undefined;
  error: unknown;
  /** a newer summary is being loaded (the one shown stays until then) */
  loading: boolean;
  currency: string;
  onRetry: () => void;
}

const HEIGHT = 220;

/**
 * The balance (and paid to date) over the range, as a figure whose
 * caption says in words what the chart shows. The figure carries the
 * plotted days and the last balance as data attributes for tests.
 */
export function LedgerChart({ summary, error, loading, currency, onRetry }: LedgerChartProps) {
  const today = new Date().toISOString().slice(0, 10);
  const series = useMemo(() => (summary ? balanceSeries(summary, today) : null), [summary, today]);
  const [hover, setHover] = useState<number | null>(null);
  const money = (v: string) => formatCurrency(v, currency);
  const points = series?.points ?? [];
  const shown = points[hover ?? points.length - 1];

  return (
    <figure
      class="card ledger-chart"
      aria-labelledby="ledger-chart-title"
      aria-describedby={summary ? 'ledger-chart-caption' : undefined}
      aria-busy={loading ? 'true' : 'false'}
      data-points={series ? points.length : undefined}
      data-last-balance={points.length > 0 ? points[points.length - 1]!.balance : undefined}
    >
      <div class="ledger-chart__head">
        <h2 class="card__title ledger-chart__title" id="ledger-chart-title">
          Balance over time
        </h2>
        <ul class="chart-key" aria-hidden="true">
          <li class="chart-key__item chart-key__item--balance">Balance</li>
          <li class="chart-key__item chart-key__item--paid">Paid to date</li>
        </ul>
      </div>
      {error && !summary ? (
        <Alert tone="danger" title="The chart could not be loaded" actions={<Button size="sm" onClick={onRetry}>Try again</Button>}>
          {describeError(error).title}.
        </Alert>
      ) : !series ? (
        <Skeleton height={HEIGHT} />
      ) : points.length === 0 ? (
        <p class="ledger-chart__empty muted">The chart starts with the first entry.</p>
      ) : (
        <>
          <p class="ledger-chart__readout" aria-hidden="true">
            {shown ? (
              <>
                <span>{shown.before && points[1] ? `Before ${formatDay(points[1].day)}` : formatDay(shown.day)}</span>
                <span>
                  Balance <strong class="num">{money(shown.balance)}</strong>
                </span>
                <span>
                  Paid to date <strong class="num">{money(shown.paid)}</strong>
                </span>
              </>
            ) : null}
          </p>
          <StepChart
            xs={series.xs}
            lines={[
              { label: 'Balance', values: series.balance, stroke: '--c-accent', fill: '--chart-fill' },
              { label: 'Paid to date', values: series.paid, stroke: '--c-success' },
            ]}
            height={HEIGHT}
            formatY={(v) => formatAxisMoney(v, currency)}
            onHover={setHover}
          />
        </>
      )}
      {summary && series ? (
        <figcaption class="ledger-chart__caption" id="ledger-chart-caption">
          {chartSummary(summary, series, money, (d) => formatDay(d))}
        </figcaption>
      ) : null}
    </figure>
  );
}
