/**
 * Automatic layout of the layer graph, top to bottom: inputs at the top, the output at the bottom,
 * every layer below the layers that feed it (a merge layer such as `add` below all its inputs). The
 * ranking, ordering and placement are dagre's (a Sugiyama-style layered layout); this module only
 * feeds it the document and turns its node centres into the top-left positions React Flow uses,
 * rounded to whole pixels.
 *
 * A layer node has its input handles on its top edge and its output handle on its bottom edge; a
 * merge layer's input slots are spread left to right along the top edge in slot order. So the
 * ordering is asked to bring a merge layer's inputs in from the left in slot order (slot 0 leftmost)
 * where it can, which keeps the edges into the slots from crossing just above the node.
 *
 * Every node is given the same footprint, {@link NODE_SIZE}. The result depends only on the
 * document (node and edge order included), so the same document always gets the same layout.
 */
import { Graph, layout, type graphlib } from '@dagrejs/dagre';
import type { GraphDocument, Position } from './document';

/** The footprint of a layer node on the canvas (approximate; used for spacing only). */
export const NODE_SIZE = { width: 176, height: 72 } as const;

/**
 * Vertical gap between ranks (rows): room for the edges between them and the tensor-shape label
 * (a pill about 18 px tall) drawn on each edge.
 */
export const RANK_SEP = 56;
/** Horizontal gap between nodes of one rank. */
export const NODE_SEP = 40;

/** Deep stacks fold into side-by-side columns of at most this many rows, so they fit a screen at a readable zoom. */
export const FOLD_ROWS = 8;
/** Horizontal gap between folded columns: room for the edge that climbs from one column's bottom to the next one's top. */
export const FOLD_GAP = 96;

export interface AutoLayoutOptions {
  /**
   * Whole-graph layouts only: when the graph has more ranks than this, cut it into columns of
   * (about) equal height, left to right. Omitted: no folding.
   */
  foldAfter?: number;
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
 *   are connected to no fixed node go right of the fixed ones (top-aligned with them), laid out
 *   among themselves. A placed node is then pushed below its inputs, and left or right (the nearest
 *   way) until it overlaps no other node. Fixed nodes are never moved, so an edge from a placed node
 *   into a fixed node above it can still run backwards.
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
    const placed = options.foldAfter ? fold(ideal, options.foldAfter) : ideal;
    for (const n of doc.nodes) {
      const p = placed.get(n.id)!;
      result.set(n.id, { x: Math.round(origin.minX + p.x), y: Math.round(origin.minY + p.y) });
    }
    return result;
  }
  return placeAmongFixed(doc, free, ideal);
}

