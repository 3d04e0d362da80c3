import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseModel, parseModelObject, serializeModel, type LoadResult } from './load';
import { OPTIMIZERS } from './schema';

const RUNS = { numRuns: 1000 };

/** Whatever the input, the loader answers with a result, and every error says where and what. */
function expectWellFormed(result: LoadResult): void {
  if (result.ok) {
    expect(result.model.format).toBe('gradflow.model');
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const { path, message } of result.errors) {
    expect(message.length).toBeGreaterThan(path.length);
    if (path !== '') expect(message.startsWith(`${path}: `)).toBe(true);
  }
}

/** -0 is saved as 0 by JSON.stringify, so it cannot survive a save; the canvas never produces it anyway. */
const finite = (range: { min?: number; max?: number; minExcluded?: boolean; maxExcluded?: boolean } = {}) =>
  fc.double({ ...range, noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v));
const id = fc.string({ minLength: 1, maxLength: 6 });

/** The dataset options the schema checks; a generated "other" option must not take their names. */
const KNOWN_OPTIONS = { noise: true, count: true, seqLength: true, distance: true };

const paramValue = fc.oneof(finite(), fc.string({ maxLength: 8 }), fc.boolean(), fc.array(finite(), { maxLength: 4 }));

const training = fc.record(
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

/** Models that are valid by construction: unique ids, edges between existing nodes, one edge per input slot. */
const validModel = fc.uniqueArray(id, { maxLength: 6 }).chain((nodeIds) =>
  fc.record(
    {
      format: fc.constant('gradflow.model'),
      version: fc.constant(1),
      name: fc.string({ maxLength: 12 }),
      description: fc.string({ maxLength: 12 }),
      nodes: fc.tuple(
        ...nodeIds.map((nodeId) =>
          fc.record(
            { id: fc.constant(nodeId), type: fc.string({ minLength: 1, maxLength: 8 }), label: fc.string({ maxLength: 8 }), params: fc.dictionary(fc.string({ maxLength: 6 }), paramValue, { maxKeys: 4 }) },
            { requiredKeys: ['id', 'type'] },
          ),
        ),
      ),
      edges:
        nodeIds.length < 2
          ? fc.constant([])
          : fc
              .uniqueArray(
                fc.record({ id, source: fc.constantFrom(...nodeIds), target: fc.constantFrom(...nodeIds), targetSlot: fc.nat(3) }),
                { selector: (e) => `${e.target}\u0000${e.targetSlot}`, maxLength: 8 },
              )
              .map((edges) => edges.filter((e, i) => e.source !== e.target && edges.findIndex((f) => f.id === e.id) === i)),
      training,
      layout: fc.dictionary(fc.constantFrom(...nodeIds, 'stale'), fc.record({ x: finite(), y: finite() }), { maxKeys: 6 }),
    },
    { requiredKeys: ['format', 'version', 'nodes', 'edges'] },
  ),
);

/** Objects shaped roughly like a model, so that the checks behind the format/version gate get garbage too. */
const almostModel = fc.record(
  {
    format: fc.oneof({ arbitrary: fc.constant('gradflow.model'), weight: 9 }, fc.jsonValue()),
    version: fc.oneof({ arbitrary: fc.constantFrom(0, 1), weight: 8 }, fc.constantFrom(2, -1, 0.5), fc.jsonValue()),
    nodes: fc.oneof(fc.array(fc.oneof(fc.record({ id: fc.oneof(id, fc.jsonValue()), type: fc.jsonValue(), params: fc.jsonValue() }, { requiredKeys: [] }), fc.jsonValue()), { maxLength: 4 }), fc.jsonValue()),
    edges: fc.oneof(
      fc.array(
        fc.oneof(
          fc.record({ id: fc.jsonValue(), source: fc.oneof(id, fc.jsonValue()), target: fc.oneof(id, fc.jsonValue()), targetSlot: fc.jsonValue(), from: fc.jsonValue(), to: fc.jsonValue(), slot: fc.jsonValue() }, { requiredKeys: [] }),
          fc.jsonValue(),
        ),
        { maxLength: 4 },
      ),
      fc.jsonValue(),
    ),
    training: fc.oneof(training, fc.jsonValue(), fc.dictionary(fc.constantFrom('learningRate', 'batchSize', 'datasetOptions', 'optimizer'), fc.jsonValue())),
    lr: fc.jsonValue(),
    layout: fc.oneof(fc.dictionary(id, fc.jsonValue()), fc.jsonValue()),
  },
  { requiredKeys: [] },
);

/** A valid model with one value somewhere inside replaced by junk (or removed). */
const damagedModel = fc.tuple(validModel, fc.nat(), fc.option(fc.jsonValue(), { nil: undefined })).map(([model, pick, junk]) => {
  const copy = jsonClone(model) as unknown;
  const places: [Record<string, unknown>, string][] = [];
  const collect = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      places.push([value as Record<string, unknown>, key]);
      collect(inner);
    }
  };
  collect(copy);
  const place = places[pick % places.length];
  if (place) {
    const [parent, key] = place;
    if (junk === undefined) delete parent[key];
    else parent[key] = junk;
  }
  return copy;
});

describe('the loader never throws', () => {
  it('for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (json) => expectWellFormed(parseModelObject(json))), RUNS);
  });

  it('for model-shaped garbage, as text and as an object', () => {
    fc.assert(
      fc.property(almostModel, (json) => {
        expectWellFormed(parseModelObject(json));
        expectWellFormed(parseModel(JSON.stringify(json)));
      }),
      RUNS,
    );
  });

  it('for valid models with one value damaged', () => {
    fc.assert(fc.property(damagedModel, (json) => expectWellFormed(parseModelObject(json))), RUNS);
  });

  it('for any text, JSON or not', () => {
    fc.assert(fc.property(fc.oneof(fc.json(), fc.string(), fc.string({ unit: 'binary' })), (text) => expectWellFormed(parseModel(text))), RUNS);
  });

  it('for JavaScript values JSON cannot hold', () => {
    const odd = fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true });
    fc.assert(fc.property(fc.oneof(odd, fc.record({ format: fc.constant('gradflow.model'), version: fc.constant(1), nodes: odd, edges: odd, training: odd, layout: odd })), (json) => expectWellFormed(parseModelObject(json))), RUNS);
  });
});

describe('valid models', () => {
  it('load, and survive save -> load unchanged', () => {
    fc.assert(
      fc.property(validModel, (json) => {
        const first = parseModelObject(json);
        if (!first.ok) throw new Error(`a valid model was refused:\n${first.errors.map((e) => e.message).join('\n')}`);
        const text = serializeModel(first.model);
        const again = parseModel(text);
        expect(again).toStrictEqual({ ok: true, model: first.model, warnings: [] });
        expect(serializeModel(first.model)).toBe(text);
      }),
      RUNS,
    );
  });
});

function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
