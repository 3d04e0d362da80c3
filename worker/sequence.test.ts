import { afterEach, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { remoteSession } from './testing';
import type { Snapshot } from './protocol';
import { EDGE_STATS } from '../engine/compiler/plan';
import { loadBuiltinDataset } from '../engine/data';
import { readDatasetFile } from '../engine/testing/files';

let close: (() => void) | undefined;
afterEach(() => close?.());

const T = 16;

/** A one-block causal transformer on Moby Dick characters, as a model file. */
function tinyTransformer(): unknown {
  const nodes = [
    ['in', 'input', {}],
    ['emb', 'embedding', { outputDim: 24 }],
    ['pos', 'positional_encoding', {}],
    ['att', 'attention', { numHeads: 2, keyDim: 12, causal: true }],
    ['add', 'add', {}],
    ['ln', 'layernorm', {}],
    ['head', 'dense', { units: 0 }],
    ['out', 'output', {}],
  ] as const;
  const edges = [
    ['in', 'emb', 0],
    ['emb', 'pos', 0],
    ['pos', 'att', 0],
    ['pos', 'add', 0],
    ['att', 'add', 1],
    ['add', 'ln', 0],
    ['ln', 'head', 0],
    ['head', 'out', 0],
  ] as const;
  return {
    format: 'gradflow.model',
    version: 1,
    nodes: nodes.map(([id, type, params]) => ({ id, type, params })),
    edges: edges.map(([source, target, targetSlot]) => ({ id: `${source}-${target}`, source, target, targetSlot })),
    training: { dataset: 'moby_dick', datasetOptions: { seqLength: T }, optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 10_000, testFraction: 0.1, seed: 3, l2: 0 },
  };
}

async function loaded() {
  const r = remoteSession();
  close = r.close;
  const snapshots: Snapshot[] = [];
  await r.api.subscribe(Comlink.proxy((s: Snapshot) => void snapshots.push(s)));
  // The head's units must be the vocabulary's size: a first load tells it (the compiler says so).
  const model = tinyTransformer() as { nodes: { id: string; params: Record<string, unknown> }[] };
  const first = await r.api.load(model);
  expect(first.ok).toBe(false);
  const vocab = (await loadBuiltinDataset('moby_dick', { seqLength: T }, readDatasetFile)).info.vocabSize!;
  model.nodes.find((n) => n.id === 'head')!.params.units = vocab;
  const info = await r.api.load(model);
  if (!info.ok) throw new Error(JSON.stringify(info.errors));
  return { ...r, snapshots, info, vocab };
}

describe('sequence views in the worker', () => {
  it('reads a test sample’s attention weights per head: rows sum to 1, nothing above the diagonal (causal), tokens as text', async () => {
    const { api, info } = await loaded();
    // The loss chart's reference: the unigram baseline of the training text, in nats per character.
    expect(info.baseline!.label).toBe('unigram');
    expect(info.baseline!.loss).toBeGreaterThan(2.9);
    expect(info.baseline!.loss).toBeLessThan(3.2);
    await api.step(20);
    const map = await api.attention('att', 3);
    if ('error' in map) throw new Error(map.error);
    expect([map.heads, map.steps, map.sample]).toEqual([2, T, 3]);
    expect(map.weights.length).toBe(2 * T * T);
    for (let h = 0; h < 2; h++) {
      for (let q = 0; q < T; q++) {
        let sum = 0;
        for (let k = 0; k < T; k++) {
          const w = map.weights[(h * T + q) * T + k]!;
          if (k > q) expect(w).toBe(0);
          sum += w;
        }
        expect(sum).toBeCloseTo(1, 5);
      }
    }
    expect(map.tokens).toHaveLength(T);
    for (const t of map.tokens) expect(info.dataset.vocabulary).toContain(t);
    // A layer without attention weights gets a message, not a throw.
    const wrong = await api.attention('ln', 0);
    expect('error' in wrong && wrong.error).toMatch(/no attention weights/);
  });

  it('generates text from a prompt, seeded, in the vocabulary; refuses bad prompts and temperatures with a reason', async () => {
    const { api, snapshots, info } = await loaded();
    await api.step(5);
    const stepBefore = snapshots.at(-1)!.step;
    const gradients = (s: Snapshot) => Array.from({ length: info.edgeIds.length }, (_, e) => s.edgeStats[e * EDGE_STATS]);
    const before = gradients(snapshots.at(-1)!);
    // Longer than one chunk: the worker yields between chunks and keeps answering the heartbeat.
    const pending = api.sampleText({ prompt: 'Call me ', length: 300, temperature: 0.8, seed: 7 });
    let answeredFirst = false;
    await Promise.all([api.ping().then(() => void (answeredFirst = true)), pending.then(() => expect(answeredFirst).toBe(true))]);
    const a = await pending;
    const b = await api.sampleText({ prompt: 'Call me ', length: 300, temperature: 0.8, seed: 7 });
    if ('error' in a) throw new Error(a.error);
    expect(a.text).toHaveLength(300);
    expect(b).toEqual(a);
    for (const c of a.text) expect(info.dataset.vocabulary).toContain(c);
    // Sampling does not train: the run is where it was, and the gradients a snapshot reports are
    // still those of the last training batch (the eval passes ran at batch 1).
    expect((await api.state()).step).toBe(stepBefore);
    await api.watch(info.edgeIds[2]!, null);
    expect(gradients(snapshots.at(-1)!)).toEqual(before);
    await api.step(1);
    expect(snapshots.at(-1)!.step).toBe(stepBefore + 1);
    expect(await api.sampleText({ prompt: 'Call me \u00e9', length: 5, temperature: 1 })).toEqual({ error: expect.stringMatching(/"é".*not in the text/) });
    expect(await api.sampleText({ prompt: 'a', length: 5, temperature: 0 })).toEqual({ error: expect.stringMatching(/Temperature must be above 0/) });
    expect(await api.sampleText({ prompt: 'a', length: 0, temperature: 1 })).toEqual({ error: expect.stringMatching(/Length must be/) });
  });

  it('a trained model writes more like the text at a low temperature than an untrained one', async () => {
    const { api } = await loaded();
    const common = { prompt: 'the ', length: 300, seed: 11 };
    const untrained = await api.sampleText({ ...common, temperature: 0.5 });
    await api.step(400);
    const trained = await api.sampleText({ ...common, temperature: 0.5 });
    if ('error' in untrained || 'error' in trained) throw new Error('sampling failed');
    // English is mostly lower-case letters and spaces; a uniform guess over the vocabulary is not.
    const plain = (s: string) => [...s].filter((c) => /[a-z ]/.test(c)).length / s.length;
    expect(plain(trained.text)).toBeGreaterThan(0.85);
    expect(plain(trained.text)).toBeGreaterThan(plain(untrained.text));
  });
});
