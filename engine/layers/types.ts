/**
 * The layer catalogue's contract. Each layer type is one module exporting a `LayerDef`; the
 * registry lists them, and the palette, the compiler, the inspector and the exporters all read it.
 * Layers are built from the engine's primitives and have no backward code of their own.
 */
import type { Rng } from '../core/rng';
import type { Tape, Var } from '../core/tape';
import type { Shape } from '../core/shape';
import type { DatasetInfo } from '../data/types';
import type { InitFamily, InitializerConfig } from '../init/initializers';

export const LAYER_CATEGORIES = [
  'Core',
  'Activations',
  'Convolution',
  'Normalization & Regularization',
  'Merge',
  'Recurrent & Attention',
  'Output',
] as const;
export type LayerCategory = (typeof LAYER_CATEGORIES)[number];

interface ParamBase {
  label: string;
  help: string;
}
/** One layer parameter: its control in the inspector, its default and its bounds. */
export type ParamSpec =
  | (ParamBase & { kind: 'int'; default: number; min: number; max: number })
  | (ParamBase & { kind: 'number'; default: number; min: number; max: number; step?: number; exclusiveMin?: boolean; exclusiveMax?: boolean })
  | (ParamBase & { kind: 'select'; default: string; options: readonly { value: string; label: string }[] })
  | (ParamBase & { kind: 'bool'; default: boolean })
  /** A list of positive integers (a shape, or a pair such as a kernel size), `length` entries or in [minLength, maxLength]. */
  | (ParamBase & { kind: 'ints'; default: readonly number[]; minLength: number; maxLength: number; min: number; max: number; allowMinusOne?: boolean });

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** Parameter values after validation: numbers, strings, booleans and integer lists. */
export type ParamValue = number | string | boolean | readonly number[];
export type Params = Readonly<Record<string, ParamValue>>;

/** Input slots: how many edges a layer takes, and the label of each slot when there are several. */
export interface InputSlots {
  min: number;
  /** Infinity for variadic merges (add, concat). */
  max: number;
  labels?: readonly string[];
}

/** A problem a layer finds with its inputs or parameters, in words a learner understands. */
export interface LayerProblem {
  message: string;
  /** The fix, when there is an obvious one ("add a Flatten before this Dense"). */
  fix?: string;
  /** The input slot the problem is about, so the compiler can also flag that edge. */
  slot?: number;
}

export interface InferContext {
  dataset: DatasetInfo;
}

/** What a layer's build gets besides its inputs. */
export interface BuildContext {
  tape: Tape;
  rng: Rng;
  dataset: DatasetInfo;
  /** Graph node id (also the prefix of its parameter names). */
  nodeId: string;
  /** What the layer that consumes this one does, when it is an activation (its suggested initializer is 'Auto''s choice). */
  nextActivation: ActivationFacts | undefined;
  /** A parameter of this node, initialized now. */
  param(name: string, shape: Shape, init: InitializerConfig): Var;
  /** The dataset's features on the tape (only the input node uses them). */
  dataInput: Var;
  /** The dataset's targets on the tape (only the output node uses them). */
  target: Var;
  /** Layer types of the nodes feeding each input slot (the output node looks for a softmax or sigmoid before it). */
  inputTypes: readonly string[];
  /** Registers state that a reset restores (batch norm's running statistics). */
  onReset(reset: () => void): void;
  /**
   * Names state that is part of the trained model but not a parameter (batch norm's running
   * statistics): saved and restored with the weights as `<node>.<name>` (engine/export/weights.ts).
   */
  buffer(name: string, values: Float32Array): void;
  /**
   * Names an inner tensor the UI may read after a forward pass (attention weights, [B, heads, T, T]).
   * The plan keeps it on the node as `exposed[name]`.
   */
  expose(name: string, v: Var): void;
}

/** What building the output node gives back to the plan. */
export interface LossBuild {
  loss: Var;
  /** The predictions the metrics read, per sample. */
  prediction: Var;
  /** What the prediction holds: logits (before softmax/sigmoid), probabilities, or regression values. */
  predictionKind: 'logits' | 'probabilities' | 'values';
  lossKind: LossKind;
}

