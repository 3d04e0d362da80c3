import { describe, expect, it } from 'vitest';
import { LAYERS, getLayer } from './registry';
import { checkValue, defaultParams } from './params';
import { LAYER_CATEGORIES, type LayerDef } from './types';
import { Tape } from '../core/tape';
import { Rng } from '../core/rng';
import { initialize } from '../init/initializers';
import type { Shape } from '../core/shape';
import type { DatasetInfo } from '../data/types';

const dataset: DatasetInfo = { id: 't', name: 'Test', task: 'multiclass', inputShape: [6, 6, 2], targetShape: [], numClasses: 4, vocabSize: 7, count: 10 };

/** An input each layer accepts with its default parameters. */
function typicalInputs(layer: LayerDef): Shape[] {
  if (layer.inputs.max === 0) return [];
  if (['conv2d', 'maxpool2d', 'avgpool2d', 'global_avgpool'].includes(layer.type)) return [[6, 6, 2]];
  if (layer.type === 'output') return [[4]];
  if (layer.type === 'reshape') return [[12]];
  if (layer.type === 'embedding') return [[5]]; // token ids (zeros: in the vocabulary)
  if (layer.inputs.min >= 2) return [[5], [5], [5]].slice(0, Math.max(2, layer.inputs.min));
  return [[3, 5]];
}

describe('layer registry', () => {
  it('lists each type once, each with a category, a label and a one-line description', () => {
    expect(new Set(LAYERS.map((l) => l.type)).size).toBe(LAYERS.length);
    for (const l of LAYERS) {
      expect(LAYER_CATEGORIES).toContain(l.category);
      expect(l.label.length).toBeGreaterThan(1);
      expect(l.description.length, l.type).toBeGreaterThan(8);
      expect(l.description.length, l.type).toBeLessThan(60);
      expect(getLayer(l.type)).toBe(l);
    }
  });

  it.each(LAYERS.map((l) => [l.type, l] as const))('%s: every parameter has a label, help text and a default inside its own bounds', (_, layer) => {
    for (const [name, spec] of Object.entries(layer.params)) {
      expect(spec.label.length, name).toBeGreaterThan(0);
      expect(spec.help.length, name).toBeGreaterThan(10);
      expect(checkValue(spec, spec.default), name).toBeNull();
    }
  });

  it.each(LAYERS.filter((l) => l.type !== 'output').map((l) => [l.type, l] as const))('%s: build produces exactly the shape infer promises, with the promised parameter count', (_, layer) => {
    const params = defaultParams(layer.params);
    const inputs = typicalInputs(layer);
    const shape = layer.infer(inputs, params, { dataset });
    expect(Array.isArray(shape) && (shape.length === 0 || typeof shape[0] === 'number'), JSON.stringify(shape)).toBe(true);
    const tape = new Tape({ maxBatch: 3 });
    const rng = new Rng(1);
    const vars = inputs.map((s, i) => tape.input(`in${i}`, s));
    const dataInput = tape.input('x', dataset.inputShape);
    let created = 0;
    const out = layer.build({
      tape, rng, dataset, nodeId: 'n', nextActivation: undefined, dataInput, target: tape.input('y', []), inputTypes: [], onReset: () => {}, buffer: () => {}, expose: () => {},
      param: (name, s, init) => {
        const v = tape.param(name, s);
        initialize(v.value, s, init, rng);
        created += v.value.length;
        return v;
      },
    }, vars, params);
    expect(out.shape.slice(1)).toEqual(shape);
    expect(created).toBe(layer.paramCount?.(inputs, params, { dataset }) ?? 0);
    tape.forward();
    expect(out.value.every(Number.isFinite)).toBe(true);
  });
});

describe('layer facts: each stated in its own module (no reader keeps a list of type names)', () => {
  it('exactly one layer reads the dataset and exactly one holds the loss', () => {
    expect(LAYERS.filter((l) => l.role === 'input').map((l) => l.type)).toEqual(['input']);
    expect(LAYERS.filter((l) => l.role === 'output').map((l) => l.type)).toEqual(['output']);
  });

  it.each(LAYERS.map((l) => [l.type, l] as const))('%s: states the facts its kind of layer needs', (_, layer) => {
    // The role agrees with the shape of the module: the Input takes no edges, only the Output builds a loss.
    expect(layer.role === 'input', 'role input ⇔ no inputs').toBe(layer.inputs.max === 0);
    expect(layer.role === 'output', 'role output ⇔ buildLoss').toBe(layer.buildLoss !== undefined);
    // Activations say how they treat the signal: the initializer, the dead-unit readout and the gradient advice read it.
    if (layer.category === 'Activations') {
      expect(layer.activation, 'activation facts').toBeDefined();
      expect(['relu-like', 'saturating', 'distribution']).toContain(layer.activation!.kind);
      expect(['he', 'glorot', 'lecun']).toContain(layer.activation!.suggestedInit);
      expect(typeof layer.activation!.canDie).toBe('boolean');
    } else {
      expect(layer.activation, 'only activation layers carry activation facts').toBeUndefined();
    }
    // Normalization & regularization layers say whether they normalize (the advice does not suggest adding what is there).
    if (layer.category === 'Normalization & Regularization') expect(typeof layer.normalizes, 'normalizes').toBe('boolean');
    else expect(layer.normalizes).toBeUndefined();
  });

  it('the ReLU family asks for He init and sigmoid, tanh and softmax for Glorot; only ReLU itself leaves units dead', () => {
    const facts = Object.fromEntries(LAYERS.filter((l) => l.activation).map((l) => [l.type, l.activation]));
    expect(facts).toEqual({
      relu: { kind: 'relu-like', suggestedInit: 'he', canDie: true },
      leaky_relu: { kind: 'relu-like', suggestedInit: 'he', canDie: false },
      elu: { kind: 'relu-like', suggestedInit: 'he', canDie: false },
      gelu: { kind: 'relu-like', suggestedInit: 'he', canDie: false },
      sigmoid: { kind: 'saturating', suggestedInit: 'glorot', canDie: false },
      tanh: { kind: 'saturating', suggestedInit: 'glorot', canDie: false },
      softmax: { kind: 'distribution', suggestedInit: 'glorot', canDie: false },
    });
    expect(LAYERS.filter((l) => l.normalizes).map((l) => l.type).sort()).toEqual(['batchnorm', 'layernorm']);
  });

  it('normalization layers count their scale and shift as weights (the inspector shows weight statistics for them)', () => {
    for (const type of ['batchnorm', 'layernorm']) {
      const layer = getLayer(type)!;
      expect(layer.paramCount?.([[3, 5]], defaultParams(layer.params), { dataset }), type).toBe(10);
    }
  });
});
