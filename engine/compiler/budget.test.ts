import { Arena } from '../core/arena';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeBuiltinDataset } from '../data';
import type { DatasetInfo } from '../data/types';
import { parseModel } from '../model';
import { createOptimizer } from '../optim';
import { bytesAllocated } from '../testing/alloc';
import { compactCount, MODEL_BUDGET } from './budget';
import { compile } from './compile';
import { chain, mnistInfo } from './fixtures';
import { Plan } from './plan';
import type { GraphSpec } from './types';

const errorsOf = (graph: GraphSpec, dataset: DatasetInfo) => compile(graph, dataset).issues.filter((i) => i.severity === 'error');

/** Conv2D (1×1, same) → Flatten → Dense → Dense 10: every layer within its own limits. */
const wideHead = (filters: number, units: number) =>
  chain(
    { type: 'conv2d', params: { filters, kernelSize: [1, 1], padding: 'same' } },
    { type: 'flatten' },
    { type: 'dense', params: { units } },
    { type: 'dense', params: { units: 10 } },
  );

describe('the size budget', () => {
  it("refuses the issue's 102.8M-parameter model, with the numbers and the Dense that holds them", () => {
    const errors = errorsOf(wideHead(32, 4096), mnistInfo);
    expect(errors).toEqual([
      {
        severity: 'error',
        nodeId: 'n3',
        message: 'The model has 102.8M parameters; Gradflow trains at most 20M in the browser. dense_1 (Dense) holds 102.8M of them.',
        fix: 'Give it fewer units, or make its input smaller (pooling or a strided Conv2D before the Flatten).',
      },
    ]);
  });

  it('refuses 1.6 billion parameters the same way, without allocating them', () => {
    const [error] = errorsOf(wideHead(512, 4096), mnistInfo);
    expect(error).toMatchObject({ nodeId: 'n3', message: 'The model has 1.6B parameters; Gradflow trains at most 20M in the browser. dense_1 (Dense) holds 1.6B of them.' });
  });

  it('refuses a model whose buffers at the batch size are over the memory budget, naming the layer and suggesting a smaller batch', () => {
    // 28×28×512 activations with patches of 3·3·512: few parameters, a lot of memory per sample.
    const graph = chain(
      { type: 'conv2d', params: { filters: 512, kernelSize: [3, 3] } },
      { type: 'conv2d', params: { filters: 512, kernelSize: [3, 3] } },
      { type: 'global_avgpool' },
      { type: 'dense', params: { units: 10 } },
    );
    const small = compile({ ...graph, training: { batchSize: 1 } }, mnistInfo);
    expect(small.ok).toBe(true);
    const large = compile({ ...graph, training: { batchSize: 64 } }, mnistInfo);
    expect(large.ok).toBe(false);
    const error = large.issues.find((i) => i.severity === 'error')!;
    expect(error.nodeId).toBe('n2');
    expect(error.message).toMatch(/^Training this model needs about \d+(\.\d)? GB of memory at batch size 64; Gradflow trains models of at most 1\.5 GB in the browser\. conv2d_2 \(Conv2D\) takes \d+(\.\d)? GB of it\.$/);
    expect(error.fix).toBe('Give it fewer filters, or make the image smaller before it (pooling, or strides of 2). Or train with a smaller batch size.');
    expect(large.size.bytes).toBeGreaterThan(MODEL_BUDGET.bufferBytes);
  });

  it('a count just over the limit does not read as the limit', () => {
    // 784·4096 + 4096 + 4096·4096 + 4096 + 4096·10 + 10: over the limit by 37,642, "20.0M" when rounded.
    const [error] = errorsOf(chain({ type: 'flatten' }, { type: 'dense', params: { units: 4096 } }, { type: 'dense', params: { units: 4096 } }, { type: 'dense', params: { units: 10 } }), mnistInfo);
    expect(error!.message).toMatch(/^The model has 20,037,642 parameters; Gradflow trains at most 20M/);
  });

  it('says counts compactly', () => {
    expect([950, 52_138, 102_764_544, 1_644_301_312].map(compactCount)).toEqual(['950', '52.1K', '102.8M', '1.6B']);
  });
});

const examples = join(process.cwd(), 'examples');
const exampleModels = readdirSync(examples)
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const parsed = parseModel(readFileSync(join(examples, f), 'utf8'));
    if (!parsed.ok) throw new Error(`${f}: ${parsed.errors[0]!.message}`);
    const { training } = parsed.model;
    return { file: f, model: parsed.model, dataset: describeBuiltinDataset(training.dataset, { ...training.datasetOptions, seed: training.seed }) };
  });

