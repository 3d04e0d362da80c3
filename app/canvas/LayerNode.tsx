import { memo, useEffect, useRef, type CSSProperties } from 'react';
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { getLayer } from '../../engine/layers/registry';
import { describeShape } from '../../engine/layers/types';
import { nodesById } from '../graph/document';
import { visibleSlots } from '../graph/operations';
import { CategoryIcon } from '../palette/CategoryIcon';
import { categoryOf } from '../palette/categories';
import { paletteEntry } from '../palette/catalogue';
import { compiledOf } from '../state/compiled';
import { useGraph } from '../state/graph';
import { UnitMapStrip, useNodeUnitMaps } from './UnitMapStrip';

/**
 * A layer on the canvas: category color and icon, name with its key parameters ("Dense 64"),
 * output shape and parameter count, one labeled handle per input slot, and an error badge with
 * compile()'s message. Test hooks (DESIGN.md): data-testid="layer-node", data-layer-type, data-error.
 */
export const LayerNode = memo(function LayerNode({ id, selected }: NodeProps) {
  const node = useGraph((s) => nodesById(s.doc).get(id));
  const compiled = useGraph((s) => compiledOf(s.doc).graph.nodes.get(id));
  const issues = useGraph((s) => compiledOf(s.doc).errorsByNode.get(id));
  const slots = useGraph((s) => visibleSlots(s.doc, id));
  const hasOutput = node !== undefined && getLayer(node.type)?.role !== 'output';
  useRemeasureHandles(id, `${slots}:${hasOutput}`);
  const unitMaps = useNodeUnitMaps(node && getLayer(node.type)?.unitMaps ? id : null);
  if (!node) return null;

  const layer = getLayer(node.type);
  const entry = paletteEntry(node.type);
  const category = categoryOf(entry?.category ?? 'core');
  const errors = issues?.filter((i) => i.severity === 'error') ?? [];
  const warnings = issues?.filter((i) => i.severity === 'warning') ?? [];
  const errorText = errors.map((e) => (e.fix ? `${e.message} ${e.fix}` : e.message)).join('\n');
  const caption = compiled?.caption ?? '';
  const shapeText = compiled?.shape ? describeShape(compiled.shape) : '—';
  const paramsText = compiled && compiled.paramCount > 0 ? `${formatCount(compiled.paramCount)} params` : '';
  const title = node.label ?? layer?.label ?? node.type;
  const labels = layer?.inputs.labels;
  const style = { '--category-color': category.color } as CSSProperties;

  return (
    <div
      data-testid="layer-node"
      data-layer-type={node.type}
      {...(errors.length > 0 ? { 'data-error': errorText } : {})}
      style={style}
      className={[
        'group relative w-44 rounded-lg border bg-panel text-left shadow-lg shadow-black/30 transition-[border-color,box-shadow]',
        errors.length > 0 ? 'border-danger/80' : selected ? 'border-accent' : 'border-line-strong hover:border-ink-faint',
        selected ? 'ring-2 ring-accent/40' : '',
      ].join(' ')}
    >
      <div className="absolute inset-y-0 left-0 w-1 rounded-l-lg bg-(--category-color)" aria-hidden="true" />
      <div className="flex items-center gap-2 py-2 pr-2.5 pl-3">
        <span className="grid size-6 shrink-0 place-items-center rounded-md bg-(--category-color)/15 text-(--category-color)">
          <CategoryIcon category={category.id} className="size-3.5" />
        </span>
        <span className="min-w-0 flex-1 truncate text-[13px] leading-5 font-semibold text-ink" title={title}>
          {title}
          {caption && <span className="ml-1.5 font-normal text-ink-muted">{caption}</span>}
        </span>
        {errors.length > 0 ? (
          <span
            role="img"
            aria-label={`Error: ${errorText}`}
            title={errorText}
            className="grid size-5 shrink-0 place-items-center rounded-full bg-danger text-[11px] font-bold text-white"
          >
            !
          </span>
        ) : warnings.length > 0 ? (
          <span role="img" aria-label={`Warning: ${warnings[0]!.message}`} title={warnings.map((w) => w.message).join('\n')} className="grid size-5 shrink-0 place-items-center rounded-full bg-warn/90 text-[11px] font-bold text-canvas">
            !
          </span>
        ) : null}
      </div>
      {unitMaps ? (
        <UnitMapStrip maps={unitMaps} footer={`Output ${shapeText} per sample${paramsText ? `, ${paramsText}` : ''}`} />
      ) : (
        <div className="flex items-center justify-between border-t border-line px-3 py-1.5 font-mono text-[11px] text-ink-faint tabular-nums">
          <span title="Output shape per sample">{shapeText}</span>
          <span title="Trainable parameters">{paramsText}</span>
        </div>
      )}
      {errors.length > 0 && (
        <p className="border-t border-danger/40 bg-danger/10 px-3 py-1.5 text-[11px] leading-4 text-danger-ink">{errors[0]!.message}</p>
      )}
      {Array.from({ length: slots }, (_, slot) => (
        <Handle
          key={slot}
          id={`in-${slot}`}
          type="target"
          position={Position.Top}
          style={{ left: slots === 1 ? '50%' : `${((slot + 1) / (slots + 1)) * 100}%` }}
          className="!size-3 !border-2 !border-panel !bg-ink-faint hover:!bg-accent"
          aria-label={labels && slots > 1 ? `Input ${labels[slot]}` : 'Input'}
        >
          {labels && slots > 1 && (
            <span className="pointer-events-none absolute bottom-3 left-1/2 -translate-x-1/2 font-mono text-[10px] text-ink-faint">{labels[slot]}</span>
          )}
        </Handle>
      ))}
      {hasOutput && (
        <Handle id="out" type="source" position={Position.Bottom} className="!size-3 !border-2 !border-panel !bg-(--category-color)" aria-label="Output" />
      )}
    </div>
  );
});

/**
 * React Flow measures a node's handles when the node is first sized and keeps those bounds while
 * its size stays the same; an edge whose handle is missing from them is dropped without a trace
 * (a console warning only). Handles change without a size change when a merge layer shows another
 * slot, or when a new document reuses a node id for another layer type (opening a template: `n4`
 * was an Output, without an `out` handle, and is now a Conv2D). So re-measure whenever the set of
 * handles changes after the first render (the first is measured by React Flow itself).
 */
function useRemeasureHandles(id: string, layout: string): void {
  const updateNodeInternals = useUpdateNodeInternals();
  const measuredLayout = useRef(layout);
  useEffect(() => {
    if (measuredLayout.current === layout) return;
    measuredLayout.current = layout;
    updateNodeInternals(id);
  }, [id, layout, updateNodeInternals]);
}

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(n >= 1e5 ? 0 : 1)}k`;
  return n.toLocaleString('en-US');
}
