import type { Shape } from '../core/shape';
import { sameShape } from '../core/shape';
import type { DatasetInfo } from '../data/types';
import { binaryCrossEntropyWithLogits, crossEntropyOnProbabilities, meanSquaredError, PROB_EPSILON, softmaxCrossEntropy } from '../losses/losses';
import { pyNumber, pySource } from './torch';
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

/** The fix for a prediction that kept a time axis its dataset's targets do not have. */
const REDUCE_TIME = 'reduce the time axis before it: turn off Return sequences on the last recurrent layer, or add a Last Step or Global AvgPool 1D (or a Flatten)';

function checkPrediction(x: Shape, loss: LossKind, dataset: DatasetInfo): LayerProblem[] {
  const flatten = x.length >= 3 ? { fix: 'Add a Flatten (or Global AvgPool) and a Dense before the output.' } : {};
  // Per-step targets: class ids [T] against scores [T, classes], or values [T, k] against [T, k].
  const perStep = dataset.task === 'sequence';
  if (loss === 'mse') {
    if (dataset.task !== 'regression' && !(perStep && !dataset.numClasses)) {
      return [{ message: `Mean squared error needs a regression dataset, but ${dataset.name} is ${dataset.task} classification.`, fix: "Set the loss to 'auto' or cross-entropy." }];
    }
    if (sameShape(x, dataset.targetShape)) return [];
    const units = dataset.targetShape[dataset.targetShape.length - 1] ?? 1;
    if (x.length === 2 && dataset.targetShape.length === 1) {
      return [{
        message: `The output gets ${describeShape(x)} per sample (values at every time step), but ${dataset.name} has ${units} target ${units === 1 ? 'value' : 'values'} per sample.`,
        fix: `Make the last Dense ${units} ${units === 1 ? 'unit' : 'units'} and ${REDUCE_TIME}.`,
        slot: 0,
      }];
    }
    return [{ message: `The output gets ${describeShape(x)} per sample, but ${dataset.name} has targets of ${describeShape(dataset.targetShape)}.`, fix: `Make the last Dense ${units} units.`, ...flatten, slot: 0 }];
  }
  const classes = dataset.numClasses;
  if (!classes) return [{ message: `${LOSS_NAMES[loss]} needs a classification dataset, but ${dataset.name} is ${dataset.task}.`, fix: "Set the loss to 'auto' or mean squared error." }];
  if (perStep) return checkPerStepScores(x, loss, dataset, classes);
  if (loss === 'binary_cross_entropy') {
    if (classes !== 2) return [{ message: `Binary cross-entropy needs two classes, but ${dataset.name} has ${classes}.`, fix: "Set the loss to 'auto' or cross-entropy." }];
    if (x.length !== 1 || x[0] !== 1) {
      const fix = x.length === 2 ? `Make the last Dense 1 unit and ${REDUCE_TIME}.` : 'Make the last Dense 1 unit.';
      return [{ message: `Binary cross-entropy needs one value per sample (the probability of '${dataset.classNames?.[1] ?? 'class 1'}'), but the output gets ${describeShape(x)}.`, fix, ...(x.length >= 3 ? flatten : {}), slot: 0 }];
    }
    return [];
  }
  if (x.length === 1 && x[0] === classes) return [];
  if (x.length === 2) {
    return [{
      message: `The output gets ${describeShape(x)} per sample (scores at every time step), but ${dataset.name} has one class per sample (${classes} classes).`,
      fix: `Make the last Dense ${classes} units and ${REDUCE_TIME}.`,
      slot: 0,
    }];
  }
  const got = x.length === 1 ? `${x[0]} values` : describeShape(x);
  return [{ message: `The output gets ${got} per sample, but ${dataset.name} has ${classes} classes.`, fix: x.length >= 3 ? flatten.fix : `Make the last Dense ${classes} units.`, slot: 0 }];
}

/** A target class at each of T time steps: the output must be [T, classes] (one unit for binary cross-entropy). */
function checkPerStepScores(x: Shape, loss: LossKind, dataset: DatasetInfo, classes: number): LayerProblem[] {
  const steps = dataset.targetShape[0]!;
  const units = loss === 'binary_cross_entropy' ? 1 : classes;
  if (loss === 'binary_cross_entropy' && classes !== 2) {
    return [{ message: `Binary cross-entropy needs two classes, but ${dataset.name} has ${classes}.`, fix: "Set the loss to 'auto' or cross-entropy." }];
  }
  const what = `${dataset.name} has a target at each of ${steps} time steps (${classes} classes)`;
  if (x.length !== 2) {
    const got = x.length === 1 ? `${x[0]} values` : describeShape(x);
    return [{
      message: `The output gets ${got} per sample, but ${what}: it needs ${steps}×${units}.`,
      fix: `Keep the time axis to the end (Return sequences on in recurrent layers; no Flatten, Last Step or pooling over time), and make the last Dense ${units} ${units === 1 ? 'unit' : 'units'}: a Dense acts on each step.`,
      slot: 0,
    }];
  }
  if (x[0] !== steps) {
    return [{ message: `The output has ${x[0]} time steps, but ${what}.`, fix: `Keep all ${steps} steps: remove the layer that changes the sequence length.`, slot: 0 }];
  }
  if (x[1] !== units) {
    return [{ message: `The output gets ${x[1]} values per time step, but ${dataset.name} has ${classes} classes.`, fix: `Make the last Dense ${units} ${units === 1 ? 'unit' : 'units'}.`, slot: 0 }];
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
  role: 'output',
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
  torch: {
    definitions: {
      clipped_log: pySource(
        'def clipped_log(p):',
        `    """log p with p clipped to [${PROB_EPSILON}, 1 - ${PROB_EPSILON}], as Keras does (clipped values get no gradient)."""`,
        `    return torch.log(torch.clamp(p, ${pyNumber(PROB_EPSILON)}, 1 - ${pyNumber(PROB_EPSILON)}))`,
      ),
    },
    forward: ([x]) => x!,
    // Each a mean over every row (or element), as the engine's losses are.
    loss(pred, target, _p, { lossKind, inputTypes: [before], output }) {
      if (lossKind === 'mse') return `F.mse_loss(${pred}, ${target}.reshape(${pred}.shape))`;
      if (lossKind === 'binary_cross_entropy') {
        const t = `${target}.reshape(${pred}.shape)`;
        if (before === 'sigmoid') return `-(${t} * clipped_log(${pred}) + (1 - ${t}) * clipped_log(1 - ${pred})).mean()`;
        return `F.binary_cross_entropy_with_logits(${pred}, ${t})`;
      }
      const classes = output[output.length - 1]!;
      if (before === 'softmax') return `-clipped_log(${pred}).reshape(-1, ${classes}).gather(1, ${target}.long().reshape(-1, 1)).mean()`;
      return `F.cross_entropy(${pred}.reshape(-1, ${classes}), ${target}.long().reshape(-1))`;
    },
  },
  // The model's output is what the engine predicts: the tensor this node receives.
  onnx: { write: (_b, [x]) => x! },
};
