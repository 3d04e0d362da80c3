import { describe, expect, it } from 'vitest';
import { describeValue, formatPath, modelIssue } from './errors';

describe('formatPath', () => {
  it.each<[PropertyKey[], string]>([
    [[], ''],
    [['training', 'learningRate'], 'training.learningRate'],
    [['nodes', 2, 'params'], 'nodes[2].params'],
    [['layout', 'dense-1', 'x'], 'layout["dense-1"].x'],
    [['layout', '', 'x'], 'layout[""].x'],
    [['layout', 'say "hi"'], 'layout["say \\"hi\\""]'],
    [[0, 'a'], '[0].a'],
  ])('%j -> %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('describeValue', () => {
  it.each<[unknown, string]>([
    ['dense_1', "'dense_1'"],
    ['two\nlines', "'two\\nlines'"],
    ['x'.repeat(60), `'${'x'.repeat(39)}…'`],
    [-1, '-1'],
    [Number.NaN, 'NaN'],
    [true, 'true'],
    [null, 'null'],
    [undefined, 'nothing'],
    [[1, 'x'], '[1,"x"]'],
    [{ a: 1 }, '{"a":1}'],
    [Array.from({ length: 30 }, (_, i) => i), '[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,…'],
    [[1n], 'a list'],
  ])('%s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  it('copes with a cyclic object', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('an object');
  });
});

describe('modelIssue', () => {
  it('starts the message with the path, unless the issue is about the whole file', () => {
    expect(modelIssue(['edges', 0, 'target'], "no node has id 'n9'")).toEqual({ path: 'edges[0].target', message: "edges[0].target: no node has id 'n9'" });
    expect(modelIssue([], 'the file is empty')).toEqual({ path: '', message: 'the file is empty' });
  });
});
