import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { branched, chain, mnistInfo, sineInfo, spiralInfo, xorInfo } from './fixtures';
import type { CompiledGraph } from './types';

const errorsOf = (c: CompiledGraph) => c.issues.filter((i) => i.severity === 'error');
const messages = (c: CompiledGraph) => errorsOf(c).map((i) => i.message);

describe('compile: valid graphs', () => {
  it('infers shapes, parameter counts and a Keras-like summary for an MLP', () => {
    const c = compile(chain({ type: 'dense', params: { units: 16 } }, { type: 'relu' }, { type: 'dense', params: { units: 3 } }), spiralInfo);
    expect(c.ok).toBe(true);
    expect(c.issues).toEqual([]);
    expect(c.summary.rows.map((r) => [r.name, r.shape, r.params])).toEqual([
      ['input_1', [2], 0],
      ['dense_1', [16], 2 * 16 + 16],
      ['relu_1', [16], 0],
      ['dense_2', [3], 16 * 3 + 3],
      ['output_1', [3], 0],
    ]);
    expect(c.summary.totalParams).toBe(99);
    expect(c.edges.get('e1')!.shape).toEqual([2]);
    expect(c.lossKind).toBe('cross_entropy');
  });

  it('counts a CNN like Keras does', () => {
    const c = compile(chain(
      { type: 'conv2d', params: { filters: 8, kernelSize: [3, 3], padding: 'same' } },
      { type: 'maxpool2d' },
      { type: 'conv2d', params: { filters: 16, kernelSize: [3, 3], padding: 'valid' } },
      { type: 'maxpool2d' },
      { type: 'flatten' },
      { type: 'dense', params: { units: 10 } },
    ), mnistInfo);
    expect(c.ok).toBe(true);
    // Keras: conv 3·3·1·8+8 = 80; conv 3·3·8·16+16 = 1168; 28→14→12→6: 6·6·16 = 576; dense 576·10+10 = 5770.
    expect(c.summary.rows.map((r) => r.params)).toEqual([0, 80, 0, 1168, 0, 0, 5770, 0]);
    expect(c.summary.rows.map((r) => r.shape)).toEqual([[28, 28, 1], [28, 28, 8], [14, 14, 8], [12, 12, 16], [6, 6, 16], [576], [10], [10]]);
  });

  it('lets Dense act per time step on a sequence-shaped tensor', () => {
    const c = compile(chain({ type: 'reshape', params: { targetShape: [4, 7] } }, { type: 'dense', params: { units: 5 } }, { type: 'flatten' }, { type: 'dense', params: { units: 10 } }), { ...mnistInfo, inputShape: [28] });
    expect(c.ok).toBe(true);
    expect(c.nodes.get('n2')!.shape).toEqual([4, 5]);
  });

  it('picks the loss from the dataset: MSE for regression, BCE for one binary unit', () => {
    expect(compile(chain({ type: 'dense', params: { units: 1 } }), sineInfo).lossKind).toBe('mse');
    expect(compile(chain({ type: 'dense', params: { units: 1 } }), xorInfo).lossKind).toBe('binary_cross_entropy');
    expect(compile(chain({ type: 'dense', params: { units: 2 } }), xorInfo).lossKind).toBe('cross_entropy');
  });

  it('compiles branches, fan-out and a three-way Add', () => {
    const c = compile(branched(), spiralInfo);
    expect(c.ok).toBe(true);
    expect(c.nodes.get('sum')!.inputs).toEqual(['e_ta', 'e_db', 'e_skip']);
  });
});

