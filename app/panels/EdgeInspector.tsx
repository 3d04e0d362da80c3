import { useEffect, useMemo } from 'react';
import { getLayer } from '../../engine/layers/registry';
import { describeShape } from '../../engine/layers/types';
import type { Histogram } from '../../engine/train/histogram';
import { MiniChart } from '../charts/LazyMiniChart';
import { compiledOf } from '../state/compiled';
import { graphStore, useGraph } from '../state/graph';
import { deadUnits, formatDeadUnits, formatZeros } from '../training/deadUnits';
import { edgeColor, formatMagnitude, formatRatio, gradientHealth, gradientRatio } from '../training/edgeColors';
import { gradientPath, healthAdvice } from '../training/gradientAdvice';
import { useEdgeView } from '../training/edgeView';
import { edgeStat, training, useTraining } from '../training/store';
import { Button } from '../ui/Button';
import { Stat } from '../ui/Stat';
import { DistributionSection } from './DistributionSection';
import { TimeGradient } from './TimeGradient';

/**
 * What flows along one edge: where it goes, the tensor's shape, its gradient RMS over the run (log
 * axis), a histogram of the latest gradient values, and the statistics of the values it carries.
 * Test hook (DESIGN.md): data-testid="edge-inspector".
 */
export function EdgeInspector({ edgeId }: { edgeId: string }) {
  const compiled = useGraph((s) => compiledOf(s.doc));
  const edge = compiled.graph.edges.get(edgeId);
  const sourceType = useGraph((s) => s.doc.nodes.find((n) => n.id === edge?.source)?.type);
  const settings = useGraph((s) => s.doc.training);
  useEffect(() => {
    void training.watch(edgeId, null);
    return () => void training.watch(null, null);
  }, [edgeId]);

  const rms = useTraining((s) => edgeStat(s, edgeId, 'gradRms'));
  const meanAbs = useTraining((s) => edgeStat(s, edgeId, 'gradMeanAbs'));
  const actMean = useTraining((s) => edgeStat(s, edgeId, 'actMean'));
  const actStd = useTraining((s) => edgeStat(s, edgeId, 'actStd'));
  const zeros = useTraining((s) => edgeStat(s, edgeId, 'zeroFraction'));
  const deadFraction = useTraining((s) => edgeStat(s, edgeId, 'deadFraction'));
  const reference = useEdgeView((s) => s.reference);
  const range = useEdgeView((s) => s.range);
  const version = useTraining((s) => s.historyVersion);
  const history = useTraining((s) => s.history);
  const watchedGradient = useTraining((s) => (s.snapshot?.watched?.edgeId === edgeId ? s.snapshot.watched.gradient : undefined));
  const timeSteps = useTraining((s) => {
    const i = s.info?.edgeIds.indexOf(edgeId) ?? -1;
    return i >= 0 ? (s.info!.edgeTimeSteps[i] ?? 0) : 0;
  });
  const watchedValues = useTraining((s) => (s.snapshot?.watched?.edgeId === edgeId ? s.snapshot.watched.activation : undefined));

  const series = useMemo<[number[], (number | null)[]]>(() => {
    const ys = history.edgeRms.get(edgeId) ?? [];
    return [history.steps.slice(), ys.map((v) => (Number.isFinite(v) && v > 0 ? v : null))];
    // `version` marks that the mutable history grew.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [history, edgeId, version]);

  if (!edge) return null;
  const source = compiled.graph.nodes.get(edge.source);
  const target = compiled.graph.nodes.get(edge.target);
  const issues = compiled.errorsByEdge.get(edgeId) ?? [];
  // The gradient on an edge out of Input reaches no weights (the data do not learn): it gets no health flag.
  const reading = getLayer(sourceType ?? '')?.role === 'input' ? null : gradientHealth(rms, reference);
  const ratio = gradientRatio(rms, reference);
  const hasData = rms !== undefined;
  const dead = deadUnits(deadFraction, edge.shape);

  return (
    <div data-testid="edge-inspector" className="flex flex-col gap-4 px-4 pb-5">
      <div>
        <p className="text-[11px] font-semibold tracking-wider text-ink-faint uppercase">Edge</p>
        <h3 className="mt-0.5 text-[15px] font-semibold text-ink">
          {source?.name ?? edge.source} <span className="text-ink-faint">→</span> {target?.name ?? edge.target}
          {target && target.inputs.length > 1 && <span className="ml-1 text-[13px] font-normal text-ink-faint">(input {edge.targetSlot + 1})</span>}
        </h3>
      </div>

      <dl className="grid grid-cols-2 gap-px overflow-hidden rounded-lg border border-line bg-line text-xs">
        <Stat label="Tensor shape" value={edge.shape ? describeShape(edge.shape) : '—'} />
        <Stat label="Gradient RMS" value={hasData ? formatMagnitude(rms) : '—'} swatch={hasData ? edgeColor(rms, 'gradRms', range) : undefined} testId="edge-grad-rms" />
        <Stat label="Mean |gradient|" value={meanAbs !== undefined ? formatMagnitude(meanAbs) : '—'} />
        <Stat label="vs loss side" value={ratio !== undefined ? formatRatio(ratio) : '—'} />
      </dl>

      {reading && (
        <p role="note" data-testid="edge-health-advice" className={`rounded-md border px-3 py-2 text-xs leading-5 ${reading.health === 'vanishing' ? 'border-sky-400/40 bg-sky-400/10 text-sky-200' : 'border-danger/40 bg-danger/10 text-danger-ink'}`}>
          {healthAdvice(reading, gradientPath(compiled.graph, edgeId, settings))}
        </p>
      )}
      {issues.map((issue, i) => (
        <p key={i} role="alert" className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-xs leading-5 text-danger-ink">
          {issue.message}
        </p>
      ))}

      <section aria-label="Gradient over time" className="flex flex-col gap-1.5">
        <h4 className="text-[11px] font-semibold tracking-wider text-ink-faint uppercase">Gradient RMS over training (log)</h4>
        {series[0].length > 1 ? (
          <MiniChart label="Gradient RMS of this edge over training steps, log scale" data={series} kind="line" color="#b12a90" logY yFormat={formatMagnitude} />
        ) : (
          <Empty text="Train to see how the gradient through this edge changes." />
        )}
      </section>

      {timeSteps > 0 && <TimeGradient edgeId={edgeId} steps={timeSteps} />}

      <section aria-label="Latest gradient values" className="flex flex-col gap-1.5">
        <h4 className="text-[11px] font-semibold tracking-wider text-ink-faint uppercase">Latest gradient values</h4>
        {watchedGradient ? <HistogramChart h={watchedGradient} label="Histogram of this edge's gradient values in the latest batch" color="#e16462" /> : <Empty text="A histogram of dL/dx over the last batch appears here." />}
      </section>

      <DistributionSection kind="gradient" id={edgeId} color="#e16462" />

      <section aria-label="Values carried" className="flex flex-col gap-1.5">
        <h4 className="text-[11px] font-semibold tracking-wider text-ink-faint uppercase">Values carried forward</h4>
        <dl className="grid grid-cols-2 gap-px overflow-hidden rounded-lg border border-line bg-line text-xs">
          <Stat label="Mean" value={actMean !== undefined ? formatMagnitude(actMean) : '—'} />
          <Stat label="Std" value={actStd !== undefined ? formatMagnitude(actStd) : '—'} />
          <Stat label="Zeros (sparsity)" value={formatZeros(zeros)} testId="edge-zeros" />
          <Stat label="Dead units (zero for every sample)" value={dead ? formatDeadUnits(dead) : '—'} testId="edge-dead-units" />
        </dl>
        {watchedValues && <HistogramChart h={watchedValues} label="Histogram of the values this edge carries" color="#6c72f4" />}
      </section>

      <div>
        <Button onClick={() => graphStore.getState().removeSelected()}>Delete edge</Button>
      </div>
    </div>
  );
}

export function HistogramChart({ h, label, color }: { h: Histogram; label: string; color: string }) {
  const data = useMemo<[number[], number[]]>(() => {
    const width = (h.max - h.min) / h.counts.length || 1;
    return [h.counts.map((_, i) => h.min + (i + 0.5) * width), h.counts.slice()];
  }, [h]);
  return <MiniChart label={label} data={data} kind="bars" color={color} height={100} xFormat={formatMagnitude} />;
}


function Empty({ text }: { text: string }) {
  return <p className="rounded-md border border-dashed border-line px-3 py-4 text-center text-xs text-ink-faint">{text}</p>;
}
