/**
 * Where a new layer goes and what it is wired to, as pure edits: a layer added from the palette
 * lands below the layer it follows and is wired from it, so repeated clicks build a chain; a
 * layer dropped on an edge is inserted into it. The store wraps these with undo (one step each).
 */
import { nodesById, type GraphDocument, type GraphNode, type Position } from './document';
import { addNode, connect, connectionProblem, moveNodes, type Edit } from './operations';

export interface Size {
  width: number;
  height: number;
}

/** A node's size on screen when the canvas has not measured it (a layer card is w-44, two rows). */
export const NODE_SIZE: Size = { width: 176, height: 72 };
/** Vertical room between a layer and the next: the edge and its shape label fit (templates use a 128 px pitch). */
export const PLACE_GAP = 56;
/** Horizontal room between side-by-side layers. */
const SIDE_GAP = 48;
/** How close two layers may come before they count as overlapping. */
const CLEARANCE = 16;

/** Measured sizes by node id; missing ones count as NODE_SIZE. */
export type SizeOf = (id: string) => Size | undefined;

/** What a placement did, for the user: how the new layer was wired, or why it was not. */
export type Placed = Edit<{ id: string; wiring: 'appended' | 'inserted' | 'branched' | 'unwired'; reason: string | null }>;

/**
 * The layer a palette click follows: the selected one when exactly one is selected, else the
 * last one added (the document keeps nodes in the order they were added), else none.
 */
export function placementAnchor(doc: GraphDocument, selectedNodes: ReadonlySet<string>): string | null {
  if (selectedNodes.size === 1) {
    const [only] = selectedNodes;
    if (nodesById(doc).has(only!)) return only!;
  }
  return doc.nodes.at(-1)?.id ?? null;
}

/**
 * Adds a layer of `type` after `anchor`:
 * - the anchor feeds nothing: below it, wired from it (a chain grows one click at a time);
 * - the anchor feeds exactly one layer X and the new one fits between: inserted (anchor → new → X),
 *   with X and what follows it moved down to make room — as dropping it on that edge would;
 * - otherwise beside what is below the anchor, wired from it when that connection is valid
 *   (a branch), else unwired with the reason.
 * Without an anchor (an empty graph) it goes at `centre`. It never overlaps another layer.
 */
export function placeLayer(doc: GraphDocument, type: string, anchorId: string | null, centre: Position, sizeOf: SizeOf = () => undefined): Placed {
  const size = (id: string) => sizeOf(id) ?? NODE_SIZE;
  const anchor = anchorId ? nodesById(doc).get(anchorId) : undefined;
  if (!anchor) {
    const at = freeSpot(doc, size, { x: centre.x - NODE_SIZE.width / 2, y: centre.y - NODE_SIZE.height / 2 });
    const r = addNode(doc, type, at);
    return r.ok ? { ...r, wiring: 'unwired', reason: null } : r;
  }
  const below = { x: anchor.position.x + (size(anchor.id).width - NODE_SIZE.width) / 2, y: anchor.position.y + size(anchor.id).height + PLACE_GAP };
  const out = doc.edges.filter((e) => e.source === anchor.id);

  if (out.length === 1) {
    const inserted = insertBetween(doc, type, out[0]!.id, below);
    if (inserted.ok) return { ok: true, id: inserted.id, doc: makeRoom(inserted.doc, inserted.id, out[0]!.target, size), wiring: 'inserted', reason: null };
  }
  const added = addNode(doc, type, freeSpot(doc, size, below));
  if (!added.ok) return added;
  const c = { source: anchor.id, target: added.id, targetSlot: 0 };
  const reason = connectionProblem(added.doc, c);
  if (reason) return { ...added, wiring: 'unwired', reason };
  const wired = connect(added.doc, c);
  if (!wired.ok) return { ...added, wiring: 'unwired', reason: wired.reason };
  return { ok: true, id: added.id, doc: wired.doc, wiring: out.length === 0 ? 'appended' : 'branched', reason: null };
}

/**
 * Inserts a new layer of `type` at `position` into the edge `edgeId` (source → new → target, into
 * the same input slot of the target). It is kept clear of the source, and the target and what
 * follows it move down when the new layer crowds them. When either connection would be refused,
 * the layer is added unwired at `position` and the reason is given.
 */