export type LossKind = 'mse' | 'cross_entropy' | 'binary_cross_entropy';

export interface LayerDef<P extends Params = Params> {
  type: string;
  label: string;
  category: LayerCategory;
  /** One line for the palette. */
  description: string;
  /** Other words people search the palette with ("linear" for Dense). */
  keywords?: readonly string[];
  params: ParamSpecs;
  inputs: InputSlots;
  /** The key parameters shown on the node ("64", "3×3, 16"). */
  caption?(params: P): string;
  /**
   * Output shape per sample (no batch axis) from the input shapes, or the problems that stop it.
   * Input nodes read their shape from the dataset.
   */
  infer(inputs: readonly Shape[], params: P, ctx: InferContext): Shape | LayerProblem[];
  /** Number of trainable parameters (the context gives the dataset, e.g. an Embedding's vocabulary size). */
  paramCount?(inputs: readonly Shape[], params: P, ctx: InferContext): number;
  /**
   * Float32 numbers that training keeps per sample for this layer: the values and gradients of the
   * tensors its build puts on the tape, and the scratch its ops hold (the compiler's memory
   * budget). Default: twice its output, one tensor and its gradient. A layer whose build expands
   * (a bias add, an unrolled recurrence, attention's scores, a convolution's patches) says so.
   */
  bufferFloats?(inputs: readonly Shape[], output: Shape, params: P, ctx: InferContext): number;
  /** How to make this layer smaller, said when it dominates a model over the size budget ("Give it fewer units."). */
  shrink?: string;
  /** Records the layer's ops on the tape (inputs are batched tensors) and returns its output. */
  build(ctx: BuildContext, inputs: readonly Var[], params: P): Var;
  /** Only the output node: the loss, built on its one input. */
  buildLoss?(ctx: BuildContext, input: Var, params: P): LossBuild;
  /**
   * The one Input (reads the dataset; takes no inputs) or the one Output (holds the loss; nothing
   * follows it). Every other layer has no role. Whether a layer has weights is not a flag: it is
   * its `paramCount` (BatchNorm's scale and shift count, a sinusoidal encoding's none).
   */
  role?: 'input' | 'output';
  /** Activation layers (category 'Activations'): how the nonlinearity treats the signal and its gradient. */
  activation?: ActivationFacts;
  /**
   * Its output's last axis is a set of units worth drawing one by one over a 2D input plane (the
   * canvas's unit maps): Dense and the activations. `weights`: the unit's own incoming weights are
   * its first parameter (a kernel [inputs, units]) and its second (a bias [units]), if any;
   * `follows`: it maps its input unit for unit, so the weights shown are those of the Dense before it.
   */
  unitMaps?: 'weights' | 'follows';
  /** Normalizes what it passes on (BatchNorm, LayerNorm): stated by every 'Normalization & Regularization' layer. */
  normalizes?: boolean;
  /**
   * How the layer is written in PyTorch (engine/export/pytorch.ts), so that the exported model.py
   * computes what the engine computes, conventions included. Every layer has one (a registry test
   * checks), so a new layer type carries its own export.
   */
  torch: TorchExport<P>;
  /**
   * How the layer is written in ONNX for inference (engine/export/onnx.ts): standard operators of
   * opset 17, weights as initializers under the engine's names. Every layer has one (a test checks).
   */
  onnx: OnnxExport<P>;
}

/** An ONNX attribute value: float, int, string, floats or ints. */
export type OnnxAttributeValue = { f: number } | { i: number } | { s: string } | { floats: readonly number[] } | { ints: readonly number[] };

