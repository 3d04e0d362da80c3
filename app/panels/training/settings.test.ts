import { describe, expect, it } from 'vitest';
import { findBuiltinDataset, type SyntheticEntry, type TextEntry } from '../../../engine/data';
import { TrainingSchema } from '../../../engine/model/schema';
import { datasetOptionFields, parseSetting, settingPatch, settingProblem, settingRange, settingValue } from './settings';

const defaults = TrainingSchema.parse({});

describe('settings validation', () => {
  it('accepts values inside the schema bounds', () => {
    expect(settingProblem('learningRate', 10)).toBeNull();
    expect(settingProblem('batchSize', 4096)).toBeNull();
    expect(settingProblem('testFraction', 0)).toBeNull();
    expect(settingProblem('seed', -7)).toBeNull();
    expect(settingProblem('noise', 1)).toBeNull();
  });

  it('says which bound a refused value breaks, and what it was', () => {
    expect(settingProblem('learningRate', 0)).toBe('Learning rate must be greater than 0, got 0.');
    expect(settingProblem('learningRate', 11)).toBe('Learning rate must be at most 10, got 11.');
    expect(settingProblem('batchSize', 5000)).toBe('Batch size must be at most 4,096, got 5,000.');
    expect(settingProblem('batchSize', 0)).toBe('Batch size must be at least 1, got 0.');
    expect(settingProblem('epochs', 2.5)).toBe('Epochs must be a whole number, got 2.5.');
    expect(settingProblem('testFraction', 0.95)).toBe('Test split must be at most 0.9, got 0.95.');
    expect(settingProblem('l2', -0.1)).toBe('L2 must be at least 0, got -0.1.');
    expect(settingProblem('seed', 1.5)).toBe('Seed must be a whole number, got 1.5.');
    expect(settingProblem('count', 5)).toBe('Samples must be at least 10, got 5.');
    expect(settingProblem('noise', 2)).toBe('Noise must be at most 1, got 2.');
    expect(settingProblem('l2', Infinity)).toBe('L2 must be a finite number.');
  });

  it('reads typed text, refusing what is not a plain number', () => {
    expect(parseSetting('learningRate', ' 3e-4 ')).toEqual({ ok: true, value: 0.0003 });
    expect(parseSetting('batchSize', '64')).toEqual({ ok: true, value: 64 });
    expect(parseSetting('batchSize', '')).toEqual({ ok: false, problem: 'Batch size needs a value.' });
    expect(parseSetting('batchSize', 'lots')).toEqual({ ok: false, problem: "Batch size must be a number, got 'lots'." });
    expect(parseSetting('batchSize', '0x10')).toEqual({ ok: false, problem: "Batch size must be a number, got '0x10'." });
    expect(parseSetting('epochs', '0')).toEqual({ ok: false, problem: 'Epochs must be at least 1, got 0.' });
  });

  it('a refused value gives no patch, so the old value stays', () => {
    expect(settingPatch(defaults, 'batchSize', 10_000)).toEqual({ ok: false, problem: 'Batch size must be at most 4,096, got 10,000.' });
    expect(settingPatch(defaults, 'batchSize', 64)).toEqual({ ok: true, patch: { batchSize: 64 } });
  });

  it('puts noise and sample count into datasetOptions, keeping the other options', () => {
    const training = { ...defaults, datasetOptions: { noise: 0.1, classes: 3 } };
    expect(settingPatch(training, 'count', 800)).toEqual({ ok: true, patch: { datasetOptions: { noise: 0.1, classes: 3, count: 800 } } });
  });

  it("shows a synthetic dataset's default when the document sets no option", () => {
    const spiral = findBuiltinDataset('spiral') as SyntheticEntry;
    expect(settingValue(defaults, 'noise', spiral)).toBe(spiral.defaults.noise);
    expect(settingValue({ ...defaults, datasetOptions: { noise: 0.5 } }, 'noise', spiral)).toBe(0.5);
    expect(settingValue(defaults, 'batchSize')).toBe(32);
  });

  it('offers the options each dataset reads: sequence length, distance, no noise where there is none', () => {
    const entry = (id: string) => findBuiltinDataset(id) as SyntheticEntry | TextEntry;
    expect(datasetOptionFields(entry('spiral'))).toEqual(['noise', 'count']);
    expect(datasetOptionFields(entry('sine_forecast'))).toEqual(['noise', 'count', 'seqLength']);
    expect(datasetOptionFields(entry('recall'))).toEqual(['count', 'distance']);
    expect(datasetOptionFields(entry('moby_dick'))).toEqual(['seqLength']);
    expect(datasetOptionFields(undefined)).toEqual([]);
    expect(settingValue(defaults, 'seqLength', entry('moby_dick'))).toBe(32);
    expect(settingValue({ ...defaults, datasetOptions: { distance: 25 } }, 'distance', entry('recall'))).toBe(25);
  });

  it('checks sequence options against the schema and stores them in datasetOptions', () => {
    expect(settingProblem('seqLength', 1)).toBe('Sequence length must be at least 2, got 1.');
    expect(settingProblem('seqLength', 300)).toBe('Sequence length must be at most 256, got 300.');
    expect(settingProblem('distance', 7.5)).toBe('Distance must be a whole number, got 7.5.');
    expect(settingRange('distance')).toBe('1–100');
    expect(settingPatch({ ...defaults, datasetOptions: { count: 500 } }, 'seqLength', 64)).toEqual({ ok: true, patch: { datasetOptions: { count: 500, seqLength: 64 } } });
  });

  it('hints at the bounds from the schema', () => {
    expect(settingRange('batchSize')).toBe('1–4,096');
    expect(settingRange('testFraction')).toBe('0–0.9');
    expect(settingRange('l2')).toBe('≥ 0');
    expect(settingRange('seed')).toBe('');
  });
});
