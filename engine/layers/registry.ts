/**
 * The layer registry: every layer type, one module each. The palette, compiler, inspector and
 * exporters read this list; adding a layer means adding its module here (and its test).
 */
import { addLayer } from './add';
import { attentionLayer } from './attention';
import { avgpool2dLayer } from './avgpool2d';
import { batchnormLayer } from './batchnorm';
import { concatLayer } from './concat';
import { conv2dLayer } from './conv2d';
import { denseLayer } from './dense';
import { dropoutLayer } from './dropout';
import { embeddingLayer } from './embedding';
import { eluLayer } from './elu';
import { flattenLayer } from './flatten';
import { geluLayer } from './gelu';
import { globalAvgpoolLayer } from './global_avgpool';
import { globalAvgpool1dLayer } from './global_avgpool1d';
import { inputLayer } from './input';
import { lastStepLayer } from './last_step';
import { layernormLayer } from './layernorm';
import { leakyReluLayer } from './leaky_relu';
import { maxpool2dLayer } from './maxpool2d';
import { outputLayer } from './output';
import { positionalEncodingLayer } from './positional_encoding';
import { reluLayer } from './relu';
import { reshapeLayer } from './reshape';
import { sigmoidLayer } from './sigmoid';
import { softmaxLayer } from './softmax';
import { tanhLayer } from './tanh';
import { gruLayer } from './gru';
import { lstmLayer } from './lstm';
import { rnnLayer } from './rnn';
import type { LayerDef, Params } from './types';

/** In palette order within each category. */
export const LAYERS: readonly LayerDef[] = [
  inputLayer,
  denseLayer,
  flattenLayer,
  reshapeLayer,
  lastStepLayer,
  reluLayer,
  leakyReluLayer,
  eluLayer,
  sigmoidLayer,
  tanhLayer,
  geluLayer,
  softmaxLayer,
  conv2dLayer,
  maxpool2dLayer,
  avgpool2dLayer,
  globalAvgpoolLayer,
  globalAvgpool1dLayer,
  batchnormLayer,
  layernormLayer,
  dropoutLayer,
  addLayer,
  concatLayer,
  embeddingLayer,
  positionalEncodingLayer,
  rnnLayer,
  lstmLayer,
  gruLayer,
  attentionLayer,
  outputLayer,
] as readonly LayerDef<Params>[] as readonly LayerDef[];

const BY_TYPE = new Map(LAYERS.map((l) => [l.type, l]));

export function getLayer(type: string): LayerDef | undefined {
  return BY_TYPE.get(type);
}

export const LAYER_TYPES: readonly string[] = LAYERS.map((l) => l.type);
