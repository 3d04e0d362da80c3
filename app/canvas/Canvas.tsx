import { useCallback, useMemo, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  ConnectionLineType,
  ReactFlow,
  useReactFlow,
  type Connection as FlowConnection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type Node,
  type NodeChange,
} from '@xyflow/react';
import type { Connection } from '../graph/operations';
import { useUnitMapsSync } from './UnitMapStrip';
import { nodesById, type Position } from '../graph/document';
import { NODE_SIZE } from '../graph/placement';
import { categoryOf } from '../palette/categories';
import { paletteEntry } from '../palette/catalogue';
import { graphStore, useGraph } from '../state/graph';
import { EmptyCanvasHint } from './EmptyCanvasHint';
import { GradientEdge } from './GradientEdge';
import { LayerNode } from './LayerNode';
import { AddLayerSearch, type AddLayerRequest } from './AddLayerSearch';
import { edgeAtPoint, LAYER_DRAG_TYPE, measuredSizes } from './dnd';
import { NoticeToast } from '../layout/Notice';
import { openFile } from '../persistence/documents';
import { CanvasChrome } from '../layout/CanvasChrome';
import { FIT_VIEW_OPTIONS } from '../layout/framing';


const NODE_TYPES = { layer: LayerNode };
const EDGE_TYPES = { gradient: GradientEdge };

type Size = { width: number; height: number };

/** Flow nodes by document node (both immutable): an unchanged layer keeps its flow node object. */
const FLOW_NODES = new WeakMap<object, Node>();
const EMPTY_DATA = {};
/** An edge a dragged layer would be dropped into: drawn thick, in the accent color (over its gradient color). */
const DROP_TARGET_EDGE = 'drop-target [&_.gradient-edge-path]:!stroke-accent [&_.gradient-edge-path]:![stroke-width:4px]';

function toConnection(c: FlowConnection | Edge): Connection | null {
  if (!c.source || !c.target) return null;
  const slot = /^in-(\d+)$/.exec(c.targetHandle ?? 'in-0');
  return { source: c.source, target: c.target, targetSlot: slot ? Number(slot[1]) : 0 };
}

/**
 * The model canvas. React Flow is controlled by the graph store: nodes and edges are derived
 * from the document, and every change goes back through the store (one undo step per user
 * action; a drag is one step). Only what React Flow measures lives here.
 */
