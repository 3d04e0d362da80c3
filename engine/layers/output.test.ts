import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/compile';
import { chain } from '../compiler/fixtures';
import { buildPlan, type Plan } from '../compiler/plan';
import type { CompiledGraph } from '../compiler/types';
import { Rng } from '../core/rng';
import type { Var } from '../core/tape';
import type { DatasetInfo } from '../data/types';
import { MetricSums } from '../train/metrics';

/** Next-token targets at each of 4 steps, 5 token classes. */
const chars: DatasetInfo = { id: 'chars', name: 'Chars', task: 'sequence', inputShape: [4], targetShape: [4], numClasses: 5, vocabSize: 5, count: 10, windows: { stride: 4, span: 5 } };
const recallInfo: DatasetInfo = { id: 'recall', name: 'Recall', task: 'multiclass', inputShape: [6], targetShape: [], numClasses: 4, vocabSize: 8, count: 10 };
const forecast: DatasetInfo = { id: 'sine_forecast', name: 'Sine forecast', task: 'regression', inputShape: [20, 1], targetShape: [1], count: 10 };

/** Reads each token id as one feature per step, then a Dense per step: [4] → [4, 1] → [4, units]. */
const perStep = (...rest: { type: string; params?: Record<string, unknown> }[]) => chain({ type: 'reshape', params: { targetShape: [4, 1] } }, { type: 'dense', params: { units: 5 } }, ...rest);

const BATCH = 3;

/** The plan's parameters in creation order: the one Dense's kernel [1, 5] and bias [5]. */
function paramsOf(plan: Plan): Var[] {
  return plan.nodes.flatMap((n) => n.params);
}

function loadBatch(plan: Plan, seed: number): void {
  const rng = new Rng(seed);
  plan.tape.setBatch(BATCH);
  for (let i = 0; i < BATCH * 4; i++) {
    plan.input.value[i] = rng.int(5);
    plan.target.value[i] = rng.int(5);
  }
}

/** The loss by hand, in float64: mean over batch × steps of log Σ exp(z) − z[target], with z = id·W + b. */
function handLoss(plan: Plan): { loss: number; correct: number } {
  const [kernel, bias] = paramsOf(plan);
  let total = 0;
  let correct = 0;
  for (let r = 0; r < BATCH * 4; r++) {
    const id = plan.input.value[r]!;
    const z = Array.from({ length: 5 }, (_, c) => id * kernel!.value[c]! + bias!.value[c]!);
    const max = Math.max(...z);
    const logSum = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
    const target = plan.target.value[r]!;
    total += logSum - z[target]!;
    if (z.indexOf(max) === target) correct++;
  }
  return { loss: total / (BATCH * 4), correct };
}

function errorsAt(c: CompiledGraph, nodeId: string) {
  return c.issues.filter((i) => i.severity === 'error' && i.nodeId === nodeId);
}

