import { describe, expect, it } from 'vitest';
import { buildPlan } from '../compiler/plan';
import { loadExample, readDatasetFile } from '../testing/files';
import { createTrainingRun } from '../train/run';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type NamedTensor } from './safetensors';
import { loadWeights, planWeights } from './weights';

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** The error a decode throws, or undefined when it does not. */
function refusal(bytes: Uint8Array): string | undefined {
  try {
    decodeSafetensors(bytes);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    return (e as Error).message;
  }
}

/** A file from a header object and data bytes, laid out by hand (no encoder involved). */
function handMade(header: unknown, data: number[], headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors files', () => {
  it('are laid out exactly as the format says: u64 LE header length, JSON padded with spaces to 8 bytes, F32 LE data', () => {
    const file = encodeSafetensors([
      { name: 'dense_1.kernel', shape: [1, 2], data: Float32Array.of(1, -2) },
      { name: 'dense_1.bias', shape: [1], data: Float32Array.of(0.5) },
    ]);
    const json = '{"dense_1.kernel":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"dense_1.bias":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}';
    const padded = json + ' '.repeat((8 - (json.length % 8)) % 8);
    expect(padded.length % 8).toBe(0);
    const expected = [
      ...[padded.length, 0, 0, 0, 0, 0, 0, 0],
      ...Array.from(padded, (c) => c.charCodeAt(0)),
      // 1.0, -2.0, 0.5 as little-endian IEEE 754 single precision.
      ...[0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x3f],
    ];
    expect(padded.length).toBeLessThan(256);
    expect(Array.from(file)).toEqual(expected);
  });

  it('round-trip every float32 bit pattern that matters (NaN, ±0, ±Infinity, subnormals) and the metadata', () => {
    const special = Float32Array.of(NaN, -0, 0, Infinity, -Infinity, 1.4e-45, -1.17549435e-38, 3.4028235e38, Math.PI, -1 / 3);
    const random = new Float32Array(1000).map((_, i) => Math.sin(i * 12.9898) * 43758.5453);
    const tensors: NamedTensor[] = [
      { name: 'a.special', shape: [2, 5], data: special },
      { name: 'b.random', shape: [10, 10, 10], data: random },
      { name: 'c.empty', shape: [0, 3], data: new Float32Array(0) },
      { name: 'd.scalar', shape: [], data: Float32Array.of(7) },
    ];
    const metadata = { format: 'pt', 'gradflow.model': '{"x":1}' };
    const back = decodeSafetensors(encodeSafetensors(tensors, metadata));
    expect(back.metadata).toEqual(metadata);
    expect(back.tensors.map((t) => [t.name, t.shape])).toEqual(tensors.map((t) => [t.name, t.shape]));
    back.tensors.forEach((t, i) => expect(bits(t.data)).toEqual(bits(tensors[i]!.data)));
  });

  it('refuse a truncated file, a header that lies about offsets or sizes, a 2 GB header length, and other damage, saying what is wrong', () => {
    const good = encodeSafetensors([{ name: 'w', shape: [4], data: Float32Array.of(1, 2, 3, 4) }]);
    expect(refusal(good)).toBeUndefined();
    expect(refusal(good.subarray(0, 5))).toBe('the file has 5 bytes: too short for the 8-byte header length');
    expect(refusal(good.subarray(0, good.length - 1))).toMatch(/^w: data_offsets \[0, 16\] reach past the 15 bytes of data/);
    expect(refusal(good.subarray(0, 20))).toMatch(/^the header claims \d+ bytes, but the file ends 12 bytes after the length/);

    const twoGb = handMade({}, [], 2n ** 31n);
    expect(refusal(twoGb)).toBe('the header claims 2147483648 bytes, over the 100 MB a header may have');
    expect(refusal(handMade({}, [], 2n ** 64n - 1n))).toMatch(/^the header claims 18446744073709551615 bytes, over/);

    const data = [0, 0, 128, 63, 0, 0, 0, 64];
    expect(refusal(handMade({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, data))).toBeUndefined();
    expect(refusal(handMade({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, data))).toBe('w: shape [2] is 8 bytes of F32, but data_offsets [0, 4] hold 4');
    expect(refusal(handMade({ w: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, data))).toMatch(/^w: data_offsets \[4, 12\] reach past the 8 bytes/);
    expect(refusal(handMade({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, data))).toBe('w: 4 bytes before it belong to no tensor');
    expect(refusal(handMade({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, data))).toBe('4 bytes after the last tensor belong to no tensor');
    expect(refusal(handMade({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, v: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, data))).toMatch(/overlap another tensor's/);
    expect(refusal(handMade({ w: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, data))).toBe('w: data_offsets [8, 0] end before they begin');
    expect(refusal(handMade({ w: { dtype: 'F16', shape: [4], data_offsets: [0, 8] } }, data))).toBe('w: dtype F16; Gradflow reads float32 (F32) weights only');
    expect(refusal(handMade({ w: { dtype: 'Q4', shape: [4], data_offsets: [0, 8] } }, data))).toBe('w: unknown dtype "Q4"');
    expect(refusal(handMade({ w: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, data))).toBe('w: the shape is not a list of sizes');
    expect(refusal(handMade({ w: { dtype: 'F32', shape: [2], data_offsets: [0] } }, data))).toBe('w: data_offsets is not [begin, end]');
    expect(refusal(handMade([1, 2], []))).toBe('the header is not a JSON object of tensors');
    expect(refusal(handMade({ __metadata__: { a: 1 } }, []))).toBe('"__metadata__"."a" is not a string');
    const notJson = handMade({}, []);
    notJson[8] = 0x7b;
    notJson[9] = 0x7b;
    expect(refusal(notJson)).toMatch(/^the header is not JSON/);
  });

  it('refuse to write what the format cannot say', () => {
    expect(() => encodeSafetensors([{ name: 'w', shape: [3], data: new Float32Array(2) }])).toThrow('w: shape [3] holds 3 values, but 2 were given');
    expect(() => encodeSafetensors([{ name: 'w', shape: [1], data: new Float32Array(1) }, { name: 'w', shape: [1], data: new Float32Array(1) }])).toThrow('two tensors are named "w"');
    expect(() => encodeSafetensors([{ name: '__metadata__', shape: [1], data: new Float32Array(1) }])).toThrow('"__metadata__" cannot name a tensor');
  });
});

/** A small graph with a batch norm, on a synthetic 3-feature regression dataset. */
function bnPlan(seed: number, units = 4) {
  const graph = {
    nodes: [
      { id: 'in', type: 'input' },
      { id: 'd1', type: 'dense', params: { units } },
      { id: 'bn', type: 'batchnorm' },
      { id: 'act', type: 'relu' },
      { id: 'd2', type: 'dense', params: { units: 1 } },
      { id: 'out', type: 'output' },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'd1' },
      { id: 'e2', source: 'd1', target: 'bn' },
      { id: 'e3', source: 'bn', target: 'act' },
      { id: 'e4', source: 'act', target: 'd2' },
      { id: 'e5', source: 'd2', target: 'out' },
    ],
  };
  const info = { id: 'syn', name: 'Synthetic', task: 'regression' as const, inputShape: [3], targetShape: [1], count: 8 };
  return buildPlan(graph, info, { maxBatch: 8, seed });
}

describe('a plan’s weights', () => {
  it('are named <node>.<name>, parameters and batch norm’s running statistics alike', () => {
    const names = planWeights(bnPlan(1)).map((t) => `${t.name} [${t.shape.join(', ')}]`);
    expect(names).toEqual([
      'dense_1.kernel [3, 4]',
      'dense_1.bias [4]',
      'batchnorm_1.gamma [4]',
      'batchnorm_1.beta [4]',
      'batchnorm_1.running_mean [4]',
      'batchnorm_1.running_var [4]',
      'dense_2.kernel [4, 1]',
      'dense_2.bias [1]',
    ]);
  });

  it('go through a file into another plan of the same graph bit for bit, and give its loss on a batch exactly', async () => {
    const model = loadExample('mnist-cnn.json');
    const a = await createTrainingRun(model, readDatasetFile);
    for (let i = 0; i < 3; i++) a.trainer.trainStep();
    const file = encodeSafetensors(planWeights(a.plan));
    // Another run of the same graph, from other initial weights.
    const b = await createTrainingRun({ ...model, training: { ...model.training, seed: model.training.seed + 1 } }, readDatasetFile);
    expect(bits(b.plan.params[0]!.value)).not.toEqual(bits(a.plan.params[0]!.value));
    const result = loadWeights(b.plan, decodeSafetensors(file).tensors);
    expect(result).toEqual({ ok: true, loaded: a.plan.params.length });
    a.plan.params.forEach((p, i) => expect(bits(b.plan.params[i]!.value), p.name).toEqual(bits(p.value)));
    // Same weights and the same batch: the same loss.
    a.plan.tape.setBatch(8);
    b.plan.tape.setBatch(8);
    b.plan.input.value.set(a.plan.input.value.subarray(0, a.plan.input.size));
    b.plan.target.value.set(a.plan.target.value.subarray(0, a.plan.target.size));
    a.plan.tape.training = false;
    b.plan.tape.training = false;
    a.plan.tape.forward();
    b.plan.tape.forward();
    expect(bits(b.plan.loss.value)).toEqual(bits(a.plan.loss.value));
  });

  it('carry batch norm’s running statistics (trained, not the initial 0 and 1)', () => {
    const a = bnPlan(1);
    const stats = a.nodes.find((n) => n.type === 'batchnorm')!.buffers;
    stats.running_mean!.set([0.5, -1, 2, 0.25]);
    stats.running_var!.set([2, 3, 0.5, 1.5]);
    const b = bnPlan(2);
    expect(loadWeights(b, decodeSafetensors(encodeSafetensors(planWeights(a))).tensors).ok).toBe(true);
    const loaded = b.nodes.find((n) => n.type === 'batchnorm')!.buffers;
    expect(Array.from(loaded.running_mean!)).toEqual([0.5, -1, 2, 0.25]);
    expect(Array.from(loaded.running_var!)).toEqual([2, 3, 0.5, 1.5]);
  });

  it('from a file for another graph are refused with every mismatch listed, and the plan keeps its weights', () => {
    const plan = bnPlan(1);
    const before = planWeights(plan);
    const other = decodeSafetensors(encodeSafetensors(planWeights(bnPlan(2, 5)))).tensors.filter((t) => t.name !== 'dense_2.bias');
    const extra: NamedTensor = { name: 'conv2d_9.kernel', shape: [3, 3, 1, 8], data: new Float32Array(72) };
    const result = loadWeights(plan, [...other, extra]);
    expect(result).toEqual({
      ok: false,
      problems: [
        'dense_1.kernel is [3, 5] in the file, but [3, 4] in this graph',
        'dense_1.bias is [5] in the file, but [4] in this graph',
        'batchnorm_1.gamma is [5] in the file, but [4] in this graph',
        'batchnorm_1.beta is [5] in the file, but [4] in this graph',
        'batchnorm_1.running_mean is [5] in the file, but [4] in this graph',
        'batchnorm_1.running_var is [5] in the file, but [4] in this graph',
        'dense_2.kernel is [5, 1] in the file, but [4, 1] in this graph',
        'dense_2.bias [1] is not in the file',
        'conv2d_9.kernel [3, 3, 1, 8] is in the file, but this graph has no such tensor',
      ],
    });
    planWeights(plan).forEach((t, i) => expect(bits(t.data)).toEqual(bits(before[i]!.data)));
  });
});