describe('compile: every problem at once, in words a learner understands', () => {
  it('reports a shape mismatch at an Add with the fix, on the node and on the edge', () => {
    const g = branched();
    (g.nodes.find((n) => n.id === 'db')!.params as Record<string, unknown>).units = 32;
    const c = compile(g, spiralInfo);
    expect(c.ok).toBe(false);
    expect(messages(c)).toContain('Add needs inputs of one shape, but gets 8 and 32 — make both layers 8 units.');
    expect(errorsOf(c).some((i) => i.edgeId === 'e_db')).toBe(true);
  });

  it('suggests the missing Flatten when an image reaches a Dense', () => {
    const c = compile(chain({ type: 'dense', params: { units: 10 } }), mnistInfo);
    const issue = errorsOf(c).find((i) => i.nodeId === 'n1')!;
    expect(issue.message).toBe('Dense acts on the last axis, but gets an image-shaped 28×28×1 tensor.');
    expect(issue.fix).toContain('Add a Flatten before this Dense');
  });

  it('says how many units the last layer needs for the classes', () => {
    const c = compile(chain({ type: 'dense', params: { units: 16 } }), spiralInfo);
    const issue = errorsOf(c).find((i) => i.nodeId === 'n2')!;
    expect(issue.message).toBe('The output gets 16 values per sample, but Spiral has 3 classes.');
    expect(issue.fix).toBe('Make the last Dense 3 units.');
  });

  it('reports a cycle with its path, and nothing is thrown', () => {
    const g = chain({ type: 'dense', params: { units: 4 } }, { type: 'relu' }, { type: 'dense', params: { units: 3 } });
    const c = compile({ nodes: [...g.nodes, { id: 'x', type: 'add' }], edges: [
      { id: 'd', source: 'n0', target: 'x', targetSlot: 1 }, { id: 'loop', source: 'x', target: 'n1', targetSlot: 0 },
      { id: 'b', source: 'n1', target: 'n2' }, { id: 'c', source: 'n2', target: 'x', targetSlot: 0 },
      { id: 'f', source: 'n2', target: 'n3' }, { id: 'g', source: 'n3', target: 'n4' },
    ] }, spiralInfo);
    expect(c.ok).toBe(false);
    const loop = errorsOf(c).filter((i) => i.edgeId && i.message.startsWith('This connection closes a loop'));
    expect(loop.length).toBeGreaterThan(0);
    expect(loop.find((i) => i.edgeId === 'loop')!.message).toBe('This connection closes a loop: add_1 → dense_1 → relu_1 → add_1.');
  });

  it('finds several unrelated problems in one graph', () => {
    const g = chain({ type: 'dense', params: { units: 0 } }, { type: 'blorp' }, { type: 'dense', params: { unit: 3 } });
    const c = compile(g, spiralInfo);
    const text = messages(c).join('\n');
    expect(text).toContain('Units: must be at least 1, got 0');
    expect(text).toContain("Unknown layer type 'blorp'.");
    expect(text).toContain("Dense has no parameter 'unit' — did you mean 'units'?");
    expect(errorsOf(c).length).toBeGreaterThanOrEqual(3);
  });

  it('reports a missing input, a missing output and an occupied slot', () => {
    const c = compile({ nodes: [{ id: 'a', type: 'dense', params: { units: 3 } }], edges: [] }, spiralInfo);
    expect(messages(c)).toContain('The network has no Input: add an Input node and connect it to the first layer.');
    expect(messages(c)).toContain('Nothing reaches an Output: connect the last layer to an Output node, which holds the loss.');
    const g = chain({ type: 'dense', params: { units: 3 } });
    const twice = compile({ nodes: g.nodes, edges: [...g.edges, { id: 'dup', source: 'n0', target: 'n1', targetSlot: 0 }] }, spiralInfo);
    expect(errorsOf(twice).find((i) => i.edgeId === 'dup')!.message).toBe('Input 1 of dense_1 already has a connection.');
  });

  it('warns about a layer that does not lead to the output', () => {
    const g = chain({ type: 'dense', params: { units: 3 } });
    const c = compile({ nodes: [...g.nodes, { id: 'lost', type: 'relu' }], edges: [...g.edges, { id: 'el', source: 'n1', target: 'lost' }] }, spiralInfo);
    expect(c.ok).toBe(true);
    expect(c.issues).toEqual([expect.objectContaining({ severity: 'warning', nodeId: 'lost' })]);
  });

  it('tells what a Conv2D needs when it gets flat features', () => {
    const c = compile(chain({ type: 'conv2d' }, { type: 'flatten' }, { type: 'dense', params: { units: 10 } }), { ...mnistInfo, inputShape: [784] });
    const issue = errorsOf(c).find((i) => i.nodeId === 'n1')!;
    expect(issue.message).toBe('Conv2D needs an image (height×width×channels), but gets 784.');
    expect(issue.fix).toBe('Add a Reshape to 28×28×1 before it.');
  });
});
