import { useEffect } from 'react';
import { getLayer } from '../../engine/layers/registry';
import { deadUnits, formatDeadUnits, formatZeros } from '../training/deadUnits';
import { formatMagnitude } from '../training/edgeColors';
import { compiledOf } from '../state/compiled';
import { useGraph } from '../state/graph';
import { edgeStat, nodeStat, training, useTraining } from '../training/store';
import { HistogramChart } from './EdgeInspector';
import { DistributionSection } from './DistributionSection';
import { Stat } from '../ui/Stat';

/** The usual guide for the update-to-weight ratio per step (Karpathy's ~1e-3). */
export const UPDATE_RATIO_GUIDE = 1e-3;

/**
 * A layer while it trains: weight and gradient norms, the update-to-weight ratio of the last step
 * against the ~1e-3 guide, dead units and sparsity after an activation whose units can die (ReLU),
 * and a histogram of its weights.
 */
export function NodeTrainingStats({ nodeId }: { nodeId: string }) {
  const type = useGraph((s) => s.doc.nodes.find((n) => n.id === nodeId)?.type ?? '');
  const outEdge = useGraph((s) => compiledOf(s.doc).graph.nodes.get(nodeId)?.outputs[0]);
  const shape = useGraph((s) => compiledOf(s.doc).graph.nodes.get(nodeId)?.shape);
  // Facts from the layer's module: weights are whatever its parameter count counts (BatchNorm's scale and shift too).
  const hasWeights = useGraph((s) => (compiledOf(s.doc).graph.nodes.get(nodeId)?.paramCount ?? 0) > 0);
  const canDie = getLayer(type)?.activation?.canDie === true;
  useEffect(() => {
    if (!hasWeights) return;
    void training.watch(null, nodeId);
    return () => void training.watch(null, null);
  }, [nodeId, hasWeights]);

  const weightNorm = useTraining((s) => nodeStat(s, nodeId, 'weightNorm'));
  const gradNorm = useTraining((s) => nodeStat(s, nodeId, 'gradNorm'));
  const ratio = useTraining((s) => nodeStat(s, nodeId, 'updateRatio'));
  const deadFraction = useTraining((s) => (outEdge && canDie ? edgeStat(s, outEdge, 'deadFraction') : undefined));
  const zeros = useTraining((s) => (outEdge && canDie ? edgeStat(s, outEdge, 'zeroFraction') : undefined));
  const weights = useTraining((s) => (s.snapshot?.watched?.nodeId === nodeId ? s.snapshot.watched.weights : undefined));
  const running = useTraining((s) => s.snapshot !== null && s.snapshot.step > 0);

  const dead = deadUnits(deadFraction, shape);
  if (!running || (!hasWeights && dead === undefined)) return null;

  return (
    <section aria-label="While training" data-testid="node-training-stats" className="flex flex-col gap-2">
      <h4 className="text-[11px] font-semibold tracking-wider text-ink-faint uppercase">While training</h4>
      {hasWeights && (
        <dl className="grid grid-cols-3 gap-px overflow-hidden rounded-lg border border-line bg-line text-xs">
          <Stat label="Weight norm" value={fmt(weightNorm)} />
          <Stat label="Grad norm" value={fmt(gradNorm)} />
          <Stat label="Update / weight" value={fmt(ratio)} />
        </dl>
      )}
      {hasWeights && ratio !== undefined && Number.isFinite(ratio) && <RatioGauge ratio={ratio} />}
      {dead !== undefined && (
        <div data-testid="dead-units" className="flex flex-col gap-1 text-xs leading-5 text-ink-muted">
          <p>
            Dead units: <span className="font-mono text-ink tabular-nums">{formatDeadUnits(dead)}</span> (zero for every sample in the batch)
          </p>
          <p>
            Zeros: <span className="font-mono text-ink tabular-nums">{formatZeros(zeros)}</span> (sparsity: a ReLU zeroes every negative input, so about half is normal)
          </p>
          {dead.worrying && <p className="text-warn">A dead unit passes no gradient back, so nothing revives it. Try a lower learning rate, He init or Leaky ReLU.</p>}
        </div>
      )}
      {weights && <HistogramChart h={weights} label="Histogram of this layer's weights" color="#3ccf91" />}
      {hasWeights && <DistributionSection kind="weights" id={nodeId} color="#3ccf91" />}
    </section>
  );
}

/** The update-to-weight ratio on a log line from 1e-6 to 1, with the 1e-3 guide marked. */
function RatioGauge({ ratio }: { ratio: number }) {
  const pos = (v: number) => Math.min(100, Math.max(0, ((Math.log10(Math.max(v, 1e-12)) + 6) / 6) * 100));
  const verdict = ratio < 1e-4 ? 'low: this layer learns slowly (raise the learning rate?)' : ratio > 1e-2 ? 'high: updates are large (lower the learning rate?)' : 'near the ~1e-3 guide';
  return (
    <div className="flex flex-col gap-1">
      <div className="relative h-2 rounded-full bg-line" role="img" aria-label={`Update-to-weight ratio ${formatMagnitude(ratio)}, ${verdict}`}>
        <span className="absolute top-1/2 h-3.5 w-px -translate-y-1/2 bg-ok" style={{ left: `${pos(UPDATE_RATIO_GUIDE)}%` }} aria-hidden="true" />
        <span className="absolute top-1/2 size-2.5 -translate-x-1/2 -translate-y-1/2 rounded-full bg-accent ring-2 ring-panel" style={{ left: `${pos(ratio)}%` }} aria-hidden="true" />
      </div>
      <div className="flex justify-between font-mono text-[10px] text-ink-faint">
        <span>1e-6</span>
        <span className="text-ok">1e-3 guide</span>
        <span>1</span>
      </div>
      <p className="text-[11px] text-ink-faint">Update ratio {verdict}.</p>
    </div>
  );
}

function fmt(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? '—' : formatMagnitude(v);
}

