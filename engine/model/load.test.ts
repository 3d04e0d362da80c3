import { describe, expect, it } from 'vitest';
import { parseModel, parseModelObject, serializeModel, type LoadResult } from './load';
import type { ModelDefinition } from './schema';

/** A saved file exactly as serializeModel writes it. */
const savedFile = `{
  "format": "gradflow.model",
  "version": 1,
  "name": "spiral classifier",
  "description": "two hidden layers",
  "nodes": [
    {
      "id": "in",
      "type": "input",
      "params": {}
    },
    {
      "id": "h1",
      "type": "dense",
      "label": "hidden",
      "params": {
        "activation": "tanh",
        "units": 16,
        "useBias": true
      }
    },
    {
      "id": "out",
      "type": "output",
      "params": {
        "shape": [
          2,
          1
        ]
      }
    }
  ],
  "edges": [
    {
      "id": "e1",
      "source": "in",
      "target": "h1",
      "targetSlot": 0
    },
    {
      "id": "e2",
      "source": "h1",
      "target": "out",
      "targetSlot": 0
    }
  ],
  "training": {
    "dataset": "spiral",
    "datasetOptions": {
      "noise": 0.1,
      "count": 500,
      "arms": 3
    },
    "optimizer": "sgd",
    "learningRate": 0.1,
    "batchSize": 16,
    "epochs": 50,
    "testFraction": 0.25,
    "seed": 7,
    "l2": 0.0001,
    "clipNorm": 5,
    "momentum": 0.9
  },
  "layout": {
    "in": {
      "x": 0,
      "y": 0
    },
    "h1": {
      "x": 200,
      "y": -40.5
    }
  }
}
`;

const defaultTraining = {
  dataset: 'spiral',
  optimizer: 'adam',
  learningRate: 0.03,
  batchSize: 32,
  epochs: 20,
  testFraction: 0.2,
  seed: 42,
  l2: 0,
};

/** A small valid model as JSON, with `patch` applied to its top level. */
function file(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'gradflow.model',
    version: 1,
    nodes: [
      { id: 'n0', type: 'input' },
      { id: 'n1', type: 'dense', params: { units: 4 } },
      { id: 'n2', type: 'add' },
    ],
    edges: [
      { id: 'e0', source: 'n0', target: 'n1' },
      { id: 'e1', source: 'n1', target: 'n2', targetSlot: 0 },
      { id: 'e2', source: 'n0', target: 'n2', targetSlot: 1 },
    ],
    ...patch,
  };
}

