import { describe, expect, it } from 'vitest';
import { defaultTraining, emptyDocument, type GraphDocument, type GraphEdge, type GraphNode, type Position } from './document';
import { autoLayout, layoutDocument, NODE_SEP, NODE_SIZE, RANK_SEP } from './layout';

const training = emptyDocument().training;

function node(id: string, type = 'dense', position: Position = { x: 0, y: 0 }): GraphNode {
  return { id, type, params: {}, position };
}

function edge(source: string, target: string, targetSlot = 0): GraphEdge {
  return { id: `${source}->${target}:${targetSlot}`, source, target, targetSlot };
}

function doc(nodes: GraphNode[], edges: GraphEdge[] = []): GraphDocument {
  return { nodes, edges, training };
}

/** Input → Dense → ReLU → Dense → Output. */
function chain(): GraphDocument {
  const types = ['input', 'dense', 'relu', 'dense', 'output'];
  const nodes = types.map((t, i) => node(`c${i}`, t));
  return doc(nodes, nodes.slice(1).map((n, i) => edge(nodes[i]!.id, n.id)));
}

/** mulberry32: a small seeded generator, so the "random" graphs are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random DAG: each node takes 0–3 inputs from earlier nodes (merge layers get slots 0, 1, 2). */
function randomDag(size: number, seed: number): GraphDocument {
  const next = rng(seed);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (let i = 0; i < size; i++) {
    const id = `r${i}`;
    const inputs = i === 0 ? 0 : Math.floor(next() * 4);
    const chosen = new Set<number>();
    for (let k = 0; k < inputs; k++) chosen.add(Math.floor(next() * i));
    nodes.push(node(id, chosen.size > 1 ? 'add' : 'dense', { x: Math.floor(next() * 1000), y: Math.floor(next() * 1000) }));
    [...chosen].forEach((s, slot) => edges.push(edge(`r${s}`, id, slot)));
  }
  return doc(nodes, edges);
}

function overlaps(a: Position, b: Position): boolean {
  return a.x < b.x + NODE_SIZE.width && b.x < a.x + NODE_SIZE.width && a.y < b.y + NODE_SIZE.height && b.y < a.y + NODE_SIZE.height;
}

/** Pairs of nodes whose boxes overlap, given the positions of all nodes. */
function overlapping(positions: ReadonlyMap<string, Position>): string[] {
  const entries = [...positions];
  const bad: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      if (overlaps(entries[i]![1], entries[j]![1])) bad.push(`${entries[i]![0]}/${entries[j]![0]}`);
    }
  }
  return bad;
}

