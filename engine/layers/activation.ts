import { unary, type UnaryOp } from '../ops/unary';
import { problem, type ActivationFacts, type LayerDef, type OnnxBuilder, type ParamSpecs } from './types';

/** The shared shape of activation layers: one input, same shape out, one elementwise op. */
export function activationLayer(options: {
  type: string;
  op: UnaryOp;
  label: string;
  description: string;
  keywords?: readonly string[];
  params?: ParamSpecs;
  paramOf?: (params: Record<string, unknown>) => number;
  activation: ActivationFacts;
  /** The PyTorch expression of the op on `x` (with the layer's parameter, if it has one). */
  torch: (x: string, param: number) => string;
  /** The ONNX nodes of the op on `x`; returns the output's name. */
  onnx: (b: OnnxBuilder, x: string, param: number) => string;
}): LayerDef {
  return {
    type: options.type,
    label: options.label,
    category: 'Activations',
    description: options.description,
    keywords: ['activation', 'nonlinearity', ...(options.keywords ?? [])],
    params: options.params ?? {},
    inputs: { min: 1, max: 1 },
    activation: options.activation,
    unitMaps: 'follows',
    infer: ([x]) => (x ? [...x] : problem(`${options.label} needs an input.`)),
    build: (ctx, [x], p) => unary(ctx.tape, options.op, x!, options.paramOf?.(p) ?? 0),
    torch: { forward: ([x], p) => options.torch(x!, options.paramOf?.(p) ?? 0) },
    onnx: { write: (b, [x], p) => options.onnx(b, x!, options.paramOf?.(p) ?? 0) },
  };
}