export function Canvas() {
  useUnitMapsSync();
  const doc = useGraph((s) => s.doc);
  const selection = useGraph((s) => s.selection);
  const flow = useReactFlow();
  const [measured, setMeasured] = useState<ReadonlyMap<string, Size>>(() => new Map());
  const [search, setSearch] = useState<AddLayerRequest | null>(null);
  /** The edge a dragged layer would be inserted into if dropped now (highlighted). */
  const [dropEdge, setDropEdge] = useState<string | null>(null);

  const nodes = useMemo<Node[]>(
    () =>
      doc.nodes.map((n) => {
        // Reuse the flow node while nothing about it changed, so React Flow skips it during a drag.
        const size = measured.get(n.id);
        const selected = selection.nodes.has(n.id);
        const cached = FLOW_NODES.get(n);
        if (cached && cached.selected === selected && cached.measured === size) return cached;
        const node: Node = { id: n.id, type: 'layer', position: n.position, data: EMPTY_DATA, selected, ...(size ? { measured: size } : {}) };
        FLOW_NODES.set(n, node);
        return node;
      }),
    [doc.nodes, selection.nodes, measured],
  );
  const edges = useMemo<Edge[]>(
    () =>
      doc.edges.map((e) => ({
        id: e.id,
        type: 'gradient',
        source: e.source,
        target: e.target,
        sourceHandle: 'out',
        targetHandle: `in-${e.targetSlot}`,
        selected: selection.edges.has(e.id),
        ...(e.id === dropEdge ? { className: DROP_TARGET_EDGE } : {}),
      })),
    [doc.edges, selection.edges, dropEdge],
  );

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const store = graphStore.getState();
    const positions = new Map<string, Position>();
    const select = new Map<string, boolean>();
    const sizes = new Map<string, Size>();
    for (const c of changes) {
      if (c.type === 'position' && c.position) positions.set(c.id, c.position);
      else if (c.type === 'select') select.set(c.id, c.selected);
      else if (c.type === 'dimensions' && c.dimensions) sizes.set(c.id, c.dimensions);
    }
    if (positions.size > 0) store.moveNodes(positions);
    if (select.size > 0) applySelect('nodes', select);
    if (sizes.size > 0) setMeasured((old) => new Map([...old, ...sizes]));
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const select = new Map<string, boolean>();
    for (const c of changes) if (c.type === 'select') select.set(c.id, c.selected);
    if (select.size > 0) applySelect('edges', select);
  }, []);

  const onConnect = useCallback((c: FlowConnection) => {
    const conn = toConnection(c);
    if (conn) graphStore.getState().connect(conn);
  }, []);

  const isValidConnection = useCallback<IsValidConnection>((c) => {
    const conn = toConnection(c as FlowConnection);
    return conn !== null && graphStore.getState().connectionProblem(conn) === null;
  }, []);

  const onConnectEnd = (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid) return;
    const from = state.fromNode?.id;
    if (!from) return;
    if (state.toNode && state.toHandle) {
      // Dropped on a handle that refused it: say why.
      const source = state.fromHandle?.type === 'source' ? from : state.toNode.id;
      const target = state.fromHandle?.type === 'source' ? state.toNode.id : from;
      const handle = state.fromHandle?.type === 'source' ? state.toHandle.id : state.fromHandle?.id;
      const conn = toConnection({ source, target, sourceHandle: 'out', targetHandle: handle ?? 'in-0' });
      const reason = conn && graphStore.getState().connectionProblem(conn);
      if (reason) graphStore.getState().notify('error', reason);
      return;
    }
    if (state.toNode) return;
    // Dropped on empty canvas: offer the layer search, and connect what is picked.
    const point = 'changedTouches' in event ? event.changedTouches[0]! : event;
    const flowPos = flow.screenToFlowPosition({ x: point.clientX, y: point.clientY });
    setSearch({
      screen: { x: point.clientX, y: point.clientY },
      position: flowPos,
      connectFrom: state.fromHandle?.type === 'source' ? { source: from } : { target: from, targetSlot: Number((state.fromHandle?.id ?? 'in-0').slice(3)) || 0 },
    });
  };

  const onDragOver = useCallback((event: DragEvent) => {
    const layer = event.dataTransfer.types.includes(LAYER_DRAG_TYPE);
    if (!layer && !event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = layer ? 'move' : 'copy';
    if (layer) setDropEdge(edgeAtPoint(event.currentTarget, event.clientX, event.clientY));
  }, []);

  const onDragLeave = useCallback((event: DragEvent) => {
    if (!event.currentTarget.contains(event.relatedTarget as globalThis.Node | null)) setDropEdge(null);
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const file = event.dataTransfer.files[0];
      if (file) {
        event.preventDefault();
        void openFile(file);
        return;
      }
      setDropEdge(null);
      const type = event.dataTransfer.getData(LAYER_DRAG_TYPE);
      if (!type) return;
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // Centre the node on the pointer.
      const position = { x: Math.round(at.x - NODE_SIZE.width / 2), y: Math.round(at.y - NODE_SIZE.height / 2) };
      // Dropped on an edge: insert the layer into it (source → new → target).
      const edge = edgeAtPoint(event.currentTarget, event.clientX, event.clientY);
      if (edge) graphStore.getState().insertOnEdge(type, edge, position, measuredSizes(flow));
      else graphStore.getState().addNode(type, position);
    },
    [flow],
  );

  const onPaneDoubleClick = (event: ReactMouseEvent) => {
    const target = event.target as HTMLElement;
    if (!target.classList.contains('react-flow__pane')) return;
    setSearch({ screen: { x: event.clientX, y: event.clientY }, position: flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }) });
  };

  return (
    <main aria-label="Model canvas" className="relative min-h-0 min-w-0 flex-1" onDragOver={onDragOver} onDragLeave={onDragLeave} onDrop={onDrop} onDoubleClick={onPaneDoubleClick}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDragStart={() => graphStore.getState().beginGesture()}
        onNodeDragStop={() => graphStore.getState().endGesture()}
        onSelectionDragStart={() => graphStore.getState().beginGesture()}
        onSelectionDragStop={() => graphStore.getState().endGesture()}
        connectionLineType={ConnectionLineType.Bezier}
        connectionLineStyle={{ stroke: 'var(--color-accent)', strokeWidth: 2 }}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        zoomOnDoubleClick={false}
        colorMode="dark"
        minZoom={0.1}
        maxZoom={2}
        fitViewOptions={FIT_VIEW_OPTIONS}
        onlyRenderVisibleElements={doc.nodes.length > 120}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.25} />
        <CanvasChrome nodeColor={minimapColor} />
      </ReactFlow>
      {doc.nodes.length === 0 && <EmptyCanvasHint />}
      {search && <AddLayerSearch request={search} onClose={() => setSearch(null)} />}
      <NoticeToast />
    </main>
  );
}

function applySelect(kind: 'nodes' | 'edges', changes: ReadonlyMap<string, boolean>): void {
  const store = graphStore.getState();
  const next = new Set(store.selection[kind]);
  for (const [id, on] of changes) {
    if (on) next.add(id);
    else next.delete(id);
  }
  store.select({ nodes: kind === 'nodes' ? next : store.selection.nodes, edges: kind === 'edges' ? next : store.selection.edges });
}

function minimapColor(node: Node): string {
  const type = nodesById(graphStore.getState().doc).get(node.id)?.type ?? '';
  return categoryOf(paletteEntry(type)?.category ?? 'core').color;
}
