import { describe, expect, it } from 'vitest';
import { compile } from '../../engine/compiler/compile';
import { describeBuiltinDataset } from '../../engine/data';
import type { GraphDocument } from './document';
import { NODE_SIZE, PLACE_GAP, placementAnchor } from './placement';
import { createGraphStore } from './store';

const CENTRE = { x: 400, y: 300 };

/** Pairs of layers whose cards overlap (at the default card size). */
function overlapping(doc: GraphDocument): string[] {
  const out: string[] = [];
  doc.nodes.forEach((a, i) =>
    doc.nodes.slice(i + 1).forEach((b) => {
      const apart = a.position.x + NODE_SIZE.width <= b.position.x || b.position.x + NODE_SIZE.width <= a.position.x || a.position.y + NODE_SIZE.height <= b.position.y || b.position.y + NODE_SIZE.height <= a.position.y;
      if (!apart) out.push(`${a.id}/${b.id}`);
    }),
  );
  return out;
}

/** The chain from the node without inputs, following single edges, as layer types. */
function chainTypes(doc: GraphDocument): string[] {
  const start = doc.nodes.find((n) => !doc.edges.some((e) => e.target === n.id))!;
  const types = [start.type];
  for (let id = start.id, next; (next = doc.edges.find((e) => e.source === id)); id = next.target) types.push(doc.nodes.find((n) => n.id === next!.target)!.type);
  return types;
}

function clickChain(types: string[]) {
  const store = createGraphStore();
  const s = store.getState;
  const ids = types.map((type) => s().placeLayer(type, CENTRE)!);
  return { store, s, ids };
}

describe('adding a layer from the palette', () => {
  it('builds a wired chain from an empty graph, one click and one undo step per layer, without overlaps', () => {
    const { s, ids } = clickChain(['input', 'dense', 'relu', 'dense', 'output']);
    const doc = s().doc;
    expect(chainTypes(doc)).toEqual(['input', 'dense', 'relu', 'dense', 'output']);
    expect(doc.edges).toHaveLength(4);
    expect(overlapping(doc)).toEqual([]);
    // The first layer sits at the centre of the view; each next one below the last.
    expect(doc.nodes[0]!.position).toEqual({ x: CENTRE.x - NODE_SIZE.width / 2, y: CENTRE.y - NODE_SIZE.height / 2 });
    for (let i = 1; i < doc.nodes.length; i++) expect(doc.nodes[i]!.position.y).toBeGreaterThan(doc.nodes[i - 1]!.position.y + NODE_SIZE.height);
    expect([...s().selection.nodes]).toEqual([ids[4]]);
    expect(s().past).toHaveLength(5);
    expect(s().notice).toBeNull();
    // Only the model's own error is left (Dense 32 → 2 classes); fixing the units makes it train.
    expect(s().setParam(ids[3]!, 'units', 2)).toBeNull();
    expect(compile(s().doc, describeBuiltinDataset('spiral')).issues.filter((i) => i.severity === 'error')).toEqual([]);
    s().undo();
    s().undo();
    expect(s().doc.nodes).toHaveLength(4);
    expect(s().doc.edges).toHaveLength(3);
  });

  it('after a selected layer that feeds another, inserts the new one between them and moves the rest down', () => {
    const { s, ids } = clickChain(['input', 'dense', 'output']);
    const before = s().doc;
    s().select({ nodes: [ids[1]!] });
    const relu = s().placeLayer('relu', CENTRE)!;
    expect(chainTypes(s().doc)).toEqual(['input', 'dense', 'relu', 'output']);
    expect(overlapping(s().doc)).toEqual([]);
    const y = (id: string) => s().doc.nodes.find((n) => n.id === id)!.position.y;
    expect(y(relu)).toBeGreaterThan(y(ids[1]!));
    expect(y(ids[2]!)).toBeGreaterThan(y(relu));
    expect(s().past).toHaveLength(4);
    s().undo();
    expect(s().doc).toBe(before);
  });

  it('branches from a selected layer that already feeds two, beside what is below it', () => {
    const store = createGraphStore();
    const s = store.getState;
    const input = s().placeLayer('input', CENTRE)!;
    const a = s().placeLayer('dense', CENTRE)!;
    s().select({ nodes: [input] });
    const b = s().addNode('dense', { x: 600, y: 500 }, { source: input })!;
    s().select({ nodes: [input] });
    const c = s().placeLayer('tanh', CENTRE)!;
    expect(s().doc.edges.filter((e) => e.source === input).map((e) => e.target)).toEqual([a, b, c]);
    expect(overlapping(s().doc)).toEqual([]);
  });

  it('follows the last added layer when none or several are selected, and adds unwired after an Output, saying why', () => {
    const { s, ids } = clickChain(['input', 'dense']);
    s().select({ nodes: ids });
    expect(placementAnchor(s().doc, s().selection.nodes)).toBe(ids[1]);
    s().clearSelection();
    const out = s().placeLayer('output', CENTRE)!;
    expect(s().doc.edges.at(-1)).toMatchObject({ source: ids[1], target: out });
    const after = s().placeLayer('dense', CENTRE)!;
    expect(s().doc.edges.some((e) => e.target === after)).toBe(false);
    expect(s().notice?.text).toBe('Dense was added unwired: Output is the end of the network; nothing can follow it.');
    expect(overlapping(s().doc)).toEqual([]);
  });

  it('never stacks layers on a spot already taken', () => {
    const store = createGraphStore();
    const s = store.getState;
    // A layer sits right where the next one would go below the selected Input.
    const input = s().placeLayer('input', CENTRE)!;
    s().addNode('dense', { x: CENTRE.x - 88, y: CENTRE.y + 90 });
    s().select({ nodes: [input] });
    s().placeLayer('relu', CENTRE);
    s().select({ nodes: [input] });
    s().placeLayer('tanh', CENTRE);
    expect(overlapping(s().doc)).toEqual([]);
  });
});

