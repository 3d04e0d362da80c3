import { defaultInitializerFor, type InitializerConfig } from '../init/initializers';
import type { ActivationFacts, ParamSpec } from './types';

/** The initializer choice every layer with weights offers. 'auto' follows common practice. */
export const kernelInitializerSpec: ParamSpec = {
  kind: 'select',
  label: 'Weight init',
  help: 'How the weights start. Auto picks He for ReLU-like activations that follow, Glorot otherwise.',
  default: 'auto',
  options: [
    { value: 'auto', label: 'Auto' },
    { value: 'he_normal', label: 'He normal' },
    { value: 'he_uniform', label: 'He uniform' },
    { value: 'glorot_uniform', label: 'Glorot uniform' },
    { value: 'glorot_normal', label: 'Glorot normal' },
    { value: 'lecun_normal', label: 'LeCun normal' },
    { value: 'lecun_uniform', label: 'LeCun uniform' },
    { value: 'normal', label: 'Normal (σ 0.05)' },
    { value: 'uniform', label: 'Uniform (±0.05)' },
    { value: 'zeros', label: 'Zeros' },
  ],
};

export const useBiasSpec: ParamSpec = { kind: 'bool', label: 'Bias', help: 'Add a learned offset to each output.', default: true };

const BY_NAME: Record<string, InitializerConfig> = {
  he_normal: { kind: 'heNormal' },
  he_uniform: { kind: 'heUniform' },
  glorot_uniform: { kind: 'glorotUniform' },
  glorot_normal: { kind: 'glorotNormal' },
  lecun_normal: { kind: 'lecunNormal' },
  lecun_uniform: { kind: 'lecunUniform' },
  normal: { kind: 'normal' },
  uniform: { kind: 'uniform' },
  zeros: { kind: 'zeros' },
};

/** The initializer a layer's `kernelInitializer` value names; 'auto' takes the family the activation that follows suggests. */
export function kernelInitializer(choice: unknown, nextActivation: ActivationFacts | undefined): InitializerConfig {
  return (typeof choice === 'string' && BY_NAME[choice]) || defaultInitializerFor(nextActivation?.suggestedInit);
}

/**
 * Choices whose scale ignores the layer's size (σ 0.05, ±0.05, zeros): fine for a small layer,
 * too small to carry a signal (and its gradient) through a deep stack of wide ones.
 */
export function isFixedScaleInit(choice: unknown): boolean {
  return choice === 'normal' || choice === 'uniform' || choice === 'zeros';
}