describe('every example is well within the budget', () => {
  it.each(exampleModels)('$file', ({ model, dataset }) => {
    const compiled = compile(model, dataset);
    expect(compiled.issues.filter((i) => i.severity === 'error')).toEqual([]);
    // The limits are chosen far above what the shipped examples need.
    expect(compiled.size.params).toBeLessThan(MODEL_BUDGET.params / 50);
    expect(compiled.size.bytes).toBeLessThan(MODEL_BUDGET.bufferBytes / 50);
  });
});

/** Estimated bytes, and the bytes building the plan and an Adam optimizer for it allocates. */
function estimatedAndAllocated(graph: GraphSpec, dataset: DatasetInfo, batchSize: number): { estimated: number; allocated: number } {
  const compiled = compile({ ...graph, training: { batchSize } }, dataset);
  expect(compiled.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const allocated = bytesAllocated(() => {
    // On the JS heap: the arena whose buffers the constructors count (a WebAssembly arena's views allocate nothing).
    const plan = new Plan(compiled, dataset, { maxBatch: batchSize, seed: 1, arena: Arena.js() });
    createOptimizer(plan.params, { kind: 'adam', learningRate: 0.01 });
  });
  return { estimated: compiled.size.bytes, allocated };
}

const classes = (inputShape: number[], extra: Partial<DatasetInfo> = {}): DatasetInfo => ({ id: 't', name: 'T', task: 'multiclass', inputShape, targetShape: [], numClasses: 3, count: 100, ...extra });
const datasets = {
  image: classes([32, 32, 3]),
  sequence: classes([24, 16]),
  features: classes([256]),
  tokens: classes([24], { vocabSize: 50 }),
};

/** Input → the layer (fed `fan` times) → Flatten → Dense 3 → Output. */
function around(type: string, params: Record<string, unknown>, fan = 1): GraphSpec {
  const edges = [{ id: 'f', source: 'x', target: 'flat' }, { id: 'd', source: 'flat', target: 'head' }, { id: 'o', source: 'head', target: 'out' }];
  for (let slot = 0; slot < fan; slot++) edges.push({ id: `in${slot}`, source: 'in', target: 'x', targetSlot: slot } as never);
  return { nodes: [{ id: 'in', type: 'input' }, { id: 'x', type, params }, { id: 'flat', type: 'flatten' }, { id: 'head', type: 'dense', params: { units: 3 } }, { id: 'out', type: 'output' }], edges };
}

describe("the estimate is what building the plan allocates (the matrix kernel's shared packing buffers grown beforehand)", () => {
  // The packing buffers grow once per process to the largest product so far; grown here, what
  // follows allocates only the plan's own buffers, which the estimate must cover without
  // overstating them much (it counts the packs once more).
  beforeAll(() => void estimatedAndAllocated(around('conv2d', { filters: 64 }), classes([64, 64, 16]), 64));

  it.each(exampleModels)('$file', ({ model, dataset }) => {
    const { estimated, allocated } = estimatedAndAllocated(model, dataset, model.training.batchSize);
    expect(estimated / allocated).toBeGreaterThan(0.9);
    expect(estimated / allocated).toBeLessThan(1.4);
  });

  it.each([
    ['dense', 'features', { units: 256 }],
    ['dense', 'sequence', { units: 64, useBias: false }],
    ['flatten', 'image', {}],
    ['relu', 'features', {}],
    ['conv2d', 'image', { filters: 16 }],
    ['conv2d', 'image', { filters: 16, kernelSize: [1, 1] }],
    ['conv2d', 'image', { filters: 8, strides: [2, 2], padding: 'valid', kernelSize: [5, 5] }],
    ['maxpool2d', 'image', {}],
    ['batchnorm', 'image', {}],
    ['layernorm', 'sequence', {}],
    ['dropout', 'features', {}],
    ['embedding', 'tokens', { outputDim: 32 }],
    ['positional_encoding', 'sequence', {}],
    ['rnn', 'sequence', { units: 32 }],
    ['rnn', 'sequence', { units: 32, returnSequences: true, useBias: false }],
    ['lstm', 'sequence', { units: 32 }],
    ['lstm', 'sequence', { units: 32, returnSequences: true }],
    ['gru', 'sequence', { units: 32 }],
    ['gru', 'sequence', { units: 32, returnSequences: true }],
    ['attention', 'sequence', {}],
    ['attention', 'sequence', { causal: false, numHeads: 3, keyDim: 5, useBias: false }],
  ] as const)('%s on %s data, %j', (type, data, params) => {
    const { estimated, allocated } = estimatedAndAllocated(around(type, params), datasets[data], 32);
    expect(estimated / allocated).toBeGreaterThan(0.9);
    expect(estimated / allocated).toBeLessThan(1.4);
  });

  it.each([2, 3])('add of %i inputs', (fan) => {
    const { estimated, allocated } = estimatedAndAllocated(around('add', {}, fan), datasets.features, 32);
    expect(estimated / allocated).toBeGreaterThan(0.9);
    expect(estimated / allocated).toBeLessThan(1.4);
  });
});
