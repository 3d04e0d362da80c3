/**
 * Automatic layout of the layer graph, left to right: inputs on the left, the output on the right,
 * every layer to the right of the layers that feed it (a merge layer such as `add` right of all its
 * inputs). The ranking, ordering and placement are dagre's (a Sugiyama-style layered layout); this
 * module only feeds it the document and turns its node centres into the top-left positions React
 * Flow uses, rounded to whole pixels.
 *
 * Every node is given the same footprint, {@link NODE_SIZE}. The result depends only on the
 * document (node and edge order included), so the same document always gets the same layout.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { GraphDocument, Position } from './document';

/** The footprint of a layer node on the canvas (approximate; used for spacing only). */
export const NODE_SIZE = { width: 176, height: 72 } as const;

/** Horizontal gap between ranks (columns). */
export const RANK_SEP = 80;
/** Vertical gap between nodes of one rank. */
export const NODE_SEP = 40;

export interface AutoLayoutOptions {
  /**
   * Place only these nodes and keep every other node where it is. Omitted (or naming every node):
   * lay out the whole graph. Unknown ids are ignored.
   */
  nodeIds?: readonly string[];
}

interface Box {
  x: number;
  y: number;
}

/**
 * Top-left positions for the nodes.
 *
 * - Whole graph (no `nodeIds`): every node gets a position; the layout's top-left corner is put at
 *   the top-left corner of the nodes' current bounding box, so tidying up does not move the graph
 *   away from where the user was looking.
 * - Partial (`nodeIds`): only those nodes get a position; the others stay fixed. The graph is laid
 *   out as a whole, then each placed node is moved by the offset between the layout and the canvas
 *   of the nearest fixed node it is connected to (so it lands next to its neighbours). Nodes that
 *   are connected to no fixed node go below the fixed ones, laid out among themselves. A placed node
 *   is then pushed right of its inputs, and up or down (the nearest way) until it overlaps no other
 *   node. Fixed nodes are never moved, so an edge from a placed node into a fixed node on its left
 *   can still run backwards.
 */
export function autoLayout(doc: GraphDocument, options: AutoLayoutOptions = {}): Map<string, Position> {
  const result = new Map<string, Position>();
  if (doc.nodes.length === 0) return result;

  const ideal = dagreLayout(doc);
  const requested = options.nodeIds ? new Set(options.nodeIds) : null;
  const free = new Set(doc.nodes.filter((n) => !requested || requested.has(n.id)).map((n) => n.id));
  if (free.size === 0) return result;

  if (free.size === doc.nodes.length) {
    const origin = boundingBox(doc.nodes.map((n) => n.position));
    for (const n of doc.nodes) {
      const p = ideal.get(n.id)!;
      result.set(n.id, { x: Math.round(origin.minX + p.x), y: Math.round(origin.minY + p.y) });
    }
    return result;
  }
  return placeAmongFixed(doc, free, ideal);
}

/** The document with every node moved to its {@link autoLayout} position. */
export function layoutDocument(doc: GraphDocument): GraphDocument {
  const positions = autoLayout(doc);
  return { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })) };
}

/**
 * dagre's layout of the whole document: top-left positions with the layout's bounding box at (0, 0),
 * not rounded. Node ids are mapped to internal keys, so any id string is safe.
 */
