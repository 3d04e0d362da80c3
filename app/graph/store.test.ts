import { describe, expect, it } from 'vitest';
import { compile } from '../../engine/compiler/compile';
import { describeBuiltinDataset } from '../../engine/data';
import { serializeModel } from '../../engine/model';
import { fromModelDefinition, toModelDefinition } from './document';
import { createGraphStore, HISTORY_LIMIT } from './store';

/** Input → Dense → ReLU → Dense → Output, built through the store as the canvas would. */
function buildMlp() {
  const store = createGraphStore();
  const s = () => store.getState();
  const ids = ['input', 'dense', 'relu', 'dense', 'output'].map((type, i) => s().addNode(type, { x: i * 200, y: 0 })!);
  for (let i = 0; i + 1 < ids.length; i++) expect(s().connect({ source: ids[i]!, target: ids[i + 1]!, targetSlot: 0 })).toBe(true);
  return { store, s, ids };
}

describe('graph store', () => {
  it('builds a network that compiles, one undo step per add and per connection', () => {
    const { s } = buildMlp();
    expect(s().doc.nodes).toHaveLength(5);
    expect(s().doc.edges).toHaveLength(4);
    expect(s().past).toHaveLength(9);
    const wrong = compile(s().doc, describeBuiltinDataset('spiral'));
    expect(wrong.issues.map((i) => i.message)).toContain('The output gets 32 values per sample, but Spiral has 2 classes.');
    expect(s().setParam(s().doc.nodes[3]!.id, 'units', 2)).toBeNull();
    const compiled = compile(s().doc, describeBuiltinDataset('spiral'));
    expect(compiled.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(compiled.nodes.get(s().doc.nodes[1]!.id)!.shape).toEqual([32]);
  });

  it('refuses a cycle, a self-loop and a second input into a single-input layer, with reasons, changing nothing', () => {
    const { s, ids } = buildMlp();
    const loose = s().addNode('tanh', { x: 0, y: 300 })!;
    const before = s().doc;
    expect(s().connect({ source: loose, target: ids[1]!, targetSlot: 0 })).toBe(false);
    expect(s().notice?.text).toMatch(/takes one input and it is already connected/);
    expect(s().doc).toBe(before);
    expect(s().connectionProblem({ source: ids[3]!, target: ids[3]!, targetSlot: 0 })).toMatch(/cannot feed itself/);
    const add = s().addNode('add', { x: 0, y: 200 })!;
    expect(s().connect({ source: ids[1]!, target: add, targetSlot: 0 })).toBe(true);
    expect(s().connectionProblem({ source: add, target: ids[1]!, targetSlot: 0 })).toMatch(/cycle/);
    expect(s().connectionProblem({ source: ids[4]!, target: add, targetSlot: 1 })).toMatch(/Output is the end/);
    expect(s().connectionProblem({ source: ids[2]!, target: ids[0]!, targetSlot: 0 })).toMatch(/takes no inputs/);
    s().undo();
    s().undo();
    expect(s().doc).toBe(before);
  });

  it('gives a merge layer the next free slot and renumbers its inputs when one is deleted', () => {
    const store = createGraphStore();
    const s = store.getState;
    const a = s().addNode('dense', { x: 0, y: 0 })!;
    const b = s().addNode('dense', { x: 0, y: 100 })!;
    const c = s().addNode('dense', { x: 0, y: 200 })!;
    const add = s().addNode('add', { x: 200, y: 0 })!;
    for (const src of [a, b, c]) s().connect({ source: src, target: add, targetSlot: 0 });
    expect(s().doc.edges.map((e) => e.targetSlot)).toEqual([0, 1, 2]);
    s().remove([b]);
    expect(s().doc.edges.map((e) => [e.source, e.targetSlot])).toEqual([[a, 0], [c, 1]]);
  });

  it('a whole drag is one undo step; undo and redo walk the history', () => {
    const { s, ids } = buildMlp();
    const start = s().doc;
    s().beginGesture();
    for (let k = 1; k <= 30; k++) s().moveNodes(new Map([[ids[1]!, { x: 200 + k, y: k }]]));
    s().endGesture();
    expect(s().doc.nodes[1]!.position).toEqual({ x: 230, y: 30 });
    s().undo();
    expect(s().doc).toBe(start);
    s().redo();
    expect(s().doc.nodes[1]!.position).toEqual({ x: 230, y: 30 });
  });

  it('a multi-delete is one step, and a new edit clears the redo stack', () => {
    const { s, ids } = buildMlp();
    s().select({ nodes: [ids[1]!, ids[2]!] });
    s().removeSelected();
    expect(s().doc.nodes).toHaveLength(3);
    expect(s().doc.edges).toHaveLength(1);
    s().undo();
    expect(s().doc.nodes).toHaveLength(5);
    expect(s().doc.edges).toHaveLength(4);
    s().addNode('tanh', { x: 0, y: 0 });
    expect(s().future).toHaveLength(0);
  });

  it('copy and paste make fresh ids, keep internal edges, offset positions and are one step', () => {
    const { s, ids } = buildMlp();
    s().select({ nodes: [ids[1]!, ids[2]!] });
    const text = s().copy()!;
    expect(JSON.parse(text).format).toBe('gradflow.model');
    const steps = s().past.length;
    expect(s().paste(text)).toBe(true);
    expect(s().past).toHaveLength(steps + 1);
    const doc = s().doc;
    expect(doc.nodes).toHaveLength(7);
    expect(new Set(doc.nodes.map((n) => n.id)).size).toBe(7);
    const pasted = doc.nodes.slice(5);
    expect([...s().selection.nodes]).toEqual(pasted.map((n) => n.id));
    expect(pasted[0]!.position).toEqual({ x: doc.nodes[1]!.position.x + 40, y: 40 });
    const newEdges = doc.edges.slice(4);
    expect(newEdges).toHaveLength(1);
    expect(newEdges[0]).toMatchObject({ source: pasted[0]!.id, target: pasted[1]!.id });
    s().duplicate();
    expect(s().doc.nodes).toHaveLength(9);
  });

  it('refuses pasted text that is not a model, saying what is wrong, and keeps the graph', () => {
    const { s } = buildMlp();
    const before = s().doc;
    expect(s().paste('hello')).toBe(false);
    expect(s().notice?.text).toMatch(/does not hold Gradflow layers/);
    expect(s().paste(JSON.stringify({ format: 'gradflow.model', version: 1, nodes: [{ id: 'a' }], edges: [] }))).toBe(false);
    expect(s().notice?.text).toMatch(/nodes\[0\]\.type/);
    expect(s().doc).toBe(before);
  });

  it('refuses a parameter value out of bounds with the reason and keeps the old value', () => {
    const { s, ids } = buildMlp();
    expect(s().setParam(ids[1]!, 'units', 0)).toMatch(/Units must be at least 1, got 0/);
    expect(s().doc.nodes[1]!.params.units).toBe(32);
    expect(s().setParam(ids[1]!, 'units', 64)).toBeNull();
    expect(s().doc.nodes[1]!.params.units).toBe(64);
  });

  it('keeps at most HISTORY_LIMIT undo steps', () => {
    const store = createGraphStore();
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) store.getState().addNode('relu', { x: i, y: 0 });
    expect(store.getState().past).toHaveLength(HISTORY_LIMIT);
  });

  it('a document survives the round trip through a model file exactly', () => {
    const { s } = buildMlp();
    s().setTraining({ learningRate: 0.003, dataset: 'circles' });
    const text = serializeModel(toModelDefinition(s().doc));
    const again = fromModelDefinition(JSON.parse(text));
    expect(serializeModel(toModelDefinition(again))).toBe(text);
    expect(again.nodes.map((n) => n.position)).toEqual(s().doc.nodes.map((n) => n.position));
    expect(again.training.learningRate).toBe(0.003);
  });
});

describe('adding a layer from a dropped connection', () => {
  it('adds and wires it in one undo step, either direction', () => {
    const store = createGraphStore();
    const s = store.getState;
    const input = s().addNode('input', { x: 0, y: 0 })!;
    const out = s().addNode('output', { x: 600, y: 0 })!;
    const steps = s().past.length;
    const dense = s().addNode('dense', { x: 200, y: 0 }, { source: input })!;
    expect(s().doc.edges).toEqual([{ id: expect.any(String), source: input, target: dense, targetSlot: 0 }]);
    const relu = s().addNode('relu', { x: 400, y: 0 }, { target: out, targetSlot: 0 })!;
    expect(s().doc.edges[1]).toMatchObject({ source: relu, target: out, targetSlot: 0 });
    expect(s().past).toHaveLength(steps + 2);
    s().undo();
    expect(s().doc.nodes.map((n) => n.id)).not.toContain(relu);
    expect(s().doc.edges).toHaveLength(1);
  });
});
