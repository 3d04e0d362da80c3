/**
 * fast-check generators shared by the property tests: random layer graphs (the compiler's fuzzer),
 * valid model files, and the hostile corners of the format a file may still legally hold — node ids
 * that name built-ins of every JavaScript object, and canvas coordinates at the edge of what a
 * double can hold. A test helper, never imported by the app.
 */
import fc from 'fast-check';
import { LAYER_TYPES } from '../layers/registry';
import type { GraphSpec } from '../compiler/types';
import { OPTIMIZERS } from '../model/schema';

/** Parameter values of every kind, valid and not (NaN and null included). */
const fuzzParamValue = fc.oneof(
  fc.integer({ min: -3, max: 40 }),
  fc.double({ noNaN: false }),
  fc.constantFrom('same', 'valid', 'auto', 'mse', 'he_normal', 'nonsense', ''),
  fc.boolean(),
  fc.array(fc.integer({ min: -2, max: 30 }), { maxLength: 5 }),
  fc.constant(null),
);
const fuzzParamName = fc.constantFrom('units', 'rate', 'filters', 'kernelSize', 'strides', 'padding', 'poolSize', 'targetShape', 'axis', 'alpha', 'loss', 'useBias', 'kernelInitializer', 'momentum', 'epsilon', 'bogus');

