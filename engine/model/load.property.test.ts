import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseModel, parseModelObject, serializeModel, type LoadResult } from './load';
import { training, validModel } from '../testing/arbitraries';
import { LAYOUT_REACH } from './schema';

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

const id = fc.string({ minLength: 1, maxLength: 6 });

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
        // toEqual, not toStrictEqual: its type check reads `.constructor`, which a layout keyed by node id may own.
        expect(again).toEqual({ ok: true, model: first.model, warnings: [] });
        expect(again.ok && serializeModel(again.model)).toBe(text);
      }),
      RUNS,
    );
  });
});

describe('layout: node ids that name built-ins, coordinates at the edge of a double', () => {
  it('every position the file gives a node is kept, under its own id, brought within the canvas', () => {
    fc.assert(
      fc.property(validModel, (json) => {
        const loaded = parseModel(JSON.stringify(json)); // as a file arrives: `__proto__` an ordinary key
        if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
        const given = (json.layout ?? {}) as Record<string, { x: number; y: number }>;
        const layout = loaded.model.layout ?? {};
        for (const { id } of loaded.model.nodes) {
          expect(Object.hasOwn(layout, id)).toBe(Object.hasOwn(given, id));
          if (!Object.hasOwn(given, id)) continue;
          const at = layout[id]!;
          for (const axis of ['x', 'y'] as const) {
            const wanted = Math.min(LAYOUT_REACH, Math.max(-LAYOUT_REACH, given[id]![axis]));
            expect(at[axis]).toBe(wanted === 0 ? 0 : wanted);
          }
        }
        expect(Object.keys(layout).every((key) => loaded.model.nodes.some((n) => n.id === key))).toBe(true);
        // Each brought-in coordinate is said, once, with where it was.
        const far = Object.entries(given).filter(([key, at]) => loaded.model.nodes.some((n) => n.id === key) && (Math.abs(at.x) > LAYOUT_REACH || Math.abs(at.y) > LAYOUT_REACH));
        expect(loaded.warnings.filter((w) => w.path.startsWith('layout')).length).toBe(far.reduce((count, [, at]) => count + Number(Math.abs(at.x) > LAYOUT_REACH) + Number(Math.abs(at.y) > LAYOUT_REACH), 0));
      }),
      RUNS,
    );
  });
});

function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
