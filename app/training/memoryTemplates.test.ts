/**
 * The long-memory templates, trained headlessly with their own seed (42) and read as the gradient
 * per time step view reads them: the lesson the gallery states must be what the view says.
 * Each step's gradient RMS per time step (Plan.edgeTimeRms, what a snapshot carries) is recorded
 * as a snapshot would be, on the Embedding → recurrent edge.
 */
import { describe, expect, it } from 'vitest';
import { createTrainingRun } from '../../engine/train/run';
import { loadExample, readDatasetFile } from '../../engine/testing/files';
import { readTimeGradient, type TimeReading } from './timeReading';

interface MemoryRun {
  /** The view's reading after each of `at` steps. */
  readings: Map<number, TimeReading>;
  accuracy: number;
}

async function trainTemplate(file: string, steps: number, at: number[]): Promise<MemoryRun> {
  const model = loadExample(file);
  const run = await createTrainingRun(model, readDatasetFile);
  const { plan, trainer } = run;
  const cell = model.nodes.find((n) => n.type === 'rnn' || n.type === 'lstm')!;
  const edge = plan.edges.find((e) => e.target === cell.id)!;
  expect(model.nodes.find((n) => n.id === edge.source)!.type).toBe('embedding');
  expect(edge.timeSteps).toBe(32); // distance 15: the letter is 15 to 30 steps before the last
  const packed = new Float32Array(plan.timeStatsLength);
  const history = { steps: [] as number[], rows: [] as Float32Array[] };
  const readings = new Map<number, TimeReading>();
  for (let s = 1; s <= steps; s++) {
    const r = trainer.trainStep();
    if (r.divergence) throw new Error(r.divergence.message);
    plan.edgeTimeRms(packed);
    history.steps.push(s);
    history.rows.push(packed.slice(edge.timeOffset, edge.timeOffset + edge.timeSteps));
    if (at.includes(s)) readings.set(s, readTimeGradient(history)!);
  }
  return { readings, accuracy: trainer.evaluate('test').accuracy! };
}

const show = (r: MemoryRun) =>
  `test accuracy ${(r.accuracy * 100).toFixed(1)}%; ${[...r.readings].map(([s, x]) => `${x.kind} (last/first ${x.lastOverFirst.toExponential(1)}) over steps ${x.profile.fromStep}–${s}`).join(', ')}`;

describe('the long-memory templates: what the gradient per time step view says matches the lesson', () => {
  // Seen (seed 42): steps 1–100 reach back (last/first 0.2: the recurrent weights start orthogonal
  // and the state is small), then the state saturates and from step ~300 (TypeScript kernels) or
  // ~500 (WebAssembly kernels: float32 sums in another order take this chaotic run elsewhere) to
  // step 800 the first step gets 1e8–1e15× less than the last; read at step 600. Seeds 1 and 2 fade over steps 301–400 too (9e7×,
  // 3e1×) but swing back to 'reaches' for a while later. With the former 32 units (seed 42) the
  // reading over steps 301–400 was 20× and over 201–300 the other way round (0.04×): no lesson.
  // The accuracy stays at chance (25%) throughout.
  it('SimpleRNN (64 units): stays at chance, and after a few hundred steps the early time steps get far less gradient than the late ones', async () => {
    const rnn = await trainTemplate('memory-rnn.json', 600, [100, 600]);
    console.log(`memory-rnn: ${show(rnn)}`);
    expect(rnn.readings.get(100)!.kind).not.toBe('fades');
    expect(rnn.readings.get(600)!.kind).toBe('fades');
    expect(rnn.readings.get(600)!.lastOverFirst).toBeGreaterThanOrEqual(1000);
    expect(rnn.accuracy).toBeLessThanOrEqual(0.4); // 4 letters: chance is 25%
  }, 180_000);

  // Seen (seed 42): steps 1–100 fade 4e2× (the forget gates start near σ(1) ≈ 0.73), the reading
  // turns to 'reaches' by step ~250 and stays there (0.03–6×, to step 750) while accuracy climbs
  // from 30% at step 350 to 99% at step 500. Seed 2 learns by step 300 the same way; once it is
  // at 100% its ratio drifts back up to about 10×, the edge of a fade.
  it('LSTM (32 units): the gradient fades through time at first, then reaches the early steps as it learns the task', async () => {
    const lstm = await trainTemplate('memory-lstm.json', 500, [100, 500]);
    console.log(`memory-lstm: ${show(lstm)}`);
    expect(lstm.readings.get(100)!.kind).toBe('fades');
    expect(lstm.readings.get(100)!.lastOverFirst).toBeGreaterThanOrEqual(100);
    expect(['reaches', 'early']).toContain(lstm.readings.get(500)!.kind);
    expect(lstm.accuracy).toBeGreaterThanOrEqual(0.95);
  }, 180_000);
});
