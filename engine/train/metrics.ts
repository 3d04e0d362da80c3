import type { Plan } from '../compiler/plan';

/** Loss and the task's metric over a set of samples. */
export interface Metrics {
  loss: number;
  /**
   * Classification: the fraction of predictions whose highest-scoring class is the target — per
   * sample, or for per-step targets ([T] ids against [T, classes] scores) per time step (token accuracy).
   */
  accuracy?: number;
  /** Regression: mean absolute error. */
  mae?: number;
}

/** Running sums of the metrics over evaluation batches. */
export class MetricSums {
  loss = 0;
  correct = 0;
  absError = 0;
  samples = 0;
  values = 0;

  constructor(private readonly plan: Plan) {}

  reset(): void {
    this.loss = 0;
    this.correct = 0;
    this.absError = 0;
    this.samples = 0;
    this.values = 0;
  }

  /** Adds the live batch after a forward pass. */
  add(): void {
    const { plan } = this;
    const batch = plan.tape.batch;
    this.loss += plan.loss.value[0]! * batch;
    this.samples += batch;
    const pred = plan.prediction.value;
    const target = plan.target.value;
    if (plan.lossKind === 'mse') {
      const n = plan.prediction.size;
      for (let i = 0; i < n; i++) this.absError += Math.abs(pred[i]! - target[i]!);
      this.values += n;
      return;
    }
    const classes = plan.prediction.shape[plan.prediction.rank - 1]!;
    const rows = plan.prediction.size / classes;
    if (classes === 1) {
      const threshold = plan.predictionKind === 'logits' ? 0 : 0.5;
      for (let r = 0; r < rows; r++) if ((pred[r]! > threshold ? 1 : 0) === target[r]) this.correct++;
    } else {
      for (let r = 0, o = 0; r < rows; r++, o += classes) {
        let best = 0;
        for (let c = 1; c < classes; c++) if (pred[o + c]! > pred[o + best]!) best = c;
        if (best === target[r]) this.correct++;
      }
    }
    this.values += rows;
  }

  result(): Metrics {
    const loss = this.loss / Math.max(1, this.samples);
    if (this.plan.lossKind === 'mse') return { loss, mae: this.absError / Math.max(1, this.values) };
    return { loss, accuracy: this.correct / Math.max(1, this.values) };
  }
}
