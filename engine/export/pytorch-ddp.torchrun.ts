/**
 * The exported PyTorch project under `torchrun --nproc_per_node 2` (DistributedDataParallel, gloo
 * on CPU): it trains an example (the loss falls), both processes end with identical weights, and
 * what they saved opens in the engine.
 *
 * Run on its own (npm run test:torchrun, part of npm test after the unit tests), not in the unit
 * suite's parallel pool: two training processes talking over TCP stalled there once on this
 * two-core machine. Skipped, saying why, without PyTorch; under CI a missing PyTorch fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModel } from '../model';
import { createTrainingRun } from '../train/run';
import { pytorchFiles } from './pytorch';
import { decodeSafetensors } from './safetensors';
import { loadWeights, planWeights } from './weights';
import { torchAvailability } from './testing/torch-check';

const torch = torchAvailability();
if (!torch.ok) {
  if (process.env.CI) throw new Error(`PyTorch is needed for the export checks under CI: ${torch.why}`);
  console.warn(`engine/export/pytorch-ddp.torchrun.ts: the torchrun check is SKIPPED: ${torch.why}`);
}

describe.skipIf(!torch.ok)('the exported PyTorch project trains under torchrun', () => {
  it('two processes: the loss falls, and both end with identical weights', async () => {
    const parsed = parseModel(readFileSync('examples/iris.json', 'utf8'));
    if (!parsed.ok) throw new Error('examples/iris.json does not load');
    const model = { ...parsed.model, training: { ...parsed.model.training, epochs: 4 } };
    const run = await createTrainingRun(model, async (name) => new Uint8Array(readFileSync(`public/datasets/${name}`)));
    const dir = mkdtempSync(join(tmpdir(), 'gradflow-torchrun-'));
    for (const [name, content] of pytorchFiles(run, model)) writeFileSync(join(dir, name), content);

    // --redirects 2 --tee 2: Debian's torch 1.13 on Python 3.11 cannot read the default ("0") of
    // either (its Std.from_str returns None), so stderr is teed explicitly, and stdout left alone.
    const r = spawnSync('torchrun', ['--nproc_per_node', '2', '--redirects', '2', '--tee', '2', '--standalone', join(dir, 'train.py'), '--save', join(dir, 'trained.safetensors')], {
      encoding: 'utf8',
      cwd: dir,
      env: { ...process.env, OMP_NUM_THREADS: '1' },
      timeout: 300_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const epochs = lines.filter((l) => l.event === 'epoch');
    expect(epochs).toHaveLength(4);
    expect(epochs.at(-1)!.train_loss as number).toBeLessThan(epochs[0]!.train_loss as number);
    const done = lines.find((l) => l.event === 'done')!;
    expect(done.processes).toBe(2);
    const digests = done.weights_sha256 as string[];
    expect(digests).toHaveLength(2);
    expect(digests[1]).toBe(digests[0]);
    // What PyTorch trained opens in Gradflow: the same names and shapes, other values.
    const trained = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'trained.safetensors'))));
    const before = planWeights(run.plan);
    expect(loadWeights(run.plan, trained.tensors)).toEqual({ ok: true, loaded: before.length });
    expect(planWeights(run.plan)[0]!.data).not.toEqual(before[0]!.data);
  }, 300_000);
});
