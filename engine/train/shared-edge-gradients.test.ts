import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPlan, createPlan } from '../compiler/plan';
import { edgeSharesGradient } from '../compiler/budget';
import { compile } from '../compiler/compile';
import { branched, spiralInfo } from '../compiler/fixtures';
import { loadExample, readDatasetFile } from '../testing/files';
import { createTrainingRun } from './run';
import { Trainer } from './trainer';

const examples = readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.json')).sort();

describe('an edge that is its source’s only reader shares the source’s gradient buffer', () => {
  it('shares on a chain, not on a fan-out (whose edges each keep dL/dx through them) nor on the Input’s edge', () => {
    const plan = buildPlan(branched(), spiralInfo, { maxBatch: 4, seed: 1 });
    const compiled = compile(branched(), spiralInfo);
    for (const e of plan.edges) {
      const source = plan.nodes.find((n) => n.id === e.source)!.output!;
      const shared = e.tensor!.grad === source.grad;
      expect(shared, e.id).toBe(edgeSharesGradient(compiled, e.id));
      const fanOut = plan.edges.filter((o) => o.source === e.source).length;
      if (fanOut > 1 || plan.nodes.find((n) => n.id === e.source)!.type === 'input') expect(shared, e.id).toBe(false);
    }
    expect(plan.edges.some((e) => e.tensor!.grad === plan.nodes.find((n) => n.id === e.source)!.output!.grad)).toBe(true);
    expect(plan.edges.some((e) => e.tensor!.grad !== plan.nodes.find((n) => n.id === e.source)!.output!.grad)).toBe(true);
  });

  for (const file of examples) {
    it(`${file}: trains bit for bit as with a gradient buffer per edge: losses, parameter and edge gradients`, async () => {
      const model = loadExample(file);
      const ref = await createTrainingRun(model, readDatasetFile);
      const build = (shareEdgeGradients: boolean) => {
        const plan = createPlan(ref.plan.compiled, ref.split.info, { maxBatch: ref.plan.tape.maxBatch, seed: model.training.seed, shareEdgeGradients });
        return { plan, trainer: new Trainer(plan, ref.split, model.training) };
      };
      const shared = build(true);
      const own = build(false);
      // Fewer buffers: one gradient less per single-reader edge.
      const sharing = shared.plan.edges.filter((e, i) => e.tensor && e.tensor.grad !== own.plan.edges[i]!.tensor!.grad && edgeSharesGradient(ref.plan.compiled, e.id) && e.tensor.grad.length > 0);
      expect(sharing.length).toBeGreaterThan(0);
      expect(shared.plan.tape.bufferElements).toBeLessThan(own.plan.tape.bufferElements);
      for (let step = 1; step <= 3; step++) {
        // x + 0 is x: adding an edge's gradient into a zeroed source gradient changed no bit.
        expect(shared.trainer.trainStep().loss, `loss at step ${step}`).toBe(own.trainer.trainStep().loss);
        shared.plan.params.forEach((p, i) => expect(Array.from(p.grad), p.name).toEqual(Array.from(own.plan.params[i]!.grad)));
        shared.plan.edges.forEach((e, i) => {
          const t = e.tensor;
          if (!t || t.grad.length === 0) return;
          expect(Array.from(t.grad.subarray(0, t.size)), e.id).toEqual(Array.from(own.plan.edges[i]!.tensor!.grad.subarray(0, t.size)));
        });
      }
    }, 120_000);
  }
});
