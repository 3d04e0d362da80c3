import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile } from './compile';
import { buildPlan } from './plan';
import { LAYER_TYPES } from '../layers/registry';
import { mnistInfo, sineInfo, spiralInfo, xorInfo } from './fixtures';
import type { GraphSpec } from './types';

const datasets = [spiralInfo, mnistInfo, sineInfo, xorInfo];

/** Parameter values of every kind, valid and not. */
const paramValue = fc.oneof(
  fc.integer({ min: -3, max: 40 }),
  fc.double({ noNaN: false }),
  fc.constantFrom('same', 'valid', 'auto', 'mse', 'he_normal', 'nonsense', ''),
  fc.boolean(),
  fc.array(fc.integer({ min: -2, max: 30 }), { maxLength: 5 }),
  fc.constant(null),
);
const paramName = fc.constantFrom('units', 'rate', 'filters', 'kernelSize', 'strides', 'padding', 'poolSize', 'targetShape', 'axis', 'alpha', 'loss', 'useBias', 'kernelInitializer', 'momentum', 'epsilon', 'bogus');

/** Arbitrary graphs: any layer types (and unknown ones), any parameters, edges between any ids. */
const arbitraryGraph: fc.Arbitrary<GraphSpec> = fc
  .record({
    nodes: fc.array(
      fc.record({
        id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'),
        type: fc.oneof(fc.constantFrom(...LAYER_TYPES), fc.constantFrom('conv3d', '', 'Dense')),
        params: fc.dictionary(paramName, paramValue, { maxKeys: 3 }),
      }),
      { maxLength: 9 },
    ),
    edges: fc.array(
      fc.record({
        id: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e10', 'e11'),
        source: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'zz'),
        target: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'zz'),
        targetSlot: fc.integer({ min: -1, max: 3 }),
      }),
      { maxLength: 12 },
    ),
  })
  .map((g) => g as GraphSpec);

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