/** The document with every node moved to its {@link autoLayout} position, deep stacks folded into columns. */
export function layoutDocument(doc: GraphDocument, foldAfter: number = FOLD_ROWS): GraphDocument {
  const positions = autoLayout(doc, { foldAfter });
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
  g.setGraph({ rankdir: 'TB', ranksep: RANK_SEP, nodesep: NODE_SEP, edgesep: 10, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) g.setNode(key.get(n.id)!, { width: NODE_SIZE.width, height: NODE_SIZE.height });
  // The slot each (source, target) pair feeds; the lowest if a source feeds several slots of one
  // target (dagre keeps a single edge for the pair).
  const slots = new Map<string, number>();
  for (const e of doc.edges) {
    const v = key.get(e.source);
    const w = key.get(e.target);
    if (v === undefined || w === undefined || v === w) continue;
    const pair = `${v}>${w}`;
    if (!g.hasEdge(v, w)) g.setEdge(v, w, { minlen: 1, weight: 1 });
    slots.set(pair, Math.min(slots.get(pair) ?? Infinity, e.targetSlot));
  }
  layout(g, { customOrder: (internal, order) => order(internal, { constraints: slotConstraints(internal, slots) }) });

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

/**
 * Ordering constraints that bring a merge layer's inputs in from the left in slot order.
 *
 * This runs on dagre's internal graph just before it orders the nodes of each rank. By then every
 * edge has been cut into a chain of dummy nodes, one per rank it crosses, and there is always at
 * least one (dagre doubles every edge's length to leave a rank for edge labels). So the node just
 * above a merge layer on each of its incoming edges is a dummy of that edge alone, and all of them
 * are in the rank above it: "slot i's dummy left of slot j's" (for every i < j; dagre does not
 * always honour a chain of constraints transitively) never conflicts with another merge layer's
 * constraints. Edges dagre reversed to break a cycle are left out.
 */
function slotConstraints(g: graphlib.Graph, slots: ReadonlyMap<string, number>): { left: string; right: string }[] {
  const entries = new Map<string, { dummy: string; slot: number }[]>();
  for (const v of g.nodes()) {
    const label = g.node(v) as { dummy?: string; edgeObj?: { v: string; w: string }; edgeLabel?: { reversed?: boolean } } | undefined;
    if (label?.dummy !== 'edge' || !label.edgeObj || label.edgeLabel?.reversed) continue;
    const target = label.edgeObj.w;
    if (!(g.successors(v) ?? []).includes(target)) continue;
    const slot = slots.get(`${label.edgeObj.v}>${target}`);
    if (slot === undefined) continue;
    const list = entries.get(target) ?? [];
    list.push({ dummy: v, slot });
    entries.set(target, list);
  }
  const constraints: { left: string; right: string }[] = [];
  for (const list of entries.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.slot - b.slot);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (list[i]!.slot !== list[j]!.slot) constraints.push({ left: list[i]!.dummy, right: list[j]!.dummy });
      }
    }
  }
  return constraints;
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

  // Free nodes connected to no fixed node: keep their layout among themselves, right of the fixed
  // nodes (beside the flow rather than after it), top-aligned with them.
  const fixedBox = boundingBox(doc.nodes.filter((n) => !free.has(n.id)).map((n) => n.position));
  const loose = doc.nodes.filter((n) => !offset.has(n.id)).map((n) => n.id);
  if (loose.length > 0) {
    const looseBox = boundingBox(loose.map((id) => ideal.get(id)!));
    const shift = { x: fixedBox.maxX + NODE_SIZE.width + 2 * NODE_SEP - looseBox.minX, y: fixedBox.minY - looseBox.minY };
    for (const id of loose) offset.set(id, shift);
  }

  // Place free nodes row by row (layout order), each below its inputs and clear of every node
  // already there.
  const order = [...free].sort((a, b) => {
    const pa = ideal.get(a)!;
    const pb = ideal.get(b)!;
    return pa.y - pb.y || pa.x - pb.x || index.get(a)! - index.get(b)!;
  });
  const occupied: Box[] = doc.nodes.filter((n) => !free.has(n.id)).map((n) => n.position);
  const placed = new Map<string, Position>();
  for (const id of order) {
    const p = ideal.get(id)!;
    const d = offset.get(id)!;
    let y = p.y + d.y;
    for (const s of sources.get(id)!) {
      if (ideal.get(s)!.y >= p.y) continue; // an edge dagre had to reverse (a cycle): no constraint
      const at = placed.get(s) ?? current.get(s)!;
      y = Math.max(y, at.y + NODE_SIZE.height + RANK_SEP);
    }
    y = Math.round(y);
    const x = Math.round(nearestFreeX(y, p.x + d.x, occupied));
    const position = { x, y };
    placed.set(id, position);
    occupied.push(position);
  }

  const result = new Map<string, Position>();
  for (const n of doc.nodes) if (placed.has(n.id)) result.set(n.id, placed.get(n.id)!);
  return result;
}

/**
 * The x nearest to `x` at which a node at `y` keeps at least {@link NODE_SEP} from every box (as
 * whole pixels). Candidates are `x` itself and just left or just right of each box in the way; the
 * rightmost of them is always free, so there is an answer.
 */
function nearestFreeX(y: number, x: number, boxes: readonly Box[]): number {
  const { width, height } = NODE_SIZE;
  const inRow = boxes.filter((b) => b.y < y + height + NODE_SEP && y < b.y + height + NODE_SEP);
  const clear = (cx: number) => inRow.every((b) => !(b.x < cx + width + NODE_SEP && cx < b.x + width + NODE_SEP));
  const start = Math.round(x);
  const candidates = [start];
  for (const b of inRow) candidates.push(Math.floor(b.x - width - NODE_SEP), Math.ceil(b.x + width + NODE_SEP));
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

/**
 * Cuts a layout with more than `maxRows` ranks into columns of equal height (as equal as whole
 * ranks allow), each placed right of the one before. dagre puts every rank at the same height
 * step (all nodes share one footprint), so a node's rank is its y over that step.
 */
function fold(layout: ReadonlyMap<string, Box>, maxRows: number): Map<string, Box> {
  const step = NODE_SIZE.height + RANK_SEP;
  let ranks = 0;
  let width = 0;
  for (const p of layout.values()) {
    ranks = Math.max(ranks, Math.round(p.y / step) + 1);
    width = Math.max(width, p.x + NODE_SIZE.width);
  }
  const out = new Map<string, Box>();
  if (ranks <= maxRows) {
    for (const [id, p] of layout) out.set(id, { ...p });
    return out;
  }
  const columns = Math.ceil(ranks / maxRows);
  const rows = Math.ceil(ranks / columns);
  for (const [id, p] of layout) {
    const rank = Math.round(p.y / step);
    const column = Math.floor(rank / rows);
    out.set(id, { x: p.x + column * (width + FOLD_GAP), y: (rank % rows) * step });
  }
  // Back to a bounding box at (0, 0), as the caller anchors it.
  const box = boundingBox([...out.values()]);
  for (const p of out.values()) {
    p.x -= box.minX;
    p.y -= box.minY;
  }
  return out;
}