function dagreLayout(doc: GraphDocument): Map<string, Box> {
  const key = new Map<string, string>();
  doc.nodes.forEach((n, i) => key.set(n.id, `n${i}`));

  const g = new Graph();
  g.setGraph({ rankdir: 'LR', ranksep: RANK_SEP, nodesep: NODE_SEP, edgesep: 10, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) g.setNode(key.get(n.id)!, { width: NODE_SIZE.width, height: NODE_SIZE.height });
  // Inputs in slot order, so a merge layer's first input tends to be drawn above its second.
  const edges = [...doc.edges].sort((a, b) => a.targetSlot - b.targetSlot);
  for (const e of edges) {
    const v = key.get(e.source);
    const w = key.get(e.target);
    if (v === undefined || w === undefined || v === w || g.hasEdge(v, w)) continue;
    g.setEdge(v, w, { minlen: 1, weight: 1 });
  }
  layout(g);

  const out = new Map<string, Box>();
  for (const n of doc.nodes) {
    const label = g.node(key.get(n.id)!) as { x: number; y: number };
    out.set(n.id, { x: label.x - NODE_SIZE.width / 2, y: label.y - NODE_SIZE.height / 2 });
  }
  // dagre already puts the bounding box at (0, 0) with zero margins; make it exact regardless.
  const box = boundingBox([...out.values()]);
  for (const p of out.values()) {
    p.x -= box.minX;
    p.y -= box.minY;
  }
  return out;
}

function placeAmongFixed(doc: GraphDocument, free: ReadonlySet<string>, ideal: ReadonlyMap<string, Box>): Map<string, Position> {
  const index = new Map(doc.nodes.map((n, i) => [n.id, i]));
  const current = new Map(doc.nodes.map((n) => [n.id, n.position]));
  const neighbours = new Map<string, string[]>(doc.nodes.map((n) => [n.id, []]));
  const sources = new Map<string, string[]>(doc.nodes.map((n) => [n.id, []]));
  for (const e of doc.edges) {
    if (!index.has(e.source) || !index.has(e.target) || e.source === e.target) continue;
    neighbours.get(e.source)!.push(e.target);
    neighbours.get(e.target)!.push(e.source);
    sources.get(e.target)!.push(e.source);
  }

  // Each free node takes the offset (canvas − layout) of the nearest fixed node: a breadth-first
  // search from all fixed nodes at once, in document order, so ties are settled the same way always.
  const offset = new Map<string, Box>();
  const queue: string[] = [];
  for (const n of doc.nodes) {
    if (free.has(n.id)) continue;
    const p = ideal.get(n.id)!;
    offset.set(n.id, { x: n.position.x - p.x, y: n.position.y - p.y });
    queue.push(n.id);
  }
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    for (const next of neighbours.get(id)!) {
      if (offset.has(next)) continue;
      offset.set(next, offset.get(id)!);
      queue.push(next);
    }
  }

  // Free nodes connected to no fixed node: keep their layout among themselves, below the fixed nodes.
  const fixedBox = boundingBox(doc.nodes.filter((n) => !free.has(n.id)).map((n) => n.position));
  const loose = doc.nodes.filter((n) => !offset.has(n.id)).map((n) => n.id);
  if (loose.length > 0) {
    const looseBox = boundingBox(loose.map((id) => ideal.get(id)!));
    const shift = { x: fixedBox.minX - looseBox.minX, y: fixedBox.maxY + NODE_SIZE.height + 2 * NODE_SEP - looseBox.minY };
    for (const id of loose) offset.set(id, shift);
  }

  // Place free nodes column by column (layout order), each right of its inputs and clear of every
  // node already there.
  const order = [...free].sort((a, b) => {
    const pa = ideal.get(a)!;
    const pb = ideal.get(b)!;
    return pa.x - pb.x || pa.y - pb.y || index.get(a)! - index.get(b)!;
  });
  const occupied: Box[] = doc.nodes.filter((n) => !free.has(n.id)).map((n) => n.position);
  const placed = new Map<string, Position>();
  for (const id of order) {
    const p = ideal.get(id)!;
    const d = offset.get(id)!;
    let x = p.x + d.x;
    for (const s of sources.get(id)!) {
      if (ideal.get(s)!.x >= p.x) continue; // an edge dagre had to reverse (a cycle): no constraint
      const at = placed.get(s) ?? current.get(s)!;
      x = Math.max(x, at.x + NODE_SIZE.width + RANK_SEP);
    }
    x = Math.round(x);
    const y = Math.round(nearestFreeY(x, p.y + d.y, occupied));
    const position = { x, y };
    placed.set(id, position);
    occupied.push(position);
  }

  const result = new Map<string, Position>();
  for (const n of doc.nodes) if (placed.has(n.id)) result.set(n.id, placed.get(n.id)!);
  return result;
}

/**
 * The y nearest to `y` at which a node at `x` keeps at least {@link NODE_SEP} from every box (as
 * whole pixels). Candidates are `y` itself and just above or just below each box in the way; the
 * lowest of them is always free, so there is an answer.
 */
function nearestFreeY(x: number, y: number, boxes: readonly Box[]): number {
  const { width, height } = NODE_SIZE;
  const inColumn = boxes.filter((b) => b.x < x + width + NODE_SEP && x < b.x + width + NODE_SEP);
  const clear = (cy: number) => inColumn.every((b) => !(b.y < cy + height + NODE_SEP && cy < b.y + height + NODE_SEP));
  const start = Math.round(y);
  const candidates = [start];
  for (const b of inColumn) candidates.push(Math.floor(b.y - height - NODE_SEP), Math.ceil(b.y + height + NODE_SEP));
  candidates.sort((a, b) => Math.abs(a - start) - Math.abs(b - start) || b - a);
  return candidates.find(clear) ?? start;
}

function boundingBox(points: readonly Box[]): { minX: number; minY: number; maxX: number; maxY: number } {
  if (points.length === 0) return { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  return { minX, minY, maxX, maxY };
}
