/**
 * Datasets as the compiler, trainer and UI see them. All values are Float32: features in `x`
 * (count × inputShape, row-major), targets in `y` (count × targetShape).
 *
 * Classification targets are class ids (targetShape []), one float per sample. A binary model
 * with one output unit reads the same buffer as [count, 1] probabilities of class 1.
 * Regression targets have targetShape [k].
 *
 * Task 'sequence' is a target at every time step: targetShape [T] of class ids in
 * [0, numClasses) (next-character prediction; the model ends in [T, numClasses] logits and the
 * loss and accuracy average over every step of every sample), or, without numClasses, [T, k]
 * values. A sequence *input* with one target per sample (recall a token, forecast the next value)
 * is an ordinary 'multiclass' or 'regression' task with inputShape [T] or [T, k].
 */
export type Task = 'binary' | 'multiclass' | 'regression' | 'sequence';

/** Where a dataset comes from; decides how the UI previews it. */
export type DatasetKind = 'synthetic' | 'table' | 'images' | 'text';

export interface DatasetInfo {
  id: string;
  name: string;
  task: Task;
  /** Shape of one sample's features, e.g. [2], [4], [28, 28, 1]. */
  inputShape: number[];
  /** Shape of one sample's target: [] for class ids, [k] for k regression outputs. */
  targetShape: number[];
  /** Classification: the number of classes and their display names. */
  numClasses?: number;
  classNames?: string[];
  featureNames?: string[];
  /** Number of samples. */
  count: number;
  /** One line for the dataset picker. */
  description?: string;
  kind?: DatasetKind;
  /** Tables: the name of the column the model predicts (class label or regression target). */
  targetName?: string;
  /**
   * Features should be standardized before training (fitted on the training split). Set by the
   * CSV loader: table columns differ in scale by orders of magnitude. `splitDataset` reads it.
   */
  standardize?: boolean;
  /**
   * Token-sequence datasets: features are token ids in [0, vocabSize) (stored as floats), which an
   * Embedding layer reads; the Embedding's vocabulary size comes from here.
   */
  vocabSize?: number;
  /** Character datasets: the character of each token id (its length is vocabSize). */
  vocabulary?: string[];
  /**
   * Samples are windows cut in order from one text or series: window i starts at i × stride and
   * covers `span` positions (inputs and targets together). `splitDataset` then holds out the last
   * windows as one contiguous test region and drops the windows between the regions that would
   * share positions with both, instead of shuffling overlapping windows into train and test.
   */
  windows?: { stride: number; span: number };
}

export interface Dataset {
  info: DatasetInfo;
  x: Float32Array;
  y: Float32Array;
}

/** A dataset split for training: standardization (where it applies) is fitted on `train` only. */
export interface SplitDataset {
  info: DatasetInfo;
  train: { x: Float32Array; y: Float32Array; count: number };
  test: { x: Float32Array; y: Float32Array; count: number };
  /** Per-feature mean and std used to standardize, when the dataset asks for it (tables). */
  standardization?: { mean: Float32Array; std: Float32Array };
}

/**
 * A data problem found while reading a file: what is wrong and where
 * ("column 'age', row 14: 'n/a' is not a number").
 */
export class DatasetError extends Error {
  constructor(
    message: string,
    readonly where?: { row?: number; column?: string },
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}