/** What a layer's ONNX writer adds nodes with (one builder per node, so `weight` knows whose). */
export interface OnnxBuilder {
  /** Adds an operator node on the named inputs; returns the name of its (one) output. */
  op(opType: string, inputs: readonly string[], attributes?: Readonly<Record<string, OnnxAttributeValue>>): string;
  /** This node's parameter or buffer `name` (`kernel`, `running_mean`) as an initializer in the engine's layout; returns its name. */
  weight(name: string): string;
  /** A constant tensor (float32, or int64 for shapes, axes and indices); returns its name. */
  constant(values: readonly number[] | Float32Array, dims: readonly number[], type?: 'float' | 'int64'): string;
}

/** What a layer's ONNX writer gets: shapes per sample (no batch axis), as for PyTorch. */
export type OnnxContext = TorchContext;

/**
 * A layer in ONNX: the nodes from its inputs' names to its output's, in inference mode (Dropout
 * passes through, BatchNorm uses its running statistics). Tensors are channels-last with the batch
 * axis first, as in the engine; the batch axis is symbolic.
 */
export interface OnnxExport<P extends Params = Params> {
  write(b: OnnxBuilder, inputs: readonly string[], params: P, ctx: OnnxContext): string;
}

/** What a layer's PyTorch writer gets: its per-sample shapes (no batch axis) and the dataset. */
export interface TorchContext {
  /** The input shapes, by slot. */
  inputs: readonly Shape[];
  output: Shape;
  dataset: DatasetInfo;
  /** Layer types of the nodes feeding each input slot (the output node looks for a softmax or sigmoid). */
  inputTypes: readonly string[];
  /** The loss the graph trains with (what the output node computes). */
  lossKind: LossKind;
}

/**
 * A layer in PyTorch. Parameters and buffers must carry the engine's names and layouts (`kernel`
 * [in, out], `bias`, `running_mean`…): the exported safetensors file then loads by name as it is.
 * Tensors are channels-last with the batch axis first, as in the engine.
 */
export interface TorchExport<P extends Params = Params> {
  /**
   * Python definitions the layer's code uses, by name (a class `Dense`, a helper `tf_same_pad`):
   * each is written once into model.py, so layers that share a helper give the same text for it.
   */
  definitions?: Readonly<Record<string, string>>;
  /** The module that holds the layer's weights or state (`Dense(4, 16, bias=True)`); absent for a stateless layer. */
  module?(params: P, ctx: TorchContext): string;
  /**
   * The forward expression, from the input expressions by slot; `module` is the expression of the
   * layer's module (`self.dense_1`) when it has one.
   */
  forward(inputs: readonly string[], params: P, ctx: TorchContext & { module: string }): string;
  /** Only the output node: the loss expression from the prediction and the target batch (as the dataset stores it, float). */
  loss?(prediction: string, target: string, params: P, ctx: TorchContext): string;
}

/**
 * What an activation does, read by the default initializer, the dead-unit readout and the
 * gradient-health advice (so none of them lists type names).
 */
export interface ActivationFacts {
  /**
   * 'relu-like': slope 1 for positive inputs whatever their size (ReLU, Leaky ReLU, ELU, GELU), so
   * the gradient does not fade with depth, but the negative half is cut or shrunk.
   * 'saturating': flat at both ends (sigmoid, tanh): slope at most 1/4 (sigmoid) or 1 (tanh) and
   * near 0 once saturated, so a deep stack starves its first layers of gradient.
   * 'distribution': turns scores into probabilities (softmax).
   */
  kind: 'relu-like' | 'saturating' | 'distribution';
  /** The initializer family 'Auto' gives the weights that feed this activation. */
  suggestedInit: InitFamily;
  /**
   * Outputs exactly zero for every negative input, so a unit can die: zero for every sample,
   * passing no gradient to the weights that could revive it (ReLU).
   */
  canDie: boolean;
}

/** A problem builder for layer modules. */
export function problem(message: string, fix?: string, slot?: number): LayerProblem[] {
  return [{ message, ...(fix ? { fix } : {}), ...(slot !== undefined ? { slot } : {}) }];
}

/** "28×28×1" for a per-sample shape; "a scalar" for []. */
export function describeShape(shape: Shape): string {
  return shape.length === 0 ? 'a scalar' : shape.join('×');
}
