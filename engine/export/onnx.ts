/**
 * ONNX export for inference: the plan's graph as standard ONNX operators (opset 17), written by
 * each layer's own ONNX writer (LayerDef.onnx), with the run's weights as initializers under the
 * engine's names (`dense_1.kernel`). The model takes `x`, a batch of the dataset's features
 * ([batch, ...inputShape], channels-last as in the engine, the batch axis symbolic), and gives
 * `prediction`: what the engine predicts (logits, probabilities or values, as its output node
 * receives them), in inference mode.
 */
import type { Plan } from '../compiler/plan';
import type { OnnxAttributeValue, OnnxBuilder, OnnxContext } from '../layers/types';
import { encodeOnnx, ONNX_FLOAT, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './onnx-proto';

export const ONNX_OPSET = 17;
/** ONNX IR version 8 goes with opset 17 (ONNX 1.12). */
const IR_VERSION = 8;

export class OnnxExportError extends Error {
  override name = 'OnnxExportError';
}

/** The plan's graph, with its current weights, as a `.onnx` file. */
export function writeOnnx(plan: Plan, title = 'model'): Uint8Array {
  const { compiled } = plan;
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const taken = new Set<string>(['x', 'prediction']);
  const unique = (base: string): string => {
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    return name;
  };
  const outputOf = new Map<string, string>();
  let prediction: string | undefined;

  for (const node of plan.nodes) {
    const c = compiled.nodes.get(node.id)!;
    if (!c.reachesOutput) continue;
    const layer = c.layer!;
    const writer = layer.onnx as typeof layer.onnx | undefined;
    if (!writer) throw new OnnxExportError(`${node.name} (${layer.label}) has no ONNX export`);
    const edges = c.inputs.map((e) => compiled.edges.get(e)!);
    const ctx: OnnxContext = {
      inputs: edges.map((e) => e.shape!),
      output: c.shape!,
      dataset: plan.dataset,
      inputTypes: edges.map((e) => compiled.nodes.get(e.source)!.type),
      lossKind: plan.lossKind,
    };
    const values = new Map<string, { shape: readonly number[]; data: Float32Array }>();
    for (const p of node.params) values.set(p.name.slice(node.name.length + 1), { shape: p.shape.slice(), data: p.value });
    for (const [name, data] of Object.entries(node.buffers)) values.set(name, { shape: [data.length], data });
    let ops = 0;
    const builder: OnnxBuilder = {
      op(opType, inputs, attributes = {}) {
        const output = unique(`${node.name}/${opType}${ops++ === 0 ? '' : `_${ops}`}`);
        nodes.push({ opType, inputs, outputs: [output], name: output, attributes: Object.entries(attributes).map(([name, v]) => attribute(name, v)) });
        return output;
      },
      weight(name) {
        const full = `${node.name}.${name}`;
        if (taken.has(full)) return full;
        const v = values.get(name);
        if (!v) throw new OnnxExportError(`${node.name} has no weight '${name}'`);
        taken.add(full);
        initializers.push({ name: full, dims: v.shape, data: v.data.slice() });
        return full;
      },
      constant(data, dims, type = 'float') {
        const name = unique(`${node.name}/const`);
        initializers.push({ name, dims, data: type === 'float' ? Float32Array.from(data) : { int64: Array.from(data) } });
        return name;
      },
    };
    const inputs = edges.map((e) => outputOf.get(e.source)!);
    const out = writer.write(builder, inputs, c.params as never, ctx);
    outputOf.set(node.id, out);
    if (layer.role === 'output') prediction = out;
  }
  if (prediction === undefined) throw new OnnxExportError('the graph has no output node');

  // The prediction under a stable name: an Identity when it is the name of another tensor.
  nodes.push({ opType: 'Identity', inputs: [prediction], outputs: ['prediction'], name: 'prediction', attributes: [] });
  const d = plan.dataset;
  return encodeOnnx({
    irVersion: IR_VERSION,
    opset: ONNX_OPSET,
    producerName: 'Gradflow',
    producerVersion: '1',
    docString: `${title}: exported from Gradflow for inference. Input x: [batch, ${d.inputShape.join(', ')}] (${d.name}, channels-last). Output prediction: ${plan.predictionKind}.`,
    graph: {
      name: title,
      nodes,
      initializers,
      inputs: [{ name: 'x', elemType: ONNX_FLOAT, shape: ['batch', ...d.inputShape] }],
      outputs: [{ name: 'prediction', elemType: ONNX_FLOAT, shape: ['batch', ...(plan.prediction.shape.slice(1) as number[])] }],
    },
  });
}

function attribute(name: string, v: OnnxAttributeValue): OnnxAttribute {
  return { name, ...v } as OnnxAttribute;
}