/** Arbitrary graphs: any layer types (and unknown ones), any parameters, edges between any ids (repeated ones too). */
export const arbitraryGraph: fc.Arbitrary<GraphSpec> = fc
  .record({
    nodes: fc.array(
      fc.record({
        id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'),
        type: fc.oneof(fc.constantFrom(...LAYER_TYPES), fc.constantFrom('conv3d', '', 'Dense')),
        params: fc.dictionary(fuzzParamName, fuzzParamValue, { maxKeys: 3 }),
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

/** -0 is saved as 0 by JSON.stringify, so it cannot survive a save; the canvas never produces it anyway. */
export const finite = (range: { min?: number; max?: number; minExcluded?: boolean; maxExcluded?: boolean } = {}) =>
  fc.double({ ...range, noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v));

/**
 * Keys every object inherits (and `__proto__`, which an assignment turns into a prototype): a
 * lookup by `record[id]` finds a function or an object where there is no entry.
 */
export const BUILT_IN_KEYS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'toLocaleString', '__proto__', '__defineGetter__'] as const;

/** Node ids: short strings, and often the names of built-ins. */
export const nodeId = fc.oneof({ arbitrary: fc.string({ minLength: 1, maxLength: 6 }), weight: 3 }, fc.constantFrom(...BUILT_IN_KEYS));

/** Canvas coordinates a file may hold: ordinary ones, and the extremes of a double (which a careless ×10 turns into Infinity). */
export const coordinate = fc.oneof(
  { arbitrary: finite({ min: -5000, max: 5000 }), weight: 3 },
  finite(),
  fc.constantFrom(1e308, -1e308, Number.MAX_VALUE, -Number.MAX_VALUE, 1.7e307, 1e16, -1e7, 1e6 + 0.05, Number.MIN_VALUE, -0, 0.05, -0.05, 0.15),
);

/** The dataset options the schema checks; a generated "other" option must not take their names. */
const KNOWN_OPTIONS = { noise: true, count: true, seqLength: true, distance: true };

const paramValue = fc.oneof(finite(), fc.string({ maxLength: 8 }), fc.boolean(), fc.array(finite(), { maxLength: 4 }));

export const training = fc.record(
  {
    dataset: fc.string({ minLength: 1, maxLength: 8 }),
    datasetOptions: fc
      .tuple(
        fc.record(
          {
            noise: finite({ min: 0, max: 1 }),
            count: fc.integer({ min: 10, max: 100_000 }),
            seqLength: fc.integer({ min: 2, max: 256 }),
            distance: fc.integer({ min: 1, max: 100 }),
          },
          { requiredKeys: [] },
        ),
        fc.dictionary(fc.string({ maxLength: 6 }), finite(), { maxKeys: 3 }),
      )
      .map(([known, others]) => ({ ...Object.fromEntries(Object.entries(others).filter(([k]) => !Object.hasOwn(KNOWN_OPTIONS, k))), ...known })),
    optimizer: fc.constantFrom(...OPTIMIZERS),
    learningRate: finite({ min: 0, max: 10, minExcluded: true }),
    batchSize: fc.integer({ min: 1, max: 4096 }),
    epochs: fc.integer({ min: 1, max: 10_000 }),
    testFraction: finite({ min: 0, max: 0.9 }),
    seed: fc.maxSafeInteger(),
    l2: finite({ min: 0 }),
    clipNorm: finite({ min: 0, minExcluded: true }),
    momentum: finite({ min: 0, max: 1, maxExcluded: true }),
  },
  { requiredKeys: [] },
);

/** An object with these entries as own properties (`__proto__` included, as JSON.parse makes it). */
function ownEntries<T>(entries: readonly (readonly [string, T])[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/** A layout for `ids` (some of them, and a stale entry), with any coordinates. */
const layoutFor = (ids: readonly string[]) =>
  fc
    .uniqueArray(fc.tuple(fc.constantFrom(...ids, 'stale'), fc.record({ x: coordinate, y: coordinate })), { selector: ([id]) => id, maxLength: ids.length + 1 })
    .map(ownEntries);

/**
 * Models that are valid by construction: unique ids (built-in names among them), edges between
 * existing nodes, one edge per input slot, a layout with any coordinates.
 */
export const validModel = fc.uniqueArray(nodeId, { maxLength: 6 }).chain((nodeIds) =>
  fc.record(
    {
      format: fc.constant('gradflow.model'),
      version: fc.constant(1),
      name: fc.string({ maxLength: 12 }),
      description: fc.string({ maxLength: 12 }),
      nodes: fc.tuple(
        ...nodeIds.map((id) =>
          fc.record(
            { id: fc.constant(id), type: fc.string({ minLength: 1, maxLength: 8 }), label: fc.string({ maxLength: 8 }), params: fc.dictionary(fc.string({ maxLength: 6 }), paramValue, { maxKeys: 4 }) },
            { requiredKeys: ['id', 'type'] },
          ),
        ),
      ),
      edges:
        nodeIds.length < 2
          ? fc.constant([])
          : fc
              .uniqueArray(
                fc.record({ id: nodeId, source: fc.constantFrom(...nodeIds), target: fc.constantFrom(...nodeIds), targetSlot: fc.nat(3) }),
                { selector: (e) => `${e.target}\u0000${e.targetSlot}`, maxLength: 8 },
              )
              .map((edges) => edges.filter((e, i) => e.source !== e.target && edges.findIndex((f) => f.id === e.id) === i)),
      training,
      layout: nodeIds.length === 0 ? fc.constant({}) : layoutFor(nodeIds),
    },
    { requiredKeys: ['format', 'version', 'nodes', 'edges'] },
  ),
);

/**
 * A fuzzer graph as a model file: its nodes renamed to built-in names and the like, a layout with
 * any coordinates, and what a file cannot hold taken out so that the loader accepts most of them
 * (empty types, repeated node ids, edges to missing nodes or into taken slots; NaN, ±Infinity and null
 * parameters, which JSON writes as null; -0, which it writes as 0).
 */
export const fuzzedModel = arbitraryGraph.chain((graph) => {
  const nodes = graph.nodes.filter((n, i) => n.type !== '' && graph.nodes.findIndex((m) => m.id === n.id) === i);
  const ids = nodes.map((n) => n.id);
  const names = fc.shuffledSubarray([...BUILT_IN_KEYS, 'n1', 'n2', 'a b', 'Ω'], { minLength: ids.length, maxLength: ids.length });
  return fc.tuple(names, ids.length === 0 ? fc.constant({}) : layoutFor(ids)).map(([names, layout]) => {
    const rename = new Map(ids.map((id, i) => [id, names[i]!]));
    const slots = new Set<string>();
    const edgeIds = new Set<string>();
    const edges = graph.edges.flatMap((e) => {
      const source = rename.get(e.source);
      const target = rename.get(e.target);
      const targetSlot = e.targetSlot ?? 0;
      const slot = `${target}\u0000${targetSlot}`;
      if (source === undefined || target === undefined || source === target || targetSlot < 0 || slots.has(slot) || edgeIds.has(e.id)) return [];
      slots.add(slot);
      edgeIds.add(e.id);
      return [{ id: e.id, source, target, targetSlot }];
    });
    return {
      format: 'gradflow.model',
      version: 1,
      nodes: nodes.map((n) => ({ id: rename.get(n.id)!, type: n.type, params: jsonParams(n.params ?? {}) })),
      edges,
      layout: ownEntries(Object.entries(layout).map(([id, at]) => [rename.get(id) ?? id, at] as const)),
    };
  });
});

function jsonParams(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const held = Object.entries(params).flatMap(([name, value]) => {
    if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return [];
    return [[name, value === 0 ? 0 : value] as const];
  });
  return Object.fromEntries(held);
}