describe('dropping a layer on an edge', () => {
  it('inserts it into the edge, into the same input slot, as one undo step', () => {
    const { s, ids } = clickChain(['input', 'dense', 'relu']);
    const edge = s().doc.edges.find((e) => e.source === ids[1])!;
    const before = s().doc;
    const dropout = s().insertOnEdge('dropout', edge.id, { x: 50, y: 50 })!;
    expect(chainTypes(s().doc)).toEqual(['input', 'dense', 'dropout', 'relu']);
    expect(s().doc.nodes.find((n) => n.id === dropout)!.position).toEqual({ x: 50, y: 50 });
    expect([...s().selection.nodes]).toEqual([dropout]);
    s().undo();
    expect(s().doc).toBe(before);

    // Into the second input of a Concat: the order of its inputs is kept.
    const concat = s().addNode('concat', { x: 0, y: 600 })!;
    s().connect({ source: ids[0]!, target: concat, targetSlot: 0 });
    s().connect({ source: ids[2]!, target: concat, targetSlot: 1 });
    const second = s().doc.edges.find((e) => e.target === concat && e.targetSlot === 1)!;
    const dense = s().insertOnEdge('dense', second.id, { x: 0, y: 500 })!;
    expect(s().doc.edges.filter((e) => e.target === concat).map((e) => [e.source, e.targetSlot])).toEqual([
      [ids[0], 0],
      [dense, 1],
    ]);
  });

  it('makes room for a layer dropped into a tight gap: below the source, with the rest moved down', () => {
    const { s, ids } = clickChain(['input', 'dense', 'relu', 'output']);
    const pos = (id: string) => s().doc.nodes.find((n) => n.id === id)!.position;
    const [dense, relu, output] = [pos(ids[1]!), pos(ids[2]!), pos(ids[3]!)];
    const edge = s().doc.edges.find((e) => e.source === ids[1])!;
    // Half over the Dense, in the 56 px between it and the ReLU.
    const dropout = s().insertOnEdge('dropout', edge.id, { x: dense.x + 10, y: dense.y + 60 })!;
    expect(chainTypes(s().doc)).toEqual(['input', 'dense', 'dropout', 'relu', 'output']);
    expect(overlapping(s().doc)).toEqual([]);
    expect(pos(dropout)).toEqual({ x: dense.x + 10, y: dense.y + NODE_SIZE.height + PLACE_GAP });
    expect(pos(ids[2]!).y - pos(dropout).y).toBe(NODE_SIZE.height + PLACE_GAP);
    // The block after it moved as one: the ReLU → Output spacing is kept.
    expect(pos(ids[3]!).y - pos(ids[2]!).y).toBe(output.y - relu.y);
    expect(pos(ids[0]!)).toEqual(s().past.at(-1)!.nodes[0]!.position);
  });

  it('refuses a layer that cannot go between, adds it unwired and says why', () => {
    const { s, ids } = clickChain(['input', 'dense', 'relu']);
    const edge = s().doc.edges.find((e) => e.source === ids[1])!;
    const out = s().insertOnEdge('output', edge.id, { x: 500, y: 0 })!;
    expect(s().doc.edges.map((e) => [e.source, e.target])).toEqual([
      [ids[0], ids[1]],
      [ids[1], ids[2]],
    ]);
    expect(s().doc.nodes.map((n) => n.id)).toContain(out);
    expect(s().notice?.kind).toBe('error');
    expect(s().notice?.text).toBe('Output cannot go into that connection, so it was added unwired: Output is the end of the network; nothing can follow it.');
    const input = s().insertOnEdge('input', edge.id, { x: 700, y: 0 });
    expect(s().notice?.text).toMatch(/^Input cannot go into that connection.*Input takes no inputs/);
    expect(s().doc.edges.some((e) => e.source === input || e.target === input)).toBe(false);
  });
});