describe('per-step classification: [T] token ids against [T, V] scores', () => {
  it('compiles to cross-entropy with [4, 5] predictions', () => {
    const c = compile(perStep(), chars);
    expect(c.ok).toBe(true);
    expect(c.lossKind).toBe('cross_entropy');
    expect(c.nodes.get('n3')!.shape).toEqual([4, 5]);
  });

  it('averages softmax cross-entropy over every step of every sample, and counts token accuracy', () => {
    const plan = buildPlan(perStep(), chars, { maxBatch: 4, seed: 2 });
    loadBatch(plan, 7);
    plan.tape.forward();
    const hand = handLoss(plan);
    expect(plan.loss.value[0]).toBeCloseTo(hand.loss, 5);
    const sums = new MetricSums(plan);
    sums.add();
    const metrics = sums.result();
    expect(metrics.loss).toBeCloseTo(hand.loss, 5);
    expect(metrics.accuracy).toBeCloseTo(hand.correct / (BATCH * 4), 10);
  });

  it('gives the gradient that finite differences of the loss give', () => {
    const plan = buildPlan(perStep(), chars, { maxBatch: 4, seed: 3 });
    loadBatch(plan, 11);
    plan.tape.forward();
    plan.tape.backward(plan.loss);
    const eps = 1e-2;
    for (const p of paramsOf(plan)) {
      const analytic = Array.from(p.grad.subarray(0, p.size));
      for (let i = 0; i < p.size; i++) {
        const keep = p.value[i]!;
        p.value[i] = keep + eps;
        plan.tape.forward();
        const up = handLoss(plan).loss;
        p.value[i] = keep - eps;
        plan.tape.forward();
        const down = handLoss(plan).loss;
        p.value[i] = keep;
        const numeric = (up - down) / (2 * eps);
        expect(Math.abs(analytic[i]! - numeric)).toBeLessThan(1e-3 + 1e-2 * Math.abs(numeric));
      }
    }
  });

  it('gives the same loss after an explicit Softmax (cross-entropy on probabilities) as on logits', () => {
    const logits = buildPlan(perStep(), chars, { maxBatch: 4, seed: 4 });
    const probs = buildPlan(perStep({ type: 'softmax' }), chars, { maxBatch: 4, seed: 4 });
    paramsOf(logits).forEach((p, i) => paramsOf(probs)[i]!.value.set(p.value));
    loadBatch(logits, 5);
    loadBatch(probs, 5);
    logits.tape.forward();
    probs.tape.forward();
    expect(probs.predictionKind).toBe('probabilities');
    expect(probs.loss.value[0]).toBeCloseTo(logits.loss.value[0]!, 5);
    expect(probs.loss.value[0]).toBeCloseTo(handLoss(logits).loss, 5);
  });

  it('says how many units the last Dense needs per step', () => {
    const g = chain({ type: 'reshape', params: { targetShape: [4, 1] } }, { type: 'dense', params: { units: 7 } });
    const [issue] = errorsAt(compile(g, chars), 'n3');
    expect(issue).toMatchObject({ message: 'The output gets 7 values per time step, but Chars has 5 classes.', fix: 'Make the last Dense 5 units.' });
  });

  it('asks to keep the time axis when the output has none', () => {
    const [issue] = errorsAt(compile(chain({ type: 'dense', params: { units: 5 } }), chars), 'n2');
    expect(issue!.message).toBe('The output gets 5 values per sample, but Chars has a target at each of 4 time steps (5 classes): it needs 4×5.');
    expect(issue!.fix).toContain('Keep the time axis to the end');
    expect(issue!.fix).toContain('make the last Dense 5 units');
  });

  it('names a changed number of time steps', () => {
    const g = chain({ type: 'reshape', params: { targetShape: [2, 2] } }, { type: 'dense', params: { units: 5 } });
    const [issue] = errorsAt(compile(g, chars), 'n3');
    expect(issue).toMatchObject({ message: 'The output has 2 time steps, but Chars has a target at each of 4 time steps (5 classes).', fix: 'Keep all 4 steps: remove the layer that changes the sequence length.' });
  });
});

describe('one target per sample after a sequence input', () => {
  it('asks to reduce the time axis when a class prediction comes per step', () => {
    const g = chain({ type: 'reshape', params: { targetShape: [6, 1] } }, { type: 'dense', params: { units: 4 } });
    const [issue] = errorsAt(compile(g, recallInfo), 'n3');
    expect(issue!.message).toBe('The output gets 6×4 per sample (scores at every time step), but Recall has one class per sample (4 classes).');
    expect(issue!.fix).toBe(
      'Make the last Dense 4 units and reduce the time axis before it: turn off Return sequences on the last recurrent layer, or add a Last Step or Global AvgPool 1D (or a Flatten).',
    );
  });

  it('does the same for a forecast that predicts a value per step', () => {
    const [issue] = errorsAt(compile(chain({ type: 'dense', params: { units: 1 } }), forecast), 'n2');
    expect(issue!.message).toBe('The output gets 20×1 per sample (values at every time step), but Sine forecast has 1 target value per sample.');
    expect(issue!.fix).toMatch(/^Make the last Dense 1 unit and reduce the time axis before it/);
    expect(compile(chain({ type: 'flatten' }, { type: 'dense', params: { units: 1 } }), forecast).ok).toBe(true);
  });

  it('trains a flattened token sequence to one class (the recall shape)', () => {
    const c = compile(chain({ type: 'dense', params: { units: 8 } }, { type: 'relu' }, { type: 'dense', params: { units: 4 } }), recallInfo);
    expect(c.ok).toBe(true);
    expect(c.lossKind).toBe('cross_entropy');
  });
});