export function insertOnEdge(doc: GraphDocument, type: string, edgeId: string, position: Position, sizeOf: SizeOf = () => undefined): Placed {
  const size = (id: string) => sizeOf(id) ?? NODE_SIZE;
  const edge = doc.edges.find((e) => e.id === edgeId);
  const source = edge && nodesById(doc).get(edge.source);
  const at = source && overlaps(position, NODE_SIZE, source, size(source.id), PLACE_GAP) ? { x: position.x, y: source.position.y + size(source.id).height + PLACE_GAP } : position;
  const r = insertBetween(doc, type, edgeId, at);
  if (r.ok) return { ok: true, id: r.id, doc: makeRoom(r.doc, r.id, edge!.target, size), wiring: 'inserted', reason: null };
  const added = addNode(doc, type, position);
  return added.ok ? { ...added, wiring: 'unwired', reason: r.reason } : added;
}

function insertBetween(doc: GraphDocument, type: string, edgeId: string, position: Position): Edit<{ id: string }> {
  const edge = doc.edges.find((e) => e.id === edgeId);
  if (!edge) return { ok: false, reason: 'That connection is no longer on the canvas.' };
  // Take the edge out without renumbering the target's slots: the new layer fills the same slot.
  const added = addNode({ ...doc, edges: doc.edges.filter((e) => e !== edge) }, type, position);
  if (!added.ok) return added;
  const first = connect(added.doc, { source: edge.source, target: added.id, targetSlot: 0 });
  if (!first.ok) return first;
  const second = connect(first.doc, { source: added.id, target: edge.target, targetSlot: edge.targetSlot });
  if (!second.ok) return second;
  return { ok: true, doc: second.doc, id: added.id };
}

/**
 * Makes room for a layer just inserted before `target`: when it crowds the target or a layer
 * after it, those all move down as one block (keeping their own layout) until they clear it by
 * PLACE_GAP. Another layer in its way (a side branch) makes the new layer slide aside instead.
 */
function makeRoom(doc: GraphDocument, placed: string, target: string, size: (id: string) => Size): GraphDocument {
  const nodes = nodesById(doc);
  const at = nodes.get(placed)!.position;
  const clearTop = at.y + NODE_SIZE.height + PLACE_GAP;
  const block = downstream(doc, target);
  let shift = 0;
  for (const id of block) {
    const n = nodes.get(id)!;
    if (overlaps(at, NODE_SIZE, n, size(id), PLACE_GAP)) shift = Math.max(shift, clearTop - n.position.y);
  }
  let next = shift > 0 ? moveNodes(doc, new Map([...block].map((id) => [id, { x: nodes.get(id)!.position.x, y: nodes.get(id)!.position.y + shift }]))) : doc;
  const others = { ...next, nodes: next.nodes.filter((n) => n.id !== placed) };
  const spot = freeSpot(others, size, at);
  if (spot.x !== at.x || spot.y !== at.y) next = moveNodes(next, new Map([[placed, spot]]));
  return next;
}

/** `from` and every layer reachable from it. */
function downstream(doc: GraphDocument, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of doc.edges) if (e.source === id) stack.push(e.target);
  }
  return seen;
}

/** The first spot at `start` or to its right, column by column, where a new layer overlaps none. */
function freeSpot(doc: GraphDocument, size: (id: string) => Size, start: Position): Position {
  const step = NODE_SIZE.width + SIDE_GAP;
  for (let k = 0; k < 200; k++) {
    const at = { x: Math.round(start.x + k * step), y: Math.round(start.y) };
    if (!doc.nodes.some((n) => overlaps(at, NODE_SIZE, n, size(n.id)))) return at;
  }
  return { x: Math.round(start.x), y: Math.round(start.y) };
}

/** Whether a card of size `s` at `at` comes closer to node `n` than CLEARANCE sideways or `vertical` up and down. */
function overlaps(at: Position, s: Size, n: GraphNode, ns: Size, vertical = CLEARANCE): boolean {
  return (
    at.x < n.position.x + ns.width + CLEARANCE &&
    n.position.x < at.x + s.width + CLEARANCE &&
    at.y < n.position.y + ns.height + vertical &&
    n.position.y < at.y + s.height + vertical
  );
}