describe('autoLayout', () => {
  it('returns an empty map for an empty document', () => {
    expect(autoLayout(emptyDocument()).size).toBe(0);
    expect(autoLayout(emptyDocument(), { nodeIds: ['nope'] }).size).toBe(0);
  });

  it('leaves a rank gap tall enough for an edge label, and nodes of a rank apart', () => {
    expect(RANK_SEP).toBeGreaterThanOrEqual(18 + 2 * 16); // an 18 px shape pill with room around it
    expect(NODE_SEP).toBeGreaterThan(0);
  });

  it('lays a chain out top to bottom in one column, a rank apart', () => {
    const d = chain();
    const p = autoLayout(d);
    expect(p.size).toBe(5);
    const ys = d.nodes.map((n) => p.get(n.id)!.y);
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBe(NODE_SIZE.height + RANK_SEP);
    expect(new Set(d.nodes.map((n) => p.get(n.id)!.x)).size).toBe(1);
  });

  it('puts a merge layer below all its inputs (residual block)', () => {
    // x → dense → add (slot 1), and the skip x → add (slot 0).
    const d = doc([node('x', 'input'), node('dense'), node('add', 'add'), node('out', 'output')], [edge('x', 'add', 0), edge('x', 'dense'), edge('dense', 'add', 1), edge('add', 'out')]);
    const p = autoLayout(d);
    const bottom = (a: string) => p.get(a)!.y + NODE_SIZE.height;
    expect(p.get('dense')!.y).toBeGreaterThanOrEqual(bottom('x') + RANK_SEP);
    expect(p.get('add')!.y).toBeGreaterThanOrEqual(bottom('x') + RANK_SEP);
    expect(p.get('add')!.y).toBeGreaterThanOrEqual(bottom('dense') + RANK_SEP);
    expect(p.get('out')!.y).toBeGreaterThanOrEqual(bottom('add') + RANK_SEP);
    expect(overlapping(p)).toEqual([]);
  });

  it("brings a merge layer's inputs in from the left in slot order, whatever the document order", () => {
    // Parallel branches a → b_k → m (slot k), listed out of slot order.
    const three = doc(
      [node('a', 'input'), node('b1'), node('b2'), node('b0'), node('m', 'concat')],
      [edge('a', 'b2'), edge('a', 'b0'), edge('a', 'b1'), edge('b1', 'm', 1), edge('b2', 'm', 2), edge('b0', 'm', 0)],
    );
    const p3 = autoLayout(three);
    expect(p3.get('b0')!.x).toBeLessThan(p3.get('b1')!.x);
    expect(p3.get('b1')!.x).toBeLessThan(p3.get('b2')!.x);

    // Two inputs straight into a merge layer, the slot-1 source listed first.
    const two = doc([node('i1', 'input'), node('i0', 'input'), node('m', 'add')], [edge('i1', 'm', 1), edge('i0', 'm', 0)]);
    const p2 = autoLayout(two);
    expect(p2.get('i0')!.x).toBeLessThan(p2.get('i1')!.x);

    // Residual block: the layer branch sits on the side of its slot, the skip edge on the other.
    const residual = (skipSlot: number) =>
      autoLayout(
        doc(
          [node('x', 'input'), node('d1'), node('r', 'relu'), node('d2'), node('add', 'add')],
          [edge('x', 'd1'), edge('d1', 'r'), edge('r', 'd2'), edge('d2', 'add', 1 - skipSlot), edge('x', 'add', skipSlot)],
        ),
      );
    const skipLeft = residual(0);
    const skipRight = residual(1);
    for (const id of ['d1', 'r', 'd2']) {
      expect(skipLeft.get(id)!.x).toBeGreaterThan(skipLeft.get('x')!.x);
      expect(skipRight.get(id)!.x).toBeLessThan(skipRight.get('x')!.x);
    }
  });

  it('never overlaps two nodes of a random 60-node DAG, and every edge runs top to bottom', () => {
    for (const seed of [1, 2, 3, 42]) {
      const d = randomDag(60, seed);
      const p = autoLayout(d);
      expect(p.size).toBe(60);
      expect(overlapping(p)).toEqual([]);
      for (const e of d.edges) expect(p.get(e.target)!.y).toBeGreaterThanOrEqual(p.get(e.source)!.y + NODE_SIZE.height + RANK_SEP);
      for (const q of p.values()) expect(Number.isInteger(q.x) && Number.isInteger(q.y)).toBe(true);
    }
  });

  it('is deterministic: the same document, or an equal copy of it, gets the same positions', () => {
    const d = randomDag(60, 7);
    const first = autoLayout(d);
    expect(autoLayout(d)).toEqual(first);
    expect(autoLayout(structuredClone(d))).toEqual(first);
  });

  it('gives disconnected nodes and separate components a place without overlap', () => {
    const d = doc([node('a'), node('b'), node('lonely1'), node('c'), node('d'), node('lonely2')], [edge('a', 'b'), edge('c', 'd')]);
    const p = autoLayout(d);
    expect(p.size).toBe(6);
    expect(overlapping(p)).toEqual([]);
    expect(p.get('b')!.y).toBeGreaterThan(p.get('a')!.y);
    expect(p.get('d')!.y).toBeGreaterThan(p.get('c')!.y);
  });

  it('tolerates edges to missing nodes, self-loops, duplicate edges and cycles', () => {
    const d = doc([node('a'), node('b'), node('c')], [edge('a', 'b'), edge('a', 'b', 1), edge('b', 'b'), edge('b', 'c'), edge('c', 'a'), edge('ghost', 'a')]);
    const p = autoLayout(d);
    expect([...p.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(overlapping(p)).toEqual([]);
  });

  it('accepts any id string, including ones that are special as object keys', () => {
    const d = doc([node('__proto__'), node('constructor'), node('')], [edge('__proto__', 'constructor'), edge('constructor', '')]);
    const p = autoLayout(d);
    expect(p.get('constructor')!.y).toBeGreaterThan(p.get('__proto__')!.y);
    expect(p.get('')!.y).toBeGreaterThan(p.get('constructor')!.y);
  });

  it('keeps the graph where it was: the layout starts at the top-left of the current nodes', () => {
    const d = chain();
    const moved = doc(d.nodes.map((n, i) => ({ ...n, position: { x: 500 + i * 10, y: -300 + i * 7 } })), [...d.edges]);
    const p = autoLayout(moved);
    expect(Math.min(...[...p.values()].map((q) => q.x))).toBe(500);
    expect(Math.min(...[...p.values()].map((q) => q.y))).toBe(-300);
  });

  it('lays out a 200-node graph quickly', () => {
    const d = randomDag(200, 99);
    autoLayout(d); // warm up
    const start = performance.now();
    const p = autoLayout(d);
    const ms = performance.now() - start;
    console.log(`autoLayout: 200 nodes, ${d.edges.length} edges in ${ms.toFixed(1)} ms`);
    expect(p.size).toBe(200);
    expect(overlapping(p)).toEqual([]);
    expect(ms).toBeLessThan(10_000); // a sanity bound only, not a timing assertion
  });
});

describe('autoLayout with nodeIds (place some, keep the others)', () => {
  it('returns positions only for the requested nodes and puts a new layer below its fixed input', () => {
    // A laid-out chain, then a new Dense wired after the ReLU.
    const base = layoutDocument(chain());
    const d = doc([...base.nodes, node('new')], [...base.edges, edge('c2', 'new')]);
    const p = autoLayout(d, { nodeIds: ['new', 'missing'] });
    expect([...p.keys()]).toEqual(['new']);
    const relu = base.nodes[2]!.position;
    expect(p.get('new')!.y).toBeGreaterThanOrEqual(relu.y + NODE_SIZE.height + RANK_SEP);
    const all = new Map([...base.nodes.map((n) => [n.id, n.position] as const), ['new', p.get('new')!] as const]);
    expect(overlapping(all)).toEqual([]);
  });

  it('places nodes next to the fixed nodes they connect to, clear of every node', () => {
    const full = randomDag(40, 5);
    const laid = layoutDocument(full);
    // Forget where a third of the nodes were (as a model file without their layout would).
    const missing = laid.nodes.filter((_, i) => i % 3 === 1).map((n) => n.id);
    const d = doc(laid.nodes.map((n) => (missing.includes(n.id) ? { ...n, position: { x: 0, y: 0 } } : n)), [...laid.edges]);
    const p = autoLayout(d, { nodeIds: missing });
    expect([...p.keys()].sort()).toEqual([...missing].sort());
    const all = new Map(d.nodes.map((n) => [n.id, p.get(n.id) ?? n.position]));
    const clear = (a: Position, b: Position) =>
      a.x + NODE_SIZE.width + NODE_SEP <= b.x || b.x + NODE_SIZE.width + NODE_SEP <= a.x || a.y + NODE_SIZE.height + NODE_SEP <= b.y || b.y + NODE_SIZE.height + NODE_SEP <= a.y;
    for (const id of missing) {
      for (const [other, q] of all) if (other !== id) expect(clear(all.get(id)!, q), `${id} vs ${other}`).toBe(true);
    }
    for (const e of d.edges) {
      if (missing.includes(e.target)) expect(all.get(e.target)!.y).toBeGreaterThanOrEqual(all.get(e.source)!.y + NODE_SIZE.height + RANK_SEP);
    }
    expect(autoLayout(d, { nodeIds: missing })).toEqual(p);
  });

  it('puts a group connected to no fixed node right of the fixed nodes, laid out among itself', () => {
    const base = layoutDocument(chain());
    const d = doc([...base.nodes, node('p'), node('q')], [...base.edges, edge('p', 'q')]);
    const p = autoLayout(d, { nodeIds: ['p', 'q'] });
    const rightmost = Math.max(...base.nodes.map((n) => n.position.x));
    expect(p.get('p')!.x).toBeGreaterThanOrEqual(rightmost + NODE_SIZE.width + NODE_SEP);
    expect(p.get('p')!.y).toBe(Math.min(...base.nodes.map((n) => n.position.y)));
    expect(p.get('q')!.x).toBe(p.get('p')!.x);
    expect(p.get('q')!.y).toBe(p.get('p')!.y + NODE_SIZE.height + RANK_SEP);
  });

  it('moves a placed node sideways, the nearest way, when its spot below its input is taken', () => {
    // a → b laid out, then c (another output of a) is added: its layout spot, moved by a's offset
    // between layout and canvas, lands on b.
    const base = layoutDocument(doc([node('a'), node('b')], [edge('a', 'b')]));
    const a = base.nodes[0]!.position;
    const b = base.nodes[1]!.position;
    const d = doc([...base.nodes, node('c')], [...base.edges, edge('a', 'c')]);
    const p = autoLayout(d, { nodeIds: ['c'] });
    const c = p.get('c')!;
    expect(c.y).toBeGreaterThanOrEqual(a.y + NODE_SIZE.height + RANK_SEP);
    expect(Math.abs(c.x - b.x)).toBeGreaterThanOrEqual(NODE_SIZE.width + NODE_SEP);
    expect(overlapping(new Map([['a', a], ['b', b], ['c', c]]))).toEqual([]);
  });

  it('lays out everything when nodeIds names every node', () => {
    const d = randomDag(20, 3);
    expect(autoLayout(d, { nodeIds: d.nodes.map((n) => n.id) })).toEqual(autoLayout(d));
  });
});

describe('layoutDocument', () => {
  it('moves every node to its layout position and keeps everything else', () => {
    const d = { ...chain(), name: 'mlp' };
    const before = structuredClone(d);
    const out = layoutDocument(d);
    expect(d).toEqual(before); // the input is not changed
    const p = autoLayout(d);
    expect(out.nodes.map((n) => n.position)).toEqual(d.nodes.map((n) => p.get(n.id)));
    expect(out.nodes.map(({ position: _, ...rest }) => rest)).toEqual(d.nodes.map(({ position: _, ...rest }) => rest));
    expect(out.edges).toBe(d.edges);
    expect(out.training).toBe(d.training);
    expect(out.name).toBe('mlp');
  });

  it('is stable: laying out a laid-out document changes nothing', () => {
    const once = layoutDocument(randomDag(60, 11));
    expect(layoutDocument(once)).toEqual(once);
  });
});

describe('folding deep stacks', () => {
  it('cuts a 19-layer chain into 3 columns of at most 7 rows, left to right, without overlaps', () => {
    const ids = Array.from({ length: 19 }, (_, i) => `n${i}`);
    const doc: GraphDocument = {
      nodes: ids.map((id) => ({ id, type: 'dense', params: {}, position: { x: 0, y: 0 } })),
      edges: ids.slice(1).map((id, i) => ({ id: `e${i}`, source: ids[i]!, target: id, targetSlot: 0 })),
      training: defaultTraining(),
    };
    const p = autoLayout(doc, { foldAfter: 8 });
    const xs = [...new Set(ids.map((id) => p.get(id)!.x))];
    expect(xs).toHaveLength(3);
    const ys = ids.map((id) => p.get(id)!.y);
    expect(Math.max(...ys)).toBe(6 * (NODE_SIZE.height + RANK_SEP));
    // Within a column the chain goes down; the next column starts at the top, to the right.
    expect(p.get('n1')!.y).toBeGreaterThan(p.get('n0')!.y);
    expect(p.get('n7')!.y).toBe(0);
    expect(p.get('n7')!.x).toBeGreaterThan(p.get('n6')!.x);
    expect(autoLayout(doc).get('n18')!.y).toBe(18 * (NODE_SIZE.height + RANK_SEP));
  });
});
