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
      tape, rng, dataset, nodeId: 'n', nextActivation: undefined, dataInput, target: tape.input('y', []), inputTypes: [], onReset: () => {}, expose: () => {},
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
