import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { describeShape } from '../../engine/layers/types';
import { compiledOf } from '../state/compiled';
import { useGraph } from '../state/graph';
import { useUi } from '../state/ui';
import { edgeGradRms, useTraining } from '../training/store';

/**
 * An edge of the graph: the tensor it carries (shape label, toggleable), compile errors about
 * it, and the gradient flowing back along it. It subscribes to its own numbers in the training
 * store, so a snapshot re-renders edges, not nodes. Test hook (DESIGN.md): the visible path has
 * data-testid="gradient-edge" and, once a snapshot arrived, data-grad-rms.
 */
export const GradientEdge = memo(function GradientEdge(props: EdgeProps) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected } = props;
  const shape = useGraph((s) => compiledOf(s.doc).graph.edges.get(id)?.shape);
  const issue = useGraph((s) => compiledOf(s.doc).errorsByEdge.get(id)?.find((i) => i.severity === 'error'));
  const showShape = useUi((s) => s.showEdgeShapes);
  const rms = useTraining((s) => edgeGradRms(s, id));
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });

  const hasData = rms !== undefined;
  const nonFinite = hasData && !Number.isFinite(rms);
  const stroke = issue ? 'var(--color-danger)' : nonFinite ? 'var(--color-danger)' : selected ? 'var(--color-accent)' : 'var(--color-edge-idle)';

  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        interactionWidth={18}
        className="gradient-edge-path"
        style={{ stroke, strokeWidth: 2.25, ...(nonFinite || issue ? { strokeDasharray: '6 4' } : {}) }}
        data-testid="gradient-edge"
        data-edge-id={id}
        {...(hasData ? { 'data-grad-rms': String(rms) } : {})}
        {...(issue ? { 'data-error': issue.message } : {})}
      />
      {(showShape || issue) && (shape || issue) && (
        <EdgeLabelRenderer>
          <div
            className={[
              'nodrag nopan pointer-events-auto absolute rounded px-1.5 py-px font-mono text-[10px] leading-4 tabular-nums',
              issue ? 'border border-danger/60 bg-canvas text-danger-ink' : 'border border-line bg-canvas/90 text-ink-muted',
            ].join(' ')}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={issue ? issue.message : 'Shape of the tensor this edge carries, per sample'}
          >
            {issue ? '!' : describeShape(shape!)}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
