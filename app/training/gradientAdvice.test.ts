import { describe, expect, it } from 'vitest';
import { compile } from '../../engine/compiler/compile';
import { chain, spiralInfo } from '../../engine/compiler/fixtures';
import { gradientHealth } from './edgeColors';
import { gradientPath, healthAdvice, type GradientPath } from './gradientAdvice';

const training: { learningRate: number; clipNorm?: number } = { learningRate: 0.5 };

/** input → dense → act → dense → act → dense → act → dense → output: edges e1..e8. */
function stack(activation: string, params: Record<string, unknown> = {}) {
  const layers = [1, 2, 3].flatMap(() => [{ type: 'dense', params: { units: 8, ...params } }, { type: activation }]);
  return compile(chain(...layers, { type: 'dense', params: { units: 3 } }), spiralInfo);
}

/** The flag and its advice for an edge of a graph, as the canvas and the inspector build them. */
function adviceFor(graph: ReturnType<typeof compile>, edgeId: string, rms: number, reference: number, settings = training): string | null {
  const reading = gradientHealth(rms, reference);
  return reading && healthAdvice(reading, gradientPath(graph, edgeId, settings));
}

describe('gradient health flags print only finite ratios', () => {
  it('no flag (and so no ratio text) when the edge or the loss side reads zero or a non-finite number', () => {
    for (const [rms, reference] of [[0, 1e-2], [1e-9, 0], [Infinity, 1e-2], [1e-5, Infinity], [NaN, 1e-2], [1e-5, NaN], [-1e-5, 1e-2], [undefined, 1e-2], [1e-5, undefined], [1e-300, 1e300], [1e300, 1e-300]] as const) {
      expect(gradientHealth(rms, reference), `${rms} vs ${reference}`).toBeNull();
    }
  });

  it('flags vanishing (100× below the loss side) and exploding (100× above) with the ratio', () => {
    expect(gradientHealth(1e-5, 1e-2)).toEqual({ health: 'vanishing', ratio: expect.closeTo(1e-3, 9) });
    expect(gradientHealth(2e-4, 1e-2)).toBeNull();
    expect(gradientHealth(2, 1e-2)).toEqual({ health: 'exploding', ratio: expect.closeTo(200, 6) });
    expect(gradientHealth(0.2, 1e-2)).toBeNull();
  });
});

describe('gradient advice fits the graph', () => {
  it('an all-ReLU network is not told to replace sigmoid or tanh, but about dead units, the learning rate and normalization', () => {
    const graph = stack('relu');
    const text = adviceFor(graph, 'e2', 1e-6, 1e-2)!;
    expect(text).toMatch(/^Vanishing gradient: 1\/1e4 of the gradient at the loss\./);
    expect(text).not.toMatch(/sigmoid|tanh/i);
    expect(text).toMatch(/dead units/);
    expect(text).toMatch(/learning rate than 0\.5/);
    expect(text).toMatch(/BatchNorm or LayerNorm/);
    expect(text).not.toMatch(/Infinity|NaN/);
  });

  it('a sigmoid or tanh stack is told that its saturating activations starve the gradient, naming them', () => {
    const sigmoid = adviceFor(stack('sigmoid'), 'e2', 1e-6, 1e-2)!;
    expect(sigmoid).toMatch(/passes through Sigmoid layers, whose slope is at most 1 and near 0 where they saturate/);
    expect(sigmoid).toMatch(/Try ReLU or Leaky ReLU instead of Sigmoid\./);
    const tanh = adviceFor(stack('tanh'), 'e2', 1e-6, 1e-2)!;
    expect(tanh).toMatch(/instead of Tanh\./);
    expect(tanh).not.toMatch(/dead units/);
    const mixed = compile(chain({ type: 'dense', params: { units: 8 } }, { type: 'tanh' }, { type: 'dense', params: { units: 8 } }, { type: 'sigmoid' }, { type: 'dense', params: { units: 3 } }), spiralInfo);
    expect(adviceFor(mixed, 'e1', 1e-6, 1e-2)).toMatch(/through Tanh and Sigmoid layers.*instead of Tanh or Sigmoid\./);
  });

  it('only counts the layers between the edge and the loss: a sigmoid before the edge did not shrink its gradient', () => {
    const graph = compile(chain({ type: 'dense', params: { units: 8 } }, { type: 'sigmoid' }, { type: 'dense', params: { units: 8 } }, { type: 'relu' }, { type: 'dense', params: { units: 3 } }), spiralInfo);
    // e4: dense_2 → relu; Sigmoid sits before it.
    const path = gradientPath(graph, 'e4', training);
    expect(path.saturating).toEqual([]);
    expect(path.canDie).toEqual(['ReLU']);
    expect(gradientPath(graph, 'e2', training).saturating).toEqual(['Sigmoid']);
  });

  it('names a fixed-scale initializer on the way and does not offer normalization that is already there', () => {
    const graph = compile(chain({ type: 'dense', params: { units: 8, kernelInitializer: 'normal' } }, { type: 'batchnorm' }, { type: 'relu' }, { type: 'dense', params: { units: 3 } }), spiralInfo);
    const path = gradientPath(graph, 'e1', training);
    expect(path).toMatchObject({ normalized: true, fixedInits: ['Normal (σ 0.05)'], weightedLayers: 2 });
    const text = healthAdvice({ health: 'vanishing', ratio: 1e-3 }, path);
    expect(text).toMatch(/fixed small scale \(Normal \(σ 0\.05\)\).*Weight init to Auto/);
    expect(text).not.toMatch(/BatchNorm or LayerNorm/);
  });

  it('exploding: a lower learning rate (with its value), clipping and normalization', () => {
    const text = adviceFor(stack('relu'), 'e2', 3, 1e-2)!;
    expect(text).toMatch(/^Exploding gradient: 300× the gradient at the loss\./);
    expect(text).toMatch(/a lower learning rate \(now 0\.5\)/);
    expect(text).toMatch(/Clip the gradient/);
    expect(text).toMatch(/BatchNorm or LayerNorm/);
    const clipped = adviceFor(stack('relu'), 'e2', 3, 1e-2, { learningRate: 0.05, clipNorm: 5 })!;
    expect(clipped).toMatch(/now 0\.05/);
    expect(clipped).toMatch(/Clip harder \(the clip norm is 5\)/);
    expect(clipped).toMatch(/BatchNorm or LayerNorm/);
    const normalized = compile(chain({ type: 'dense', params: { units: 8 } }, { type: 'layernorm' }, { type: 'relu' }, { type: 'dense', params: { units: 3 } }), spiralInfo);
    expect(adviceFor(normalized, 'e1', 3, 1e-2)).not.toMatch(/BatchNorm or LayerNorm/);
  });

  it('offers a residual connection only on a deep path, and always says something to try', () => {
    expect(adviceFor(stack('relu'), 'e1', 1e-6, 1e-2)).toMatch(/residual connection/);
    const shallow: GradientPath = { saturating: [], canDie: [], normalized: true, fixedInits: [], weightedLayers: 1, learningRate: 0.01, clipNorm: undefined };
    const text = healthAdvice({ health: 'vanishing', ratio: 0.001 }, shallow);
    expect(text).not.toMatch(/residual|sigmoid|BatchNorm/i);
    expect(text).toMatch(/update-to-weight ratio.*now 0\.01/);
  });
});
