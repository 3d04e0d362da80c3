import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { getLayer } from '../../engine/layers/registry';
import { describeShape } from '../../engine/layers/types';
import { nodesById } from '../graph/document';
import { compiledOf } from '../state/compiled';
import { useGraph } from '../state/graph';
import { useUi } from '../state/ui';
import { EDGE_METRICS, edgeColor, edgeWidth, formatMagnitude, gradientHealth, isAlarm } from '../training/edgeColors';
import { gradientPath, healthAdvice } from '../training/gradientAdvice';
import { useEdgeView } from '../training/edgeView';
import { useBackpropWave, waveState } from '../training/backpropWave';

/** An edge the backward pass has not reached yet. */
const WAVE_DARK = '#3a3d47';
import { edgeStat, useTraining } from '../training/store';

/**
 * An edge of the graph: the tensor it carries (shape label, toggleable), compile errors about it,
 * and — while training — the gradient flowing back along it, as color (log scale) and width, with
 * a flag when it vanishes or explodes relative to the loss side. It subscribes to its own numbers
 * in the training store, so a snapshot re-renders edges, not nodes.
 * Test hook (DESIGN.md): the visible path has data-testid="gradient-edge" and, once a snapshot
 * arrived, data-grad-rms.
 */
export const GradientEdge = memo(function GradientEdge(props: EdgeProps) {
  const { id, source, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected } = props;
  const shape = useGraph((s) => compiledOf(s.doc).graph.edges.get(id)?.shape);
  const issue = useGraph((s) => compiledOf(s.doc).errorsByEdge.get(id)?.find((i) => i.severity === 'error'));
  const showShape = useUi((s) => s.showEdgeShapes);
  // The gradient on an edge out of Input reaches no weights (the data do not learn): it gets no health flag.
  const fromInput = useGraph((s) => getLayer(nodesById(s.doc).get(source)?.type ?? '')?.role === 'input');
  const graph = useGraph((s) => compiledOf(s.doc).graph);
  const settings = useGraph((s) => s.doc.training);
  const metric = useEdgeView((s) => s.metric);
  const range = useEdgeView((s) => s.range);
  const reference = useEdgeView((s) => s.reference);
  const rms = useTraining((s) => edgeStat(s, id, 'gradRms'));
  const value = useTraining((s) => edgeStat(s, id, EDGE_METRICS[metric].stat));
  const diverged = useTraining((s) => s.snapshot?.divergence !== undefined);
  const wave = useBackpropWave((s) => waveState(s.wave, id));
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });

  const alarm = isAlarm(rms, diverged) || isAlarm(value, diverged);
  const reading = alarm || fromInput ? null : gradientHealth(rms, reference);
  const health = reading?.health;
  const color = issue || alarm ? 'var(--color-danger)' : edgeColor(value, metric, range, diverged);
  // In a backward pass played by "Step slowly": dark until the gradient reaches the edge, lit as it arrives.
  const dark = wave === 'waiting' || wave === 'outside';
  const stroke = dark ? WAVE_DARK : color;
  const width = (dark ? 1.5 : edgeWidth(value, metric, range)) + (selected ? 1.25 : 0) + (wave === 'arriving' ? 2 : 0);
  const glow = wave === 'arriving' ? `drop-shadow(0 0 6px ${color})` : selected ? 'drop-shadow(0 0 3px rgb(108 114 244 / 0.9))' : undefined;
  const waveLabel = (wave === 'arriving' || wave === 'arrived') && rms !== undefined;
  // Only a flagged edge walks the graph for its advice (a few dozen nodes at most).
  const advice = reading ? healthAdvice(reading, gradientPath(graph, id, settings)) : null;
  const showLabel = (showShape && shape) || issue || (health && !wave) || alarm || waveLabel;

  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        interactionWidth={18}
        className="gradient-edge-path"
        style={{
          stroke,
          strokeWidth: width,
          ...(alarm || issue ? { strokeDasharray: '6 4' } : {}),
          ...(glow ? { filter: glow } : {}),
          ...(dark ? { opacity: 0.55 } : {}),
        }}
        data-testid="gradient-edge"
        data-edge-id={id}
        {...(rms !== undefined ? { 'data-grad-rms': String(rms) } : {})}
        {...(health ? { 'data-health': health } : {})}
        {...(issue ? { 'data-error': issue.message } : {})}
        {...(wave ? { 'data-wave': wave } : {})}
      />
      {showLabel && (
        <EdgeLabelRenderer>
          <div
            className="nodrag nopan pointer-events-auto absolute flex items-center gap-1"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {issue ? (
              <span title={issue.message} className="rounded border border-danger/60 bg-canvas px-1.5 py-px font-mono text-[10px] leading-4 text-danger-ink">
                !
              </span>
            ) : (
              showShape &&
              shape && (
                <span title="Shape of the tensor this edge carries, per sample" className="rounded border border-line bg-canvas/90 px-1.5 py-px font-mono text-[10px] leading-4 text-ink-muted tabular-nums">
                  {describeShape(shape)}
                </span>
              )
            )}
            {alarm && (
              <span role="img" aria-label="Non-finite gradient" title="The gradient here is not a finite number: training diverged. Lower the learning rate, then press Train to start over." className="rounded bg-danger px-1 font-mono text-[10px] leading-4 font-bold text-white">
                NaN
              </span>
            )}
            {waveLabel && (
              <span
                data-testid="wave-gradient"
                title="Gradient RMS that reached this edge in the backward pass"
                aria-label={`Gradient RMS ${formatMagnitude(rms)} reached this edge`}
                role="img"
                className={`rounded px-1 font-mono text-[10px] leading-4 font-semibold tabular-nums ${wave === 'arriving' ? 'bg-accent text-white' : 'border border-line bg-canvas/90 text-ink'}`}
              >
                ∇ {formatMagnitude(rms)}
              </span>
            )}
            {health && advice && !wave && (
              <span
                role="img"
                aria-label={advice}
                title={advice}
                data-testid="edge-health"
                data-health={health}
                className={`cursor-help rounded px-1 text-[10px] leading-4 font-semibold ${health === 'vanishing' ? 'bg-sky-400/90 text-canvas' : 'bg-danger text-white'}`}
              >
                {health === 'vanishing' ? '▼ vanishing' : '▲ exploding'}
              </span>
            )}
          </div>
        </EdgeLabelRenderer>
      )}
      {rms !== undefined && selected && (
        <EdgeLabelRenderer>
          <div className="pointer-events-none absolute font-mono text-[10px] text-ink" style={{ transform: `translate(8px, -50%) translate(${labelX}px, ${labelY + 14}px)` }}>
            {formatMagnitude(rms)}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
