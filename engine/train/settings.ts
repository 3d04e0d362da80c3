import type { TrainingSettings as ModelTrainingSettings } from '../model';
import type { OptimizerConfig } from '../optim';

/** The training settings the trainer reads: the model file's `training` without the dataset choice. */
export type TrainingSettings = Omit<ModelTrainingSettings, 'dataset' | 'datasetOptions'>;

/** The optimizer config for the settings ('momentum' is SGD with momentum 0.9 unless given). */
export function optimizerConfig(s: TrainingSettings): OptimizerConfig {
  const common = { learningRate: s.learningRate, l2: s.l2, ...(s.clipNorm ? { clipNorm: s.clipNorm } : {}) };
  switch (s.optimizer) {
    case 'sgd':
      return { kind: 'sgd', ...common, momentum: s.momentum ?? 0 };
    case 'momentum':
      return { kind: 'sgd', ...common, momentum: s.momentum ?? 0.9 };
    case 'rmsprop':
      return { kind: 'rmsprop', ...common, ...(s.rho !== undefined ? { rho: s.rho } : {}) };
    case 'adam':
      return { kind: 'adam', ...common };
    case 'adamw':
      return { kind: 'adamw', ...common };
  }
}
