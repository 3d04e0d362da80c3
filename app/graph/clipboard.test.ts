import { describe, expect, it } from 'vitest';
import { readModelText, writeModelText } from '../persistence/model-text';
import { spiralDocument } from '../persistence/test-fixtures';
import { parseClipboard, pasteModel } from './clipboard';

describe('pasting a model the loader accepts into a graph', () => {
  /** Layers whose ids name built-ins of every object, one of them placed past the canvas' edge. */
  const hostile = JSON.stringify({
    format: 'gradflow.model',
    version: 1,
    nodes: ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'].map((id) => ({ id, type: 'tanh' })),
    edges: [{ id: 'e', source: 'constructor', target: 'toString' }],
    layout: { constructor: { x: 1e308, y: 20 }, valueOf: { x: 5, y: -1e308 } },
  });

  it("leaves a graph that saves and loads again with the user's own layers where they were", () => {
    const mine = spiralDocument();
    const parsed = parseClipboard(hostile);
    if (!parsed.ok) throw new Error(parsed.reason);
    const { doc, nodeIds } = pasteModel(mine, parsed.model, { x: 40, y: 40 });
    expect(nodeIds).toHaveLength(5);
    for (const n of doc.nodes) {
      expect(Number.isFinite(n.position.x) && Number.isFinite(n.position.y), `${n.id} at ${JSON.stringify(n.position)}`).toBe(true);
    }

    const reloaded = readModelText(writeModelText(doc));
    if (!reloaded.ok) throw new Error(`the next reload would set the graph aside: ${reloaded.problems.join('; ')}`);
    expect(reloaded.doc.nodes).toHaveLength(mine.nodes.length + 5);
    expect(reloaded.doc.nodes.slice(0, mine.nodes.length)).toEqual(mine.nodes);
    expect(reloaded.doc.edges).toHaveLength(mine.edges.length + 1);
  });

  it('a layer placed past the edge lands at the edge, shifted like the others', () => {
    const parsed = parseClipboard(hostile);
    if (!parsed.ok) throw new Error(parsed.reason);
    const { doc, nodeIds } = pasteModel(spiralDocument(), parsed.model, { x: 40, y: 40 });
    const at = (i: number) => doc.nodes.find((n) => n.id === nodeIds[i])!.position;
    expect(at(0)).toEqual({ x: 1_000_000, y: 60 }); // 1e308 brought to the edge; the offset cannot go past it
    expect(at(2)).toEqual({ x: 45, y: -999_960 });
  });
});
