/**
 * Deterministic model files for the canvas frame-time benchmark (format `gradflow.model`
 * version 1, as in examples/residual-mlp.json). Positions are given in `layout`, so the app
 * opens them as they are, top to bottom like its own auto-layout.
 */

interface ModelNode {
  id: string;
  type: string;
  params: Record<string, number>;
}

interface ModelEdge {
  id: string;
  source: string;
  target: string;
  targetSlot: number;
}

export interface ModelFile {
  format: 'gradflow.model';
  version: 1;
  name: string;
  description: string;
  nodes: ModelNode[];
  edges: ModelEdge[];
  training: Record<string, unknown>;
  layout: Record<string, { x: number; y: number }>;
}

/** Vertical distance between layers in a chain (a layer node is about 176 × 66 px). */
const ROW = 90;

function training(epochs: number): Record<string, unknown> {
  return {
    dataset: 'spiral',
    datasetOptions: { noise: 0.1, count: 600, classes: 2 },
    optimizer: 'adam',
    learningRate: 0.01,
    batchSize: 32,
    epochs,
    testFraction: 0.2,
    seed: 42,
    l2: 0,
  };
}

class Builder {
  readonly nodes: ModelNode[] = [];
  readonly edges: ModelEdge[] = [];
  readonly layout: Record<string, { x: number; y: number }> = {};

  node(id: string, type: string, params: Record<string, number>, x: number, y: number): string {
    this.nodes.push({ id, type, params });
    this.layout[id] = { x, y };
    return id;
  }

  edge(source: string, target: string, targetSlot = 0): void {
    this.edges.push({ id: `e${this.edges.length + 1}`, source, target, targetSlot });
  }
}

/** Residual blocks in the 200-node model: input, stem, 49 × 4 layers, head, output = 200. */
export const RESIDUAL_BLOCKS = 49;
/** Blocks per column of the grid (7 columns of 7 blocks). */
const BLOCKS_PER_COLUMN = 7;
const COLUMN_WIDTH = 260;
/** The three layers inside a block sit a little right of the block's chain, so the skip edge stays visible. */
const BLOCK_INSET = 48;

/**
 * 200 layers on the spiral dataset: input → dense 32 (stem) → 49 × [dense 32 → relu → dense 32 →
 * add(with the block's input)] → dense 2 → output. Blocks run top to bottom in 7 columns of 7;
 * the last block of a column feeds the first of the next.
 */
export function residualModel200(): ModelFile {
  const b = new Builder();
  const top = 0;
  const blockHeight = 4 * ROW;
  const chainTop = top + 2 * ROW;
  let previous = b.node('input', 'input', {}, 0, top);
  const stem = b.node('stem', 'dense', { units: 32 }, 0, top + ROW);
  b.edge(previous, stem);
  previous = stem;
  for (let i = 0; i < RESIDUAL_BLOCKS; i++) {
    const column = Math.floor(i / BLOCKS_PER_COLUMN);
    const x = column * COLUMN_WIDTH;
    const y = chainTop + (i % BLOCKS_PER_COLUMN) * blockHeight;
    const d1 = b.node(`b${i}_dense1`, 'dense', { units: 32 }, x + BLOCK_INSET, y);
    const act = b.node(`b${i}_relu`, 'relu', {}, x + BLOCK_INSET, y + ROW);
    const d2 = b.node(`b${i}_dense2`, 'dense', { units: 32 }, x + BLOCK_INSET, y + 2 * ROW);
    const add = b.node(`b${i}_add`, 'add', {}, x, y + 3 * ROW);
    b.edge(previous, d1);
    b.edge(d1, act);
    b.edge(act, d2);
    b.edge(d2, add, 0);
    b.edge(previous, add, 1);
    previous = add;
  }
  const lastColumnX = Math.floor((RESIDUAL_BLOCKS - 1) / BLOCKS_PER_COLUMN) * COLUMN_WIDTH;
  const headY = chainTop + BLOCKS_PER_COLUMN * blockHeight;
  const head = b.node('head', 'dense', { units: 2 }, lastColumnX, headY);
  const output = b.node('output', 'output', {}, lastColumnX, headY + ROW);
  b.edge(previous, head);
  b.edge(head, output);
  return {
    format: 'gradflow.model',
    version: 1,
    name: 'Bench: 200-layer residual MLP',
    description: `Input, a dense stem, ${RESIDUAL_BLOCKS} residual blocks (dense 32, relu, dense 32, add), dense 2, output.`,
    nodes: b.nodes,
    edges: b.edges,
    training: training(20),
    layout: b.layout,
  };
}

/** Tanh layers in the 30-node model, each between two dense 16 layers: input, 14 dense, 13 tanh, head, output = 30. */
export const TANH_LAYERS = 13;

/**
 * 30 layers on the spiral dataset, in one column: input → dense 16 → 13 × [tanh → dense 16] →
 * dense 2 → output. (13 × [dense 16 → tanh] with input, head and output makes 29: one layer
 * short, so the stack starts and ends with a dense 16.)
 */
export function tanhModel30(): ModelFile {
  const b = new Builder();
  let row = 0;
  const y = () => row++ * ROW;
  const input = b.node('input', 'input', {}, 0, y());
  let previous = b.node('l0_dense', 'dense', { units: 16 }, 0, y());
  b.edge(input, previous);
  for (let i = 1; i <= TANH_LAYERS; i++) {
    const act = b.node(`l${i}_tanh`, 'tanh', {}, 0, y());
    const dense = b.node(`l${i}_dense`, 'dense', { units: 16 }, 0, y());
    b.edge(previous, act);
    b.edge(act, dense);
    previous = dense;
  }
  const head = b.node('head', 'dense', { units: 2 }, 0, y());
  const output = b.node('output', 'output', {}, 0, y());
  b.edge(previous, head);
  b.edge(head, output);
  return {
    format: 'gradflow.model',
    version: 1,
    name: 'Bench: 30-layer tanh MLP',
    description: `Input, dense 16, ${TANH_LAYERS} × (tanh, dense 16), dense 2, output.`,
    nodes: b.nodes,
    edges: b.edges,
    // Enough epochs that training is still running when the 5 s recording ends.
    training: training(10_000),
    layout: b.layout,
  };
}

/** The unit-maps scenario's graph: input (2) → dense 16 → relu → dense 16 → relu → dense 2 → output, on the spiral. */
export function mlp2x16Model(): ModelFile {
  const b = new Builder();
  let row = 0;
  const y = () => row++ * ROW * 1.4;
  let previous = b.node('input', 'input', {}, 0, y());
  for (const [id, type, params] of [
    ['d1', 'dense', { units: 16 }],
    ['a1', 'relu', {}],
    ['d2', 'dense', { units: 16 }],
    ['a2', 'relu', {}],
    ['head', 'dense', { units: 2 }],
    ['output', 'output', {}],
  ] as const) {
    const node = b.node(id, type, params, 0, y());
    b.edge(previous, node);
    previous = node;
  }
  return { format: 'gradflow.model', version: 1, name: 'Bench: 2-16-16-2 MLP', description: 'Input, dense 16, relu, dense 16, relu, dense 2, output.', nodes: b.nodes, edges: b.edges, training: training(10_000), layout: b.layout };
}