function loaded(result: LoadResult): { model: ModelDefinition; warnings: { path: string; message: string }[] } {
  if (!result.ok) throw new Error(`expected the model to load, got:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result;
}

function errorsOf(json: unknown): { path: string; message: string }[] {
  const result = parseModelObject(json);
  if (result.ok) throw new Error('expected the model to be refused');
  return result.errors;
}

describe('a valid version 1 file', () => {
  it('loads with every field as written', () => {
    const { model, warnings } = loaded(parseModel(savedFile));
    expect(warnings).toEqual([]);
    expect(model).toStrictEqual({
      format: 'gradflow.model',
      version: 1,
      name: 'spiral classifier',
      description: 'two hidden layers',
      nodes: [
        { id: 'in', type: 'input', params: {} },
        { id: 'h1', type: 'dense', label: 'hidden', params: { activation: 'tanh', units: 16, useBias: true } },
        { id: 'out', type: 'output', params: { shape: [2, 1] } },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'h1', targetSlot: 0 },
        { id: 'e2', source: 'h1', target: 'out', targetSlot: 0 },
      ],
      training: {
        dataset: 'spiral',
        datasetOptions: { noise: 0.1, count: 500, arms: 3 },
        optimizer: 'sgd',
        learningRate: 0.1,
        batchSize: 16,
        epochs: 50,
        testFraction: 0.25,
        seed: 7,
        l2: 0.0001,
        clipNorm: 5,
        momentum: 0.9,
      },
      layout: { in: { x: 0, y: 0 }, h1: { x: 200, y: -40.5 } },
    });
  });

  it('saves back to the same text, byte for byte', () => {
    expect(serializeModel(loaded(parseModel(savedFile)).model)).toBe(savedFile);
  });

  it('saves the sequence options after noise and count, then the others by name', () => {
    const { model } = loaded(parseModel(savedFile));
    model.training.datasetOptions = { zeta: 1, distance: 12, seqLength: 40, count: 100, alpha: 2 };
    const text = serializeModel(model);
    expect(Object.keys(loaded(parseModel(text)).model.training.datasetOptions!)).toEqual(['count', 'seqLength', 'distance', 'alpha', 'zeta']);
    expect(serializeModel(loaded(parseModel(text)).model)).toBe(text);
  });

  it('saves keys in the same order however the model object was built', () => {
    const { model } = loaded(parseModel(savedFile));
    const shuffled = JSON.parse(JSON.stringify(model, (_key, value: unknown) => reverseKeys(value))) as ModelDefinition;
    expect(Object.keys(shuffled)[0]).toBe('layout');
    expect(serializeModel(shuffled)).toBe(savedFile);
  });

  it('also loads from a parsed object, which it does not modify', () => {
    const json = deepFreeze(JSON.parse(savedFile) as unknown);
    expect(loaded(parseModelObject(json)).model).toStrictEqual(loaded(parseModel(savedFile)).model);
  });
});

describe('defaults', () => {
  it('fill in training, params and input slots; optional fields stay absent', () => {
    const { model, warnings } = loaded(
      parseModel(JSON.stringify({ format: 'gradflow.model', version: 1, nodes: [{ id: 'a', type: 'input' }, { id: 'b', type: 'relu' }], edges: [{ id: 'e', source: 'a', target: 'b' }] })),
    );
    expect(warnings).toEqual([]);
    expect(model).toStrictEqual({
      format: 'gradflow.model',
      version: 1,
      nodes: [
        { id: 'a', type: 'input', params: {} },
        { id: 'b', type: 'relu', params: {} },
      ],
      edges: [{ id: 'e', source: 'a', target: 'b', targetSlot: 0 }],
      training: defaultTraining,
    });
  });

  it('fill in each training field that is absent, keeping the ones given', () => {
    const { model } = loaded(parseModelObject(file({ training: { optimizer: 'rmsprop', epochs: 3, momentum: 0.5 } })));
    expect(model.training).toStrictEqual({ ...defaultTraining, optimizer: 'rmsprop', epochs: 3, momentum: 0.5 });
  });

  it('accept an empty model', () => {
    expect(loaded(parseModelObject(file({ nodes: [], edges: [] }))).model.nodes).toEqual([]);
  });
});

describe('errors name the place and the problem', () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    ['learning rate <= 0', { training: { learningRate: -1 } }, 'training.learningRate', 'training.learningRate: must be greater than 0, got -1'],
    ['learning rate 0', { training: { learningRate: 0 } }, 'training.learningRate', 'training.learningRate: must be greater than 0, got 0'],
    ['learning rate > 10', { training: { learningRate: 11 } }, 'training.learningRate', 'training.learningRate: must be at most 10, got 11'],
    ['learning rate as text', { training: { learningRate: '0.1' } }, 'training.learningRate', "training.learningRate: must be a number, got '0.1'"],
    ['fractional batch size', { training: { batchSize: 1.5 } }, 'training.batchSize', 'training.batchSize: must be a whole number, got 1.5'],
    ['batch size 0', { training: { batchSize: 0 } }, 'training.batchSize', 'training.batchSize: must be at least 1, got 0'],
    ['batch size too big', { training: { batchSize: 4097 } }, 'training.batchSize', 'training.batchSize: must be at most 4096, got 4097'],
    ['epochs too many', { training: { epochs: 10001 } }, 'training.epochs', 'training.epochs: must be at most 10000, got 10001'],
    ['test fraction', { training: { testFraction: 0.95 } }, 'training.testFraction', 'training.testFraction: must be at most 0.9, got 0.95'],
    ['fractional seed', { training: { seed: 4.2 } }, 'training.seed', 'training.seed: must be a whole number, got 4.2'],
    ['negative l2', { training: { l2: -0.1 } }, 'training.l2', 'training.l2: must be at least 0, got -0.1'],
    ['clip norm 0', { training: { clipNorm: 0 } }, 'training.clipNorm', 'training.clipNorm: must be greater than 0, got 0'],
    ['momentum 1', { training: { momentum: 1 } }, 'training.momentum', 'training.momentum: must be less than 1, got 1'],
    ['unknown optimizer', { training: { optimizer: 'adagrad' } }, 'training.optimizer', "training.optimizer: must be one of 'sgd', 'momentum', 'rmsprop', 'adam', 'adamw', got 'adagrad'"],
    ['empty dataset id', { training: { dataset: '' } }, 'training.dataset', 'training.dataset: must not be empty'],
    ['noise > 1', { training: { datasetOptions: { noise: 1.5 } } }, 'training.datasetOptions.noise', 'training.datasetOptions.noise: must be at most 1, got 1.5'],
    ['count < 10', { training: { datasetOptions: { count: 5 } } }, 'training.datasetOptions.count', 'training.datasetOptions.count: must be at least 10, got 5'],
    ['other option not numeric', { training: { datasetOptions: { arms: 'three' } } }, 'training.datasetOptions.arms', "training.datasetOptions.arms: must be a number, got 'three'"],
    ['seqLength 1', { training: { datasetOptions: { seqLength: 1 } } }, 'training.datasetOptions.seqLength', 'training.datasetOptions.seqLength: must be at least 2, got 1'],
    ['seqLength too long', { training: { datasetOptions: { seqLength: 1000 } } }, 'training.datasetOptions.seqLength', 'training.datasetOptions.seqLength: must be at most 256, got 1000'],
    ['fractional seqLength', { training: { datasetOptions: { seqLength: 20.5 } } }, 'training.datasetOptions.seqLength', 'training.datasetOptions.seqLength: must be a whole number, got 20.5'],
    ['distance 0', { training: { datasetOptions: { distance: 0 } } }, 'training.datasetOptions.distance', 'training.datasetOptions.distance: must be at least 1, got 0'],
    ['distance too far', { training: { datasetOptions: { distance: 500 } } }, 'training.datasetOptions.distance', 'training.datasetOptions.distance: must be at most 100, got 500'],
    ['distance as text', { training: { datasetOptions: { distance: 'far' } } }, 'training.datasetOptions.distance', "training.datasetOptions.distance: must be a number, got 'far'"],
    ['training not an object', { training: 'fast' }, 'training', "training: must be an object, got 'fast'"],
    ['nodes missing', { nodes: undefined }, 'nodes', 'nodes: is missing; it should be a list'],
    ['edges not a list', { edges: { e0: {} } }, 'edges', 'edges: must be a list, got {"e0":{}}'],
    ['name not text', { name: 3 }, 'name', 'name: must be a string, got 3'],
    ['layout position not a number', { layout: { n1: { x: '10', y: 0 } } }, 'layout.n1.x', "layout.n1.x: must be a number, got '10'"],
    ['layout key quoted when not an identifier', { nodes: [{ id: 'a b', type: 'input' }], edges: [], layout: { 'a b': { x: 1 } } }, 'layout["a b"].y', 'layout["a b"].y: is missing; it should be a number'],
  ])('%s', (_, patch, path, message) => {
    expect(errorsOf(file(patch))).toEqual([{ path, message }]);
  });

  it.each<[string, (f: Record<string, unknown>) => void, string, string]>([
    ['node params not an object', (f) => (nodeAt(f, 1).params = [1, 2]), 'nodes[1].params', 'nodes[1].params: must be an object, got [1,2]'],
    ['param value an object', (f) => (nodeAt(f, 1).params = { units: { n: 4 } }), 'nodes[1].params.units', 'nodes[1].params.units: must be a number, a string, true or false, or a list of numbers, got {"n":4}'],
    ['param list with text', (f) => (nodeAt(f, 1).params = { kernel: [3, 'x'] }), 'nodes[1].params.kernel', 'nodes[1].params.kernel: must be a list of numbers only, got [3,"x"]'],
    ['empty node id', (f) => (nodeAt(f, 2).id = ''), 'nodes[2].id', 'nodes[2].id: must not be empty'],
    ['node type missing', (f) => delete nodeAt(f, 0).type, 'nodes[0].type', 'nodes[0].type: is missing; it should be a string'],
    ['node not an object', (f) => ((f.nodes as unknown[])[1] = 'dense'), 'nodes[1]', "nodes[1]: must be an object, got 'dense'"],
    ['negative slot', (f) => (edgeAt(f, 0).targetSlot = -1), 'edges[0].targetSlot', 'edges[0].targetSlot: must be at least 0, got -1'],
  ])('%s', (_, edit, path, message) => {
    const f = jsonClone(file());
    edit(f);
    expect(errorsOf(f)).toEqual([{ path, message }]);
  });

  it('names a node id used twice, at the second use', () => {
    const f = file({ nodes: [...(file().nodes as unknown[]), { id: 'n1', type: 'relu' }] });
    expect(errorsOf(f)).toEqual([{ path: 'nodes[3].id', message: "nodes[3].id: 'n1' is used by another node too" }]);
  });

  it('names an edge id used twice', () => {
    const f = file({ edges: [...(file().edges as unknown[]), { id: 'e1', source: 'n2', target: 'n1', targetSlot: 1 }] });
    expect(errorsOf(f)).toEqual([{ path: 'edges[3].id', message: "edges[3].id: 'e1' is used by another edge too" }]);
  });

  it('names an edge end that is no node', () => {
    const f = file({ edges: [{ id: 'e0', source: 'n0', target: 'n9' }, { id: 'e1', source: 'ghost', target: 'n1' }] });
    expect(errorsOf(f)).toEqual([
      { path: 'edges[0].target', message: "edges[0].target: no node has id 'n9'" },
      { path: 'edges[1].source', message: "edges[1].source: no node has id 'ghost'" },
    ]);
  });

  it('refuses an edge from a node to itself', () => {
    const f = file({ edges: [{ id: 'loop', source: 'n1', target: 'n1' }] });
    expect(errorsOf(f)).toEqual([{ path: 'edges[0]', message: "edges[0]: edge 'loop' connects node 'n1' to itself" }]);
  });

  it('refuses two edges into one input slot, naming both', () => {
    const f = file({
      edges: [
        { id: 'a', source: 'n0', target: 'n2', targetSlot: 1 },
        { id: 'b', source: 'n1', target: 'n2' },
        { id: 'c', source: 'n0', target: 'n2', targetSlot: 1 },
      ],
    });
    expect(errorsOf(f)).toEqual([
      { path: 'edges[2].targetSlot', message: "edges[2].targetSlot: edges 'a' and 'c' both go into input slot 1 of node 'n2'; an input slot takes one edge" },
    ]);
  });

  it('counts a missing slot as slot 0', () => {
    const f = file({ edges: [{ id: 'a', source: 'n0', target: 'n2', targetSlot: 0 }, { id: 'b', source: 'n1', target: 'n2' }] });
    expect(errorsOf(f).map((e) => e.path)).toEqual(['edges[1].targetSlot']);
  });

  it('reports reference errors together with field errors, one per place', () => {
    const f = file({
      nodes: [{ id: 'n0', type: 'input' }, { id: 'n0', type: 'dense' }],
      edges: [{ id: 'e0', source: 'n0', target: 'n7', targetSlot: 0.5 }],
      training: { batchSize: 0.5 },
    });
    expect(errorsOf(f)).toEqual([
      { path: 'edges[0].targetSlot', message: 'edges[0].targetSlot: must be a whole number, got 0.5' },
      { path: 'training.batchSize', message: 'training.batchSize: must be a whole number, got 0.5' },
      { path: 'nodes[1].id', message: "nodes[1].id: 'n0' is used by another node too" },
      { path: 'edges[0].target', message: "edges[0].target: no node has id 'n7'" },
    ]);
  });

  it('says a number must be finite when handed NaN or Infinity', () => {
    expect(errorsOf(file({ training: { learningRate: Number.POSITIVE_INFINITY } }))).toEqual([
      { path: 'training.learningRate', message: 'training.learningRate: must be a finite number, got Infinity' },
    ]);
    expect(errorsOf(file({ layout: { n0: { x: Number.NaN, y: 0 } } }))).toEqual([{ path: 'layout.n0.x', message: 'layout.n0.x: must be a finite number, got NaN' }]);
  });
});

describe('files that are not models', () => {
  it('refuses invalid JSON with its line and column', () => {
    const text = savedFile.replace('"units": 16,', '"units": 16,,');
    expect(parseModel(text)).toEqual({ ok: false, errors: [{ path: '', message: "not valid JSON at line 18, column 21: unexpected ','" }] });
  });

  it('refuses a file of another format', () => {
    expect(parseModel('{"format": "excalidraw", "version": 2, "elements": []}')).toEqual({
      ok: false,
      errors: [{ path: '', message: "not a Gradflow model file: 'format' should be 'gradflow.model', got 'excalidraw'" }],
    });
  });

  it('refuses a file from a newer Gradflow', () => {
    expect(parseModel(savedFile.replace('"version": 1', '"version": 3'))).toEqual({
      ok: false,
      errors: [{ path: '', message: 'this file was saved by a newer Gradflow (format version 3); this version reads up to 1' }],
    });
  });
});

describe('a version 0 file', () => {
  const v0Text = JSON.stringify({
    format: 'gradflow.model',
    version: 0,
    nodes: [{ id: 'n0', type: 'input', params: {} }, { id: 'n1', type: 'dense', params: { units: 4 } }, { id: 'n2', type: 'add', params: {} }],
    edges: [
      { id: 'e0', from: 'n0', to: 'n1' },
      { id: 'e1', from: 'n1', to: 'n2', slot: 0 },
      { id: 'e2', from: 'n0', to: 'n2', slot: 1 },
    ],
    dataset: 'moons',
    lr: 0.05,
    batch: 64,
  });

  it('loads as the same model written in version 1, with a warning that it was upgraded', () => {
    const { model, warnings } = loaded(parseModel(v0Text));
    const { model: v1Model } = loaded(parseModelObject(file({ training: { dataset: 'moons', learningRate: 0.05, batchSize: 64 } })));
    expect(model).toStrictEqual(v1Model);
    expect(warnings).toEqual([{ path: '', message: 'this file uses format version 0; it was upgraded to version 1 and will be saved as such' }]);
  });

  it('reports its errors at the fields of the current format', () => {
    const result = parseModel(v0Text.replace('"lr":0.05', '"lr":-2'));
    expect(result).toEqual({ ok: false, errors: [{ path: 'training.learningRate', message: 'training.learningRate: must be greater than 0, got -2' }] });
  });
});

describe('unknown fields and stale layout', () => {
  it('ignores unknown fields with one warning each, and leaves them out of the model', () => {
    const f = jsonClone(file({ author: 'me', training: { learningrate: 0.5, optimizer: 'sgd' }, layout: { n0: { x: 1, y: 2, width: 80 } } }));
    nodeAt(f, 1).color = 'red';
    edgeAt(f, 0).animated = true;
    const { model, warnings } = loaded(parseModelObject(f));
    expect(warnings).toEqual([
      { path: 'author', message: 'author: unknown field, ignored' },
      { path: 'nodes[1].color', message: 'nodes[1].color: unknown field, ignored' },
      { path: 'edges[0].animated', message: 'edges[0].animated: unknown field, ignored' },
      { path: 'training.learningrate', message: "training.learningrate: unknown field, ignored (did you mean 'learningRate'?)" },
      { path: 'layout.n0.width', message: 'layout.n0.width: unknown field, ignored' },
    ]);
    expect(model).not.toHaveProperty('author');
    expect(model.nodes[1]).not.toHaveProperty('color');
    expect(model.edges[0]).not.toHaveProperty('animated');
    expect(model.training).toStrictEqual({ ...defaultTraining, optimizer: 'sgd' });
    expect(model.layout).toStrictEqual({ n0: { x: 1, y: 2 } });
  });

  it('drops layout entries of nodes that do not exist, silently', () => {
    const { model, warnings } = loaded(parseModelObject(file({ layout: { n1: { x: 5, y: 6 }, gone: { x: 0, y: 0 } } })));
    expect(model.layout).toStrictEqual({ n1: { x: 5, y: 6 } });
    expect(warnings).toEqual([]);
  });

  it('does not mistake built-in property names for node ids', () => {
    const f = file({ nodes: [{ id: 'constructor', type: 'input' }], edges: [{ id: 'e', source: 'toString', target: 'constructor' }], layout: { hasOwnProperty: { x: 0, y: 0 } } });
    expect(errorsOf(f)).toEqual([{ path: 'edges[0].source', message: "edges[0].source: no node has id 'toString'" }]);
    const ok = loaded(parseModelObject(file({ nodes: [{ id: 'constructor', type: 'input' }], edges: [], layout: { hasOwnProperty: { x: 0, y: 0 } } })));
    expect(ok.model.layout).toStrictEqual({});
    expect(serializeModel(ok.model)).toContain('"layout": {}');
  });
});

function nodeAt(f: Record<string, unknown>, i: number): Record<string, unknown> {
  return (f.nodes as Record<string, unknown>[])[i]!;
}

function edgeAt(f: Record<string, unknown>, i: number): Record<string, unknown> {
  return (f.edges as Record<string, unknown>[])[i]!;
}

function reverseKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).reverse());
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
