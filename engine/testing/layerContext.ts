/**
 * Test helper: builds one layer module on a tape outside a compiled graph, with a BuildContext
 * like the plan's (parameters initialized as the plan does, named `<node>/<name>`), and returns
 * what the layer made: its output, its parameters by name and the tensors it exposed.
 */
import { Rng } from '../core/rng';
import type { Tape, Var } from '../core/tape';
import type { DatasetInfo } from '../data/types';
import { initialize } from '../init/initializers';
import { defaultParams } from '../layers/params';
import type { ActivationFacts, LayerDef, Params } from '../layers/types';

export interface BuiltLayer {
  out: Var;
  /** Parameters in creation order, by their short name ('query_kernel'). */
  params: Map<string, Var>;
  /** Total number of parameter elements created. */
  paramElements: number;
  exposed: Record<string, Var>;
}

export interface BuildLayerOptions {
  dataset?: DatasetInfo;
  nodeId?: string;
  seed?: number;
  nextActivation?: ActivationFacts;
}

const DEFAULT_DATASET: DatasetInfo = { id: 'test', name: 'Test', task: 'regression', inputShape: [1], targetShape: [1], count: 1 };

export function buildLayer<P extends Params>(tape: Tape, layer: LayerDef<P>, inputs: readonly Var[], params: Partial<P> = {}, options: BuildLayerOptions = {}): BuiltLayer {
  const dataset = options.dataset ?? DEFAULT_DATASET;
  const nodeId = options.nodeId ?? `${layer.type}_1`;
  const rng = new Rng(options.seed ?? 1);
  const made = new Map<string, Var>();
  const exposed: Record<string, Var> = {};
  let paramElements = 0;
  const full = { ...defaultParams(layer.params), ...params } as P;
  const out = tape.inNode(nodeId, () => layer.build({
    tape,
    rng,
    dataset,
    nodeId,
    nextActivation: options.nextActivation,
    dataInput: inputs[0]!,
    target: inputs[0]!,
    inputTypes: inputs.map(() => 'input'),
    param(name, shape, init) {
      const v = tape.param(`${nodeId}/${name}`, shape);
      initialize(v.value, shape, init, rng);
      made.set(name, v);
      paramElements += v.value.length;
      return v;
    },
    onReset: () => {},
    buffer: () => {},
    expose: (name, v) => {
      exposed[name] = v;
    },
  }, inputs, full));
  return { out, params: made, paramElements, exposed };
}
