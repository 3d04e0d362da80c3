import type { Shape } from '../core/shape';
import { sameShape } from '../core/shape';
import type { DatasetInfo } from '../data/types';
import { binaryCrossEntropyWithLogits, crossEntropyOnProbabilities, meanSquaredError, softmaxCrossEntropy } from '../losses/losses';
import { reshape } from '../ops/reshape';
import { describeShape, type LayerDef, type LayerProblem, type LossKind } from './types';

type OutputParams = { loss: string };

/** The loss the output node uses: its choice, or for 'auto' the usual one for the dataset's task. */
export function resolveLoss(choice: string, dataset: DatasetInfo, prediction: Shape): LossKind {
  if (choice === 'mse' || choice === 'cross_entropy' || choice === 'binary_cross_entropy') return choice;
  if (dataset.task === 'regression') return 'mse';
  if (dataset.task === 'binary' && prediction[prediction.length - 1] === 1) return 'binary_cross_entropy';
  if (dataset.task === 'sequence' && !dataset.numClasses) return 'mse';
  return 'cross_entropy';
}

const LOSS_NAMES: Record<LossKind, string> = {
  mse: 'Mean squared error',
  cross_entropy: 'Cross-entropy',
  binary_cross_entropy: 'Binary cross-entropy',
};

function checkPrediction(x: Shape, loss: LossKind, dataset: DatasetInfo): LayerProblem[] {
  const flatten = x.length >= 3 ? { fix: 'Add a Flatten (or Global AvgPool) and a Dense before the output.' } : {};
  // Class predictions: one score per class, per sample (or per time step for sequences).
  const perStep = dataset.task === 'sequence' ? 1 : 0;
  const expectedRank = 1 + perStep;
  if (loss === 'mse') {
    if (dataset.task !== 'regression' && !(dataset.task === 'sequence' && !dataset.numClasses)) {
      return [{ message: `Mean squared error needs a regression dataset, but ${dataset.name} is ${dataset.task} classification.`, fix: "Set the loss to 'auto' or cross-entropy." }];
    }
    if (!sameShape(x, dataset.targetShape)) {
      return [{ message: `The output gets ${describeShape(x)} per sample, but ${dataset.name} has targets of ${describeShape(dataset.targetShape)}.`, fix: `Make the last Dense ${dataset.targetShape[dataset.targetShape.length - 1] ?? 1} units.`, ...flatten, slot: 0 }];
    }
    return [];
  }
  const classes = dataset.numClasses;
  if (!classes) return [{ message: `${LOSS_NAMES[loss]} needs a classification dataset, but ${dataset.name} is ${dataset.task}.`, fix: "Set the loss to 'auto' or mean squared error." }];
  if (loss === 'binary_cross_entropy') {
    if (classes !== 2) return [{ message: `Binary cross-entropy needs two classes, but ${dataset.name} has ${classes}.`, fix: "Set the loss to 'auto' or cross-entropy." }];
    if (x.length !== expectedRank || x[x.length - 1] !== 1) {
      return [{ message: `Binary cross-entropy needs one value per sample (the probability of '${dataset.classNames?.[1] ?? 'class 1'}'), but the output gets ${describeShape(x)}.`, fix: 'Make the last Dense 1 unit.', ...flatten, slot: 0 }];
    }
    return [];
  }
  if (x.length !== expectedRank || x[x.length - 1] !== classes) {
    const got = x.length === expectedRank ? `${x[x.length - 1]} values` : describeShape(x);
    return [{
      message: `The output gets ${got} per ${perStep ? 'time step' : 'sample'}, but ${dataset.name} has ${classes} classes.`,
      fix: x.length >= 3 ? flatten.fix : `Make the last Dense ${classes} units.`,
      slot: 0,
    }];
  }
  return [];
}

/** The loss node: compares the predictions it receives with the dataset's targets. */
export const outputLayer: LayerDef<OutputParams> = {
  type: 'output',
  label: 'Output',
  category: 'Output',
  description: 'The loss: compares predictions with targets',
  keywords: ['loss', 'head', 'cross-entropy', 'mse'],
  params: {
    loss: {
      kind: 'select',
      label: 'Loss',
      help: 'Auto picks cross-entropy for classification and mean squared error for regression.',
      default: 'auto',
      options: [
        { value: 'auto', label: 'Auto' },
        { value: 'cross_entropy', label: 'Cross-entropy' },
        { value: 'binary_cross_entropy', label: 'Binary cross-entropy' },
        { value: 'mse', label: 'Mean squared error' },
      ],
    },
  },
  inputs: { min: 1, max: 1 },
  caption: (p) => (p.loss === 'auto' ? '' : LOSS_NAMES[p.loss as LossKind] ?? ''),
  infer([x], p, { dataset }) {
    const problems = checkPrediction(x!, resolveLoss(p.loss, dataset, x!), dataset);
    return problems.length ? problems : [...x!];
  },
  build: (_ctx, [x]) => x!,
  buildLoss(ctx, x, p) {
    const lossKind = resolveLoss(p.loss, ctx.dataset, x.shape.slice(1));
    const before = ctx.inputTypes[0];
    const { tape } = ctx;
    if (lossKind === 'mse') {
      return { loss: meanSquaredError(tape, x, ctx.target), prediction: x, predictionKind: 'values', lossKind };
    }
    if (lossKind === 'binary_cross_entropy') {
      // Class ids 0/1 per sample, read as the probability of class 1 with the prediction's shape.
      const target = sameShape(ctx.target.shape, x.shape) ? ctx.target : reshape(tape, ctx.target, x.shape.slice(1));
      if (before === 'sigmoid') return { loss: crossEntropyOnProbabilities(tape, x, target), prediction: x, predictionKind: 'probabilities', lossKind };
      return { loss: binaryCrossEntropyWithLogits(tape, x, target), prediction: x, predictionKind: 'logits', lossKind };
    }
    if (before === 'softmax') return { loss: crossEntropyOnProbabilities(tape, x, ctx.target), prediction: x, predictionKind: 'probabilities', lossKind };
    return { loss: softmaxCrossEntropy(tape, x, ctx.target), prediction: x, predictionKind: 'logits', lossKind };
  },
};
