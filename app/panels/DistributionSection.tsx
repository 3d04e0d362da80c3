/**
 * The inspected edge's gradient, or the inspected layer's weights, over the whole run: a heat
 * strip of nested quantile bands (app/charts/DistributionChart.tsx) with its legend and the latest
 * column in words. Test hooks: data-testid="distribution" (data-kind), "distribution-readout".
 */
import { DistributionChart } from '../charts/LazyDistributionChart';
import { formatMagnitude } from '../training/edgeColors';
import { useDistributions } from '../training/distributions';
import type { DistributionSeries } from '../../worker/protocol';

const COPY = {
  gradient: { title: 'Gradient distribution over training', what: "this edge's gradient values", empty: 'Train to see how the spread of the gradient through this edge changes.' },
  weights: { title: 'Weights over training', what: "this layer's weights", empty: 'Train to see how the spread of the weights changes.' },
} as const;

export function DistributionSection({ kind, id, color }: { kind: 'gradient' | 'weights'; id: string; color: string }) {
  const series = useDistributions((s) => (kind === 'gradient' ? (s.latest?.edgeId === id ? s.latest.gradient : undefined) : s.latest?.nodeId === id ? s.latest.weights : undefined));
  const copy = COPY[kind];
  const readout = series ? describeLatest(series) : null;
  return (
    <section aria-label={copy.title} data-testid="distribution" data-kind={kind} className="flex flex-col gap-1.5">
      <h4 className="text-[11px] font-semibold tracking-wider text-ink-faint uppercase">{copy.title}</h4>
      {series && series.steps.length > 1 && readout ? (
        <>
          <DistributionChart
            label={`Distribution of ${copy.what} at ${series.steps.length} steps from ${series.steps[0]!.toLocaleString('en-US')} to ${series.steps.at(-1)!.toLocaleString('en-US')}: bands from the whole range to the middle 10%, and the median`}
            series={series}
            color={color}
            height={110}
            xFormat={(v) => v.toLocaleString('en-US')}
            yFormat={formatMagnitude}
          />
          <ul className="flex flex-wrap items-center gap-x-3 gap-y-1 text-[11px] text-ink-faint" aria-label="Legend">
            <li className="flex items-center gap-1.5">
              <span aria-hidden="true" className="h-2.5 w-6 rounded-sm" style={{ background: `linear-gradient(to right, ${color}26, ${color}cc)` }} />
              share of values: whole range … middle 10%
            </li>
            <li className="flex items-center gap-1.5">
              <span aria-hidden="true" className="h-0.5 w-3 rounded-full" style={{ backgroundColor: color }} />
              median
            </li>
          </ul>
          <p data-testid="distribution-readout" className="text-[11px] leading-4 text-ink-muted">
            {readout}
          </p>
        </>
      ) : (
        <p className="rounded-md border border-dashed border-line px-3 py-4 text-center text-xs text-ink-faint">{copy.empty}</p>
      )}
    </section>
  );
}

/** The latest column in words: "Step 1,200: median 1.2e-4; the middle 90% from −3.1e-3 to 2.9e-3." */
export function describeLatest(s: DistributionSeries): string | null {
  const c = s.steps.length - 1;
  if (c < 0) return null;
  const q = (k: number) => s.quantiles[c * s.levels + k]!;
  const mid = (s.levels - 1) / 2;
  // The 5% and 95% quantiles: QUANTILE_LEVELS go in steps of 5%.
  return `Step ${s.steps[c]!.toLocaleString('en-US')}: median ${formatMagnitude(q(mid))}; the middle 90% from ${formatMagnitude(q(1))} to ${formatMagnitude(q(s.levels - 2))}.`;
}
