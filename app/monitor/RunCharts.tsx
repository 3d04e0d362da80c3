/** The two time charts of a run: the loss, and the task's metric (accuracy, or MAE for regression). */
import { useState } from 'react';
import type { RunHistory } from '../training/history';
import { formatLoss, formatMetric, lossSeries, metricSeries, type ChartMetric } from './series';
import { formatLearningRate } from '../panels/training/learningRateScale';
import { SERIES_COLORS, TimeChart, type ChartMarker, type ChartSeries } from './TimeChart';

const LOSS_SERIES = [
  { label: 'train', color: SERIES_COLORS.train, fill: true },
  { label: 'test', color: SERIES_COLORS.test, points: true },
] as const satisfies readonly [ChartSeries, ChartSeries];

const METRIC_SERIES = [
  { label: 'train', color: SERIES_COLORS.train, points: true },
  { label: 'test', color: SERIES_COLORS.test, points: true },
] as const satisfies readonly [ChartSeries, ChartSeries];

// Builders at module scope: the chart rebuilds only when one is swapped for another.
const buildLoss = (h: RunHistory) => lossSeries(h, false);
const buildLogLoss = (h: RunHistory) => lossSeries(h, true);
const buildAccuracy = (h: RunHistory) => metricSeries(h, 'accuracy');
const buildMae = (h: RunHistory) => metricSeries(h, 'mae');
const percentTick = (v: number) => `${Math.round(v * 100)}%`;
/** A learning-rate change mid-run leaves a mark where it took effect. */
const learningRateMarks = (h: RunHistory): ChartMarker[] =>
  h.settingChanges.flatMap((c) => (c.settings.learningRate !== undefined ? [{ step: c.step, label: `lr → ${formatLearningRate(c.settings.learningRate)}` }] : []));
const formatAccuracy = (v: number) => formatMetric('accuracy', v);
const formatMae = (v: number) => formatMetric('mae', v);

export function LossChart({ baseline }: { baseline?: { loss: number; label: string } | undefined }) {
  const [log, setLog] = useState(false);
  return (
    <TimeChart
      {...(baseline ? { guide: { value: baseline.loss, label: baseline.label } } : {})}
      title="Loss"
      label="Loss chart"
      series={LOSS_SERIES}
      build={log ? buildLogLoss : buildLoss}
      markers={learningRateMarks}
      y={log ? 'log' : 'zero'}
      format={formatLoss}
      emptyText="The loss appears after the first step."
      actions={
        <button
          type="button"
          aria-pressed={log}
          onClick={() => setLog((v) => !v)}
          className="h-6 shrink-0 rounded border border-line px-2 text-[11px] font-medium whitespace-nowrap text-ink-faint transition-colors hover:border-line-strong hover:text-ink-muted aria-pressed:border-accent/50 aria-pressed:bg-accent/15 aria-pressed:text-accent-hover"
        >
          Log scale
        </button>
      }
    />
  );
}

export function MetricChart({ metric }: { metric: ChartMetric }) {
  const accuracy = metric === 'accuracy';
  return (
    <TimeChart
      title={accuracy ? 'Accuracy' : 'Mean absolute error'}
      label={accuracy ? 'Accuracy chart' : 'Mean absolute error chart'}
      series={METRIC_SERIES}
      build={accuracy ? buildAccuracy : buildMae}
      y={accuracy ? 'unit' : 'zero'}
      format={accuracy ? formatAccuracy : formatMae}
      {...(accuracy ? { yTick: percentTick } : {})}
      emptyText="Train and test are evaluated after each epoch."
    />
  );
}
