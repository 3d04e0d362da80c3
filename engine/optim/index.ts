import { Adam, AdamW } from './adam';
import { Rmsprop } from './rmsprop';
import { Sgd } from './sgd';
import type { Optimizer, OptimizerConfig, OptimizerParam } from './types';

export type {
  AdamConfig,
  AdamWConfig,
  CommonOptimizerConfig,
  Optimizer,
  OptimizerConfig,
  OptimizerKind,
  OptimizerParam,
  RmspropConfig,
  SgdConfig,
} from './types';
export { DEFAULT_LEARNING_RATE } from './types';
export { Adam, AdamW } from './adam';
export { Rmsprop } from './rmsprop';
export { Sgd } from './sgd';

/** Creates the optimizer a config describes, with its state allocated for `params` (e.g. `tape.params`). */
export function createOptimizer(params: readonly OptimizerParam[], config: OptimizerConfig): Optimizer {
  switch (config.kind) {
    case 'sgd':
      return new Sgd(params, config);
    case 'rmsprop':
      return new Rmsprop(params, config);
    case 'adam':
      return new Adam(params, config);
    case 'adamw':
      return new AdamW(params, config);
  }
}
