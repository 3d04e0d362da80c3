import { describe, expect, it } from 'vitest';
import { loadExample } from '../../engine/testing/files';
import { parseModelObject } from '../../engine/model';
import { fromModelDefinition } from '../graph/document';
import { RunHistory } from '../training/history';
import { depthProfile, edgeDepths, firstToLastRatio, KEEP, readRecord, recordRun, stepAt, thinIndices } from './record';

/** A history with `n` snapshots over `edges`, each edge's RMS given by `rms(edgeIndex, step)`. */
function history(edges: string[], n: number, rms: (e: number, step: number) => number): RunHistory {
  const h = new RunHistory();
  h.reset(edges);
  for (let step = 1; step <= n; step++) {
    h.lossSteps.push(step);
    h.trainLoss.push(1 / step);
    h.steps.push(step);
    edges.forEach((id, e) => h.edgeRms.get(id)!.push(rms(e, step)));
    if (step % 10 === 0) h.evaluations.push({ step, epoch: step / 10, train: { loss: 1 / step, accuracy: 0.5 }, test: { loss: 1 / step, accuracy: 0.6 } });
  }
  return h;
}

describe('a kept run', () => {
  const doc = fromModelDefinition(loadExample('deep-sigmoid.json'));

  it('gives each edge its depth in layers from the input, the longest way round', () => {
    const d = edgeDepths({
      nodes: ['in', 'a', 'b', 'add', 'out'].map((id) => ({ id })) as never,
      edges: [
        { id: 'e1', source: 'in', target: 'a' },
        { id: 'e2', source: 'a', target: 'b' },
        { id: 'skip', source: 'a', target: 'add' },
        { id: 'e3', source: 'b', target: 'add' },
        { id: 'e4', source: 'add', target: 'out' },
      ] as never,
    });
    expect(Object.fromEntries(d)).toEqual({ e1: 1, e2: 2, skip: 3, e3: 3, e4: 4 });
    // A cycle has no depth (and cannot train anyway).
    const cyclic = edgeDepths({ nodes: [{ id: 'a' }, { id: 'b' }] as never, edges: [{ id: 'x', source: 'a', target: 'b' }, { id: 'y', source: 'b', target: 'a' }] as never });
    expect(cyclic.size).toBe(0);
  });

  it('is thinned to a bounded size, first and last points kept, and reads back through the schema', () => {
    expect(thinIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    expect(thinIndices(1001, 3)).toEqual([0, 500, 1000]);
    const edges = doc.edges.map((e) => e.id);
    const r = recordRun({ id: 'r1', name: 'Run 1', doc, history: history(edges, 5000, () => 0.1), lossKind: 'crossEntropy', end: 'done', now: 7 })!;
    expect(r.loss.steps).toHaveLength(KEEP.loss);
    expect(r.loss.steps[0]).toBe(1);
    expect(r.loss.steps.at(-1)).toBe(5000);
    expect(r.evaluations).toHaveLength(KEEP.evaluations);
    expect(r.gradients.steps).toHaveLength(KEEP.gradients);
    expect(r.gradients.edges).toHaveLength(edges.length);
    expect(r.steps).toBe(5000);
    expect(r.metric).toBe('accuracy');
    // Its graph opens again as it was.
    const parsed = parseModelObject(JSON.parse(JSON.stringify(r.model)));
    expect(parsed.ok && parsed.model.nodes.map((n) => n.type)).toEqual(doc.nodes.map((n) => n.type));
    expect(JSON.stringify(r).length).toBeLessThan(200_000);
    expect(readRecord(structuredClone(r))).toEqual(r);
    expect(readRecord({ ...r, version: 99 })).toBeNull();
    expect(readRecord({ ...r, loss: 'x' })).toBeNull();
  });

  it('keeps a diverged run’s NaN losses, and its name and pin when it goes on', () => {
    const edges = doc.edges.map((e) => e.id);
    const h = history(edges, 30, () => 0.1);
    h.trainLoss[29] = NaN;
    const first = recordRun({ id: 'r', name: 'Run 1', doc, history: h, lossKind: 'mse', end: 'diverged', now: 1 })!;
    expect(Number.isNaN(first.loss.values.at(-1))).toBe(true);
    expect(readRecord(structuredClone(first))).not.toBeNull();
    expect(first.metric).toBe('mae');
    const renamed = { ...first, name: 'mine', pinned: true };
    // Reset with no step since: it still ended by diverging.
    const again = recordRun({ id: 'r', name: 'Run 9', doc, history: h, lossKind: 'mse', end: 'stopped', now: 2, previous: renamed })!;
    expect(again).toMatchObject({ name: 'mine', pinned: true, createdAt: 1, updatedAt: 2, end: 'diverged' });
    expect(recordRun({ id: 'r', name: 'x', doc, history: new RunHistory(), lossKind: 'mse', end: 'stopped', now: 1 })).toBeNull();
  });

  it('profiles the gradient by depth from the last points: a starving stack has a tiny first-to-last ratio', () => {
    const edges = doc.edges.map((e) => e.id);
    const depths = edgeDepths(doc);
    const max = Math.max(...depths.values());
    // Each layer back from the output passes on a quarter (a sigmoid's largest slope).
    const starving = recordRun({ id: 's', name: 's', doc, history: history(edges, 50, (e) => 0.25 ** (max - depths.get(edges[e]!)!)), lossKind: 'crossEntropy', end: 'stopped', now: 1 })!;
    const profile = depthProfile(starving);
    expect(profile.map((p) => p.depth)).toEqual([...new Set(depths.values())].sort((a, b) => a - b));
    expect(profile.at(-1)!.rms).toBeCloseTo(1);
    expect(firstToLastRatio(profile)).toBeCloseTo(0.25 ** (max - 1));
    const flat = recordRun({ id: 'f', name: 'f', doc, history: history(edges, 50, () => 0.01), lossKind: 'crossEntropy', end: 'stopped', now: 1 })!;
    expect(firstToLastRatio(depthProfile(flat))).toBeCloseTo(1);
    // Early on, the profile reads the first points: a gradient that grows over training is small there.
    const growing = recordRun({ id: 'g', name: 'g', doc, history: history(edges, 50, (_, step) => step), lossKind: 'crossEntropy', end: 'stopped', now: 1 })!;
    expect(depthProfile(growing, 0)[0]!.rms).toBe(1);
    expect(depthProfile(growing, 0.5)[0]!.rms).toBe((22 + 23 + 24 + 25 + 26) / 5);
    expect(depthProfile(growing)[0]!.rms).toBe(48);
    expect([stepAt(growing, 0), stepAt(growing, 0.5), stepAt(growing, 1)]).toEqual([1, 26, 50]);
    // Zero or non-finite tails are left out rather than drawn at −∞ on a log axis.
    const dead = recordRun({ id: 'd', name: 'd', doc, history: history(edges, 50, () => 0), lossKind: 'crossEntropy', end: 'stopped', now: 1 })!;
    expect(depthProfile(dead)).toEqual([]);
    expect(firstToLastRatio([])).toBeNull();
  });
});
