import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile } from './compile';
import { buildPlan } from './plan';
import { arbitraryGraph } from '../testing/arbitraries';
import { mnistInfo, sineInfo, spiralInfo, xorInfo } from './fixtures';
import type { GraphSpec } from './types';

const datasets = [spiralInfo, mnistInfo, sineInfo, xorInfo];

/** Valid MLPs for the spiral: input → (dense k → activation)* → dense 3 → output. */
const validMlp: fc.Arbitrary<GraphSpec> = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom('relu', 'tanh', 'sigmoid', 'gelu', 'elu', 'leaky_relu', 'dropout', 'batchnorm', 'layernorm')), { maxLength: 4 })
  .map((hidden) => {
    const layers: { type: string; params: Record<string, unknown> }[] = [{ type: 'input', params: {} }];
    for (const [units, act] of hidden) layers.push({ type: 'dense', params: { units } }, { type: act, params: {} });
    layers.push({ type: 'dense', params: { units: 3 } }, { type: 'output', params: {} });
    return {
      nodes: layers.map((l, i) => ({ id: `n${i}`, ...l })),
      edges: layers.slice(1).map((_, i) => ({ id: `e${i}`, source: `n${i}`, target: `n${i + 1}`, targetSlot: 0 })),
    };
  });

describe('compile on random graphs (fast-check)', () => {
  it('never throws, and every issue names a node or edge that exists (1,200 graphs)', () => {
    fc.assert(
      fc.property(arbitraryGraph, fc.constantFrom(...datasets), (graph, dataset) => {
        const c = compile(graph, dataset);
        const nodeIds = new Set(graph.nodes.map((n) => n.id));
        const edgeIds = new Set(graph.edges.map((e) => e.id));
        for (const issue of c.issues) {
          const named = (issue.nodeId !== undefined && nodeIds.has(issue.nodeId)) || (issue.edgeId !== undefined && edgeIds.has(issue.edgeId));
          expect(named, issue.message).toBe(true);
          expect(issue.message.length).toBeGreaterThan(10);
        }
        // An ok graph really builds and runs.
        if (c.ok && graph.nodes.length > 0) {
          const plan = buildPlan(graph, dataset, { maxBatch: 2, seed: 1 });
          plan.tape.forward();
          plan.tape.backward(plan.loss);
        }
      }),
      { numRuns: 1200, seed: 20261126 },
    );
  });

  it('compiles, builds and trains one step on every valid random MLP (300 graphs)', () => {
    fc.assert(
      fc.property(validMlp, (graph) => {
        const c = compile(graph, spiralInfo);
        expect(c.issues).toEqual([]);
        const plan = buildPlan(graph, spiralInfo, { maxBatch: 4, seed: 1 });
        plan.input.value.fill(0.5);
        plan.target.value.set([0, 1, 2, 1]);
        plan.tape.forward();
        plan.tape.backward(plan.loss);
        expect(Number.isFinite(plan.loss.value[0]!)).toBe(true);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
