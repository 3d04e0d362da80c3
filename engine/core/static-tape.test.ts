import { describe, expect, it } from 'vitest';
import { Rng } from './rng';
import { Tape } from './tape';
import { countAllocations } from '../testing/alloc';
import { cnn, lstm, mlp, type ReferenceModel } from '../testing/reference-models';
import { createOptimizer, type OptimizerConfig } from '../optim';
import { dropout } from '../ops/dropout';
import { batchNorm, batchNormState } from '../ops/batchnorm';
import { layerNorm } from '../ops/layernorm';
import { matmul } from '../ops/matmul';
import { relu } from '../ops/unary';
import { softmaxCrossEntropy } from '../losses/losses';
import { mean } from '../ops/reduce';

/** One training step as the trainer runs it: forward, backward, optimizer update. */
function trainStep(tape: Tape, model: Pick<ReferenceModel, 'loss'>, optimizer: { step(): void }): void {
  tape.forward();
  tape.backward(model.loss);
  optimizer.step();
}

/** A model with the ops that carry state or randomness: dropout, batch norm, layer norm. */
function regularizedMlp(tape: Tape, rng: Rng): ReferenceModel {
  const input = tape.input('x', [6]);
  const target = tape.input('target', []);
  const w1 = tape.param('w1', [6, 8]);
  const g = tape.param('gamma', [8], new Array(8).fill(1));
  const b = tape.param('beta', [8]);
  const w2 = tape.param('w2', [8, 3]);
  const lg = tape.param('ln_gamma', [3], [1, 1, 1]);
  const lb = tape.param('ln_beta', [3]);
  for (const w of [w1, w2]) for (let i = 0; i < w.value.length; i++) w.value[i] = rng.range(-0.5, 0.5);
  let h = batchNorm(tape, matmul(tape, input, w1), g, b, batchNormState(8));
  h = dropout(tape, relu(tape, h), 0.3);
  h = layerNorm(tape, matmul(tape, h, w2), lg, lb);
  const loss = softmaxCrossEntropy(tape, h, target);
  mean(tape, h); // an extra reduction that nothing depends on: runs forward and backward too
  return {
    input, target, loss, params: tape.params,
    fillBatch(r) {
      for (let i = 0; i < input.size; i++) input.value[i] = r.range(-1, 1);
      for (let i = 0; i < tape.batch; i++) target.value[i] = r.int(3);
    },
    tfLoss() { throw new Error('not used'); },
  };
}

const models: [string, (t: Tape, r: Rng) => ReferenceModel, OptimizerConfig][] = [
  ['MLP with SGD + momentum', (t, r) => mlp(t, [4, 16, 16, 3], 'tanh', r), { kind: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true }],
  ['CNN with Adam and clipping', (t, r) => cnn(t, r, 12, 4), { kind: 'adam', learningRate: 0.01, clipNorm: 1 }],
  ['LSTM with RMSprop and L2', (t, r) => lstm(t, r, 5, 2, 4), { kind: 'rmsprop', learningRate: 0.01, l2: 1e-4 }],
  ['BatchNorm + dropout + LayerNorm with AdamW', regularizedMlp, { kind: 'adamw', learningRate: 0.01 }],
];

describe('the static tape', () => {
  it.each(models)('%s: 50 training steps, including smaller final batches, allocate no typed arrays', (_, make, config) => {
    const rng = new Rng(5);
    const tape = new Tape({ maxBatch: 8, seed: 5 });
    const model = make(tape, rng);
    const optimizer = createOptimizer(tape.params, config);
    const buffersBefore = tape.bufferElements;
    model.fillBatch(rng);
    trainStep(tape, model, optimizer); // warm-up step (not needed for correctness, keeps the count honest for JIT)
    const allocations = countAllocations(() => {
      for (let step = 0; step < 50; step++) {
        tape.setBatch(step % 10 === 9 ? 3 : 8); // every tenth batch is a short final batch
        trainStep(tape, model, optimizer);
      }
    });
    expect(allocations).toBe(0);
    expect(tape.bufferElements).toBe(buffersBefore);
    expect(Number.isFinite(model.loss.value[0]!)).toBe(true);
  });

  it('the allocation counter does see an allocation inside a step', () => {
    const rng = new Rng(5);
    const tape = new Tape({ maxBatch: 4 });
    const model = mlp(tape, [2, 3, 2], 'tanh', rng);
    model.fillBatch(rng);
    const leaky = { step: () => void new Float32Array(1) };
    expect(countAllocations(() => trainStep(tape, model, leaky))).toBe(1);
  });

  it('a short batch gives the same loss and gradients as a tape built for that batch', () => {
    const build = (maxBatch: number) => {
      const tape = new Tape({ maxBatch });
      const model = mlp(tape, [3, 5, 2], 'tanh', new Rng(9));
      return { tape, model };
    };
    const big = build(8);
    const small = build(3);
    big.tape.setBatch(3);
    const data = new Rng(2);
    small.model.fillBatch(data);
    big.model.input.value.set(small.model.input.value);
    big.model.target.value.set(small.model.target.value);
    for (const { tape, model } of [big, small]) {
      tape.forward();
      tape.backward(model.loss);
    }
    expect(big.model.loss.value[0]).toBe(small.model.loss.value[0]);
    big.model.params.forEach((p, i) => expect(Array.from(p.grad)).toEqual(Array.from(small.model.params[i]!.grad)));
  });

  it('keeps every intermediate gradient readable after backward', () => {
    const tape = new Tape({ maxBatch: 4 });
    const x = tape.input('x', [3], { requiresGrad: true });
    const w = tape.param('w', [3, 2], [1, 2, 3, 4, 5, 6]);
    const h = matmul(tape, x, w);
    const y = relu(tape, h);
    const target = tape.input('target', []);
    const loss = softmaxCrossEntropy(tape, y, target);
    x.value.set([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
    target.value.set([0, 1, 0, 1]);
    tape.forward();
    tape.backward(loss);
    for (const v of [x, h, y]) expect(v.grad.some((g) => g !== 0)).toBe(true);
    // dL/dh = dL/dy where h > 0 (all positive here), so the two intermediate gradients agree.
    expect(Array.from(h.grad)).toEqual(Array.from(y.grad));
  });

  it('refuses a batch larger than it was built for', () => {
    const tape = new Tape({ maxBatch: 4 });
    expect(() => tape.setBatch(5)).toThrow('batch 5 is outside 1..4');
  });
});
