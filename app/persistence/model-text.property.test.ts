import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzedModel, validModel } from '../../engine/testing/arbitraries';
import { readModelText, writeCheckedModelText, writeModelText } from './model-text';

/**
 * What the app saves must load again: autosave writes the document back on every edit, and the
 * next reload sets aside a save it cannot read — the whole graph. So for any text the loader
 * accepts, the document it gives saves, and that save loads as the same document and saves as the
 * same text. The models come with node ids that name built-ins (`constructor`, `__proto__`, …) and
 * coordinates up to ±1.8e308.
 */
function expectRoundTrip(model: unknown): boolean {
  const first = readModelText(JSON.stringify(model));
  if (!first.ok) return false; // the loader refused it: nothing to save
  const text = writeModelText(first.doc);
  const again = readModelText(text);
  if (!again.ok) throw new Error(`a loaded document saved as text that does not load:\n${again.problems.join('\n')}`);
  // toEqual, not toStrictEqual: its type check reads `.constructor`, which a params record may own.
  expect(again.doc).toEqual(first.doc);
  expect(again.doc.nodes.map((n) => n.position)).toEqual(first.doc.nodes.map((n) => n.position));
  expect(writeModelText(again.doc)).toBe(text);
  expect(writeCheckedModelText(first.doc)).toEqual({ ok: true, text });
  return true;
}

describe('save → load → save, over documents the loader accepts', () => {
  it('valid models with hostile ids and coordinates (1,000)', () => {
    fc.assert(
      fc.property(validModel, (model) => {
        expect(expectRoundTrip(model)).toBe(true);
      }),
      { numRuns: 1000, seed: 17 },
    );
  });

  it("the compiler fuzzer's graphs, renamed to built-ins and laid out anywhere (1,000)", () => {
    let accepted = 0;
    fc.assert(
      fc.property(fuzzedModel, (model) => {
        if (expectRoundTrip(model)) accepted++;
      }),
      { numRuns: 1000, seed: 20261126 },
    );
    // Most are accepted, so the property is not met by refusals.
    expect(accepted).toBeGreaterThan(900);
  });

  it('a node keeps its saved position, and one without gets a place of its own, whatever its id', () => {
    const placed = ['__proto__', 'plain'];
    const unplaced = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];
    const text = JSON.stringify({
      format: 'gradflow.model',
      version: 1,
      nodes: [...placed, ...unplaced].map((id) => ({ id, type: 'relu' })),
      edges: [],
      // As a file arrives: JSON.parse makes `__proto__` an ordinary key.
      layout: JSON.parse('{"__proto__": {"x": 100, "y": -50}, "plain": {"x": 300, "y": 0.25}}') as unknown,
    });
    const read = readModelText(text);
    if (!read.ok) throw new Error(read.problems.join('; '));
    expect(read.doc.nodes.map((n) => [n.id, n.position])).toEqual([
      ['__proto__', { x: 100, y: -50 }],
      ['plain', { x: 300, y: 0.3 }],
      ...unplaced.map((id, i) => [id, { x: i * 220, y: 0 }]),
    ]);
    const again = readModelText(writeModelText(read.doc));
    expect(again.ok && again.doc.nodes.map((n) => n.position)).toEqual(read.doc.nodes.map((n) => n.position));
  });

  it('a coordinate beyond the canvas is brought to its edge, with a warning, and saves as a number', () => {
    const text = JSON.stringify({ format: 'gradflow.model', version: 1, nodes: [{ id: 'a', type: 'tanh' }], edges: [], layout: { a: { x: 1e308, y: -1e308 } } });
    const read = readModelText(text);
    expect(read.ok && read.doc.nodes[0]!.position).toEqual({ x: 1_000_000, y: -1_000_000 });
    expect(read.ok && read.warnings).toEqual([
      'layout.a.x: 1e+308 is off the canvas (which reaches ±1,000,000); the node was placed at 1000000',
      'layout.a.y: -1e+308 is off the canvas (which reaches ±1,000,000); the node was placed at -1000000',
    ]);
    expect(read.ok && writeModelText(read.doc)).toContain('"x": 1000000');
  });
});
