import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { Tape } from '../core/tape';
import { cnn, lstm, mlp, type ReferenceModel } from './reference-models';
import { mismatch, tf, tfReady } from './oracle';

// Three models built from our primitives against the same models in TF.js, with the same weights
// and data: the loss must agree to rtol 1e-5 and every parameter gradient to rtol 1e-3, atol 1e-6
// (long float32 reductions in a different order differ in the last bits).

beforeAll(tfReady);

function compare(name: string, make: (tape: Tape, rng: Rng) => ReferenceModel, maxBatch: number, batch: number): void {
  const rng = new Rng(11);
  const tape = new Tape({ maxBatch, seed: 11 });
  const model = make(tape, rng);
  tape.setBatch(batch);
  model.fillBatch(rng);
  tape.forward();
  tape.backward(model.loss);

  const result = tf.tidy(() => {
    const params = model.params.map((p) => tf.variable(tf.tensor(p.value, p.shape as number[])));
    const x = tf.tensor(model.input.value.slice(0, model.input.size), model.input.currentShape());
    const y = tf.tensor(model.target.value.slice(0, model.target.size), model.target.currentShape());
    const { value, grads } = tf.variableGrads(() => model.tfLoss(tf, params, x, y), params);
    return { loss: value.dataSync()[0]!, grads: params.map((p) => grads[p.name]!.dataSync() as Float32Array) };
  });

  expect(model.loss.value[0]!, `${name} loss`).toBeCloseTo(result.loss, 4);
  expect(Math.abs(model.loss.value[0]! - result.loss) / Math.abs(result.loss)).toBeLessThan(1e-5);
  model.params.forEach((p, i) => {
    expect(mismatch(p.grad, result.grads[i]!, 1e-3, 1e-6), `${name}: gradient of ${p.name}`).toBeNull();
    // A gradient that is all zeros would match trivially; these models have signal everywhere.
    expect(p.grad.some((g) => g !== 0), `${name}: ${p.name} has a gradient`).toBe(true);
  });
}

describe('reference models against TF.js (same weights, same data)', () => {
  it('MLP 2-16-16-3 tanh, at a batch smaller than the tape was built for', () => {
    compare('mlp', (t, r) => mlp(t, [2, 16, 16, 3], 'tanh', r), 8, 5);
  });
  it('MLP 20-32-10 relu', () => {
    compare('mlp relu', (t, r) => mlp(t, [20, 32, 10], 'relu', r), 6, 6);
  });
  it('CNN conv+relu → maxpool → conv+relu → maxpool → dense on 12×12 images', () => {
    compare('cnn', (t, r) => cnn(t, r, 12, 4), 4, 3);
  });
  it('LSTM cell unrolled over 6 steps', () => {
    compare('lstm', (t, r) => lstm(t, r, 6, 2, 5), 4, 4);
  });
});
