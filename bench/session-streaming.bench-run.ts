/**
 * npm run bench (third part): the cost of streaming. The MNIST MLP example trains for a fixed
 * number of steps with the bare trainer, and through a TrainingSession over comlink
 * (MessageChannel) with snapshots streaming at up to 20 per second. Both evaluate the test set
 * once per epoch (the session must, for its test metrics), so the difference is the streaming:
 * per-edge and per-node statistics, packing, transfer and the listener. Runs alternate, three of
 * each, and the best of each is compared (the machine's noise is larger than the effect).
 * The bar: under 5%. The cost of the per-epoch evaluation itself is printed too.
 */
import { expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { createTrainingRun } from '../engine/train/run';
import { loadExample, readDatasetFile } from '../engine/testing/files';
import { remoteSession } from '../worker/testing';
import type { Snapshot } from '../worker/protocol';

const only = process.env.BENCH_ONLY;
const STEPS = 1000;

const model = loadExample('mnist-mlp.json');
const batch = model.training.batchSize;

/** Samples per second of STEPS bare trainer steps, evaluating the test set at each epoch's end when asked. */
async function bare(evaluate: boolean): Promise<number> {
  const { trainer } = await createTrainingRun(model, readDatasetFile);
  for (let i = 0; i < 30; i++) trainer.trainStep();
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) {
    trainer.trainStep();
    if (evaluate && trainer.epochDone) trainer.evaluate('test');
  }
  return (STEPS * batch) / ((performance.now() - t0) / 1000);
}

/** Samples per second of STEPS steps through the session, and the snapshot rate. */
async function streamed(): Promise<{ rate: number; snapshots: number }> {
  const { api, close } = remoteSession();
  let received = 0;
  await api.subscribe(Comlink.proxy((s: Snapshot) => {
    received++;
    void s.edgeStats[0];
  }));
  const info = await api.load(model);
  if (!info.ok) throw new Error('load failed');
  await api.step(30);
  const before = received;
  const t0 = performance.now();
  await api.step(STEPS);
  const seconds = (performance.now() - t0) / 1000;
  close();
  return { rate: (STEPS * batch) / seconds, snapshots: (received - before) / seconds };
}

it.runIf(!only || 'streaming'.includes(only.toLowerCase()))('session streaming costs under 5% of training throughput (MNIST MLP)', async () => {
  const withEval: number[] = [];
  const plain: number[] = [];
  const session: { rate: number; snapshots: number }[] = [];
  for (let round = 0; round < 3; round++) {
    withEval.push(await bare(true));
    session.push(await streamed());
    plain.push(await bare(false));
  }
  const best = (xs: number[]) => Math.max(...xs);
  const baseline = best(withEval);
  const ours = best(session.map((s) => s.rate));
  const cost = 1 - ours / baseline;
  const evalCost = 1 - baseline / best(plain);
  console.log(`MNIST MLP, ${STEPS} steps of ${batch} (best of 3): bare trainer ${Math.round(best(plain))} samples/s, with per-epoch test evaluation ${Math.round(baseline)}; session streaming ${session.map((s) => s.snapshots.toFixed(1)).join('/')} snapshots/s at ${Math.round(ours)} samples/s. Streaming cost ${(cost * 100).toFixed(1)}%; the evaluation itself costs ${(evalCost * 100).toFixed(1)}%.`);
  expect(cost).toBeLessThan(0.05);
});
