import type { CSSProperties } from 'react';
import { getLayer } from '../../engine/layers/registry';
import { describeShape } from '../../engine/layers/types';
import { CategoryIcon } from '../palette/CategoryIcon';
import { categoryOf } from '../palette/categories';
import { paletteEntry } from '../palette/catalogue';
import { actionHint } from '../shortcuts/actions';
import { compiledOf } from '../state/compiled';
import { graphStore, useGraph } from '../state/graph';
import { Button } from '../ui/Button';
import { Stat } from '../ui/Stat';
import { PanelSection } from './PanelSection';
import { EdgeInspector } from './EdgeInspector';
import { NodeTrainingStats } from './NodeTrainingStats';
import { AttentionButton } from './AttentionView';
import { ConvFiltersSection } from './CnnView';
import { ParamField } from './ParamField';

/** The selected layer's parameters, shapes and problems; or what is selected, or nothing. */
export function InspectorPanel() {
  const selectedNodes = useGraph((s) => s.selection.nodes);
  const selectedEdges = useGraph((s) => s.selection.edges);
  const single = selectedNodes.size === 1 ? [...selectedNodes][0]! : null;
  const count = selectedNodes.size + selectedEdges.size;

  return (
    <PanelSection id="inspector" title="Inspector" className="min-h-0 flex-1">
      <div className="min-h-0 flex-1 overflow-y-auto">
        {single ? (
          <NodeInspector key={single} nodeId={single} />
        ) : selectedNodes.size === 0 && selectedEdges.size === 1 ? (
          <EdgeInspector key={[...selectedEdges][0]!} edgeId={[...selectedEdges][0]!} />
        ) : count > 0 ? (
          <MultiSelection nodes={selectedNodes.size} edges={selectedEdges.size} />
        ) : (
          <EmptyInspector />
        )}
      </div>
    </PanelSection>
  );
}

function NodeInspector({ nodeId }: { nodeId: string }) {
  const node = useGraph((s) => s.doc.nodes.find((n) => n.id === nodeId));
  const compiled = useGraph((s) => compiledOf(s.doc));
  if (!node) return null;
  const layer = getLayer(node.type);
  const info = compiled.graph.nodes.get(nodeId);
  const issues = compiled.errorsByNode.get(nodeId) ?? [];
  const category = categoryOf(paletteEntry(node.type)?.category ?? 'core');
  const inputShapes = (info?.inputs ?? []).map((edgeId) => compiled.graph.edges.get(edgeId)?.shape);
  const store = graphStore.getState();

  return (
    <div className="flex flex-col gap-4 px-4 pb-5" style={{ '--category-color': category.color } as CSSProperties}>
      <div className="flex items-start gap-3">
        <span className="grid size-9 shrink-0 place-items-center rounded-lg bg-(--category-color)/15 text-(--category-color) ring-1 ring-(--category-color)/25 ring-inset">
          <CategoryIcon category={category.id} className="size-4" />
        </span>
        <div className="min-w-0">
          <h3 className="truncate text-[15px] font-semibold text-ink">{layer?.label ?? node.type}</h3>
          <p className="text-xs leading-5 text-ink-faint">{layer?.description ?? 'Unknown layer type'}</p>
        </div>
      </div>

      <div className="flex flex-col gap-1">
        <label htmlFor="node-name" className="text-xs font-medium text-ink-muted">
          Name
        </label>
        <input
          id="node-name"
          key={node.label ?? ''}
          defaultValue={node.label ?? ''}
          placeholder={info?.name ?? node.id}
          onBlur={(e) => store.setLabel(nodeId, e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.currentTarget.blur();
          }}
          className="h-8 rounded-md border border-line bg-canvas px-2 text-[13px] text-ink placeholder:text-ink-faint hover:border-line-strong"
        />
      </div>

      <dl className="grid grid-cols-2 gap-px overflow-hidden rounded-lg border border-line bg-line text-xs">
        <Stat label="Output shape" value={info?.shape ? describeShape(info.shape) : '—'} />
        <Stat label="Parameters" value={info ? info.paramCount.toLocaleString('en-US') : '—'} />
        <Stat label={inputShapes.length > 1 ? 'Input shapes' : 'Input shape'} value={inputShapes.length === 0 ? (layer?.role === 'input' ? 'the dataset' : 'not connected') : inputShapes.map((s) => (s ? describeShape(s) : '?')).join(' · ')} wide />
      </dl>

      {issues.length > 0 && (
        <ul className="flex flex-col gap-2">
          {issues.map((issue, i) => (
            <li
              key={i}
              role={issue.severity === 'error' ? 'alert' : undefined}
              className={`rounded-md border px-3 py-2 text-xs leading-5 ${issue.severity === 'error' ? 'border-danger/40 bg-danger/10 text-danger-ink' : 'border-warn/40 bg-warn/10 text-warn'}`}
            >
              {issue.message}
              {issue.fix && <span className="mt-0.5 block text-ink-muted">{issue.fix}</span>}
            </li>
          ))}
        </ul>
      )}

      <NodeTrainingStats nodeId={nodeId} />
      {node.type === 'attention' && <AttentionButton nodeId={nodeId} name={info?.name ?? nodeId} />}
      {node.type === 'conv2d' && <ConvFiltersSection nodeId={nodeId} name={info?.name ?? nodeId} />}

      {layer && Object.keys(layer.params).length > 0 && (
        <section aria-label="Parameters" className="flex flex-col gap-3.5">
          <h4 className="text-[11px] font-semibold tracking-wider text-ink-faint uppercase">Parameters</h4>
          {Object.entries(layer.params).map(([name, spec]) => (
            <ParamField key={`${nodeId}:${name}`} name={name} spec={spec} value={node.params[name] ?? spec.default} onCommit={(v) => store.setParam(nodeId, name, v)} />
          ))}
        </section>
      )}

      <div className="flex gap-2 pt-1">
        <Button onClick={() => store.duplicate()} {...actionHint('duplicate')}>
          Duplicate
        </Button>
        <Button onClick={() => store.removeSelected()} {...actionHint('delete')}>
          Delete
        </Button>
      </div>
    </div>
  );
}

function MultiSelection({ nodes, edges }: { nodes: number; edges: number }) {
  const store = graphStore.getState();
  const parts = [nodes > 0 && `${nodes} layer${nodes === 1 ? '' : 's'}`, edges > 0 && `${edges} edge${edges === 1 ? '' : 's'}`].filter(Boolean).join(' and ');
  return (
    <div className="flex flex-col gap-3 px-4 pb-5">
      <p className="text-[13px] text-ink">{parts} selected</p>
      <div className="flex gap-2">
        {nodes > 0 && <Button onClick={() => store.duplicate()}>Duplicate</Button>}
        <Button onClick={() => store.removeSelected()}>Delete</Button>
      </div>
    </div>
  );
}


function EmptyInspector() {
  return (
    <div className="flex h-full flex-col items-center justify-center px-8 pb-10 text-center">
      <div className="grid size-10 place-items-center rounded-lg border border-line bg-raised text-ink-faint">
        <SelectIcon />
      </div>
      <p className="mt-4 text-[13px] font-medium text-ink-muted">Select a layer to see its parameters</p>
      <p className="mt-1 text-xs leading-5 text-ink-faint">Its shapes, settings and gradient statistics will show up here.</p>
    </div>
  );
}

function SelectIcon() {
  return (
    <svg viewBox="0 0 16 16" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" aria-hidden="true">
      <path d="M3 2.5 12.5 7 8.3 8.3 7 12.5Z" />
      <path d="m8.5 8.5 4 4" strokeLinecap="round" />
    </svg>
  );
}
