/**
 * The part of ONNX's protobuf format (onnx.proto) the ONNX export writes: a model of one graph, its
 * nodes with attributes, float and int64 tensors, and typed inputs and outputs. Written by hand,
 * not with protobufjs: that library probes for `eval`, which the app's content security policy
 * forbids. onnx-proto (a dev dependency) decodes what this writes in the tests, field for field.
 */

/** ONNX tensor element types (TensorProto.DataType). */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

export type OnnxAttribute =
  | { name: string; f: number }
  | { name: string; i: number }
  | { name: string; s: string }
  | { name: string; floats: readonly number[] }
  | { name: string; ints: readonly number[] }
  | { name: string; t: OnnxTensor };

export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attributes: readonly OnnxAttribute[];
}

export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  /** float32 values, or int64 ones (whole numbers). */
  data: Float32Array | { int64: readonly number[] };
}

export interface OnnxValueInfo {
  name: string;
  elemType: number;
  /** A number for a fixed axis, a string for a named one ("batch"). */
  shape: readonly (number | string)[];
}

export interface OnnxModel {
  irVersion: number;
  opset: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: { name: string; nodes: readonly OnnxNode[]; initializers: readonly OnnxTensor[]; inputs: readonly OnnxValueInfo[]; outputs: readonly OnnxValueInfo[] };
}

/** The platform's UTF-8 encoder (workers and Node have it; the engine's TypeScript lib names no DOM). */
const utf8 = new (globalThis as unknown as { TextEncoder: new () => { encode(text: string): Uint8Array } }).TextEncoder();

/** A growing byte buffer with protobuf's wire encodings. */
class Writer {
  private bytes = new Uint8Array(1024);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /** A varint of a non-negative integer up to 2^53, or of a negative int64 (two's complement, 10 bytes). */
  varint(value: number): void {
    this.ensure(10);
    if (value < 0) {
      // int64 two's complement: ten bytes.
      let v = BigInt.asUintN(64, BigInt(value));
      while (v >= 0x80n) {
        this.bytes[this.length++] = Number(v & 0x7fn) | 0x80;
        v >>= 7n;
      }
      this.bytes[this.length++] = Number(v);
      return;
    }
    while (value >= 0x80) {
      this.bytes[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.bytes[this.length++] = value;
  }

  tag(field: number, wire: 0 | 1 | 2 | 5): void {
    this.varint(field * 8 + wire);
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Field `field` as length-delimited bytes. */
  bytesField(field: number, bytes: Uint8Array): void {
    this.tag(field, 2);
    this.varint(bytes.length);
    this.raw(bytes);
  }

  string(field: number, text: string): void {
    this.bytesField(field, utf8.encode(text));
  }

  int(field: number, value: number): void {
    this.tag(field, 0);
    this.varint(value);
  }

  float(field: number, value: number): void {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.raw(b);
  }

  message(field: number, write: (w: Writer) => void): void {
    const inner = new Writer();
    write(inner);
    this.bytesField(field, inner.finish());
  }

  /** Repeated varints, packed. */
  packedInts(field: number, values: readonly number[]): void {
    const inner = new Writer();
    for (const v of values) inner.varint(v);
    this.bytesField(field, inner.finish());
  }

  packedFloats(field: number, values: readonly number[]): void {
    const b = new Uint8Array(values.length * 4);
    const view = new DataView(b.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    this.bytesField(field, b);
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

// Field numbers from onnx.proto.
function writeTensor(w: Writer, t: OnnxTensor): void {
  w.packedInts(1, t.dims); // dims
  if (t.data instanceof Float32Array) {
    w.int(2, ONNX_FLOAT); // data_type
    w.string(8, t.name); // name
    // raw_data: little-endian bytes (ONNX's raw_data is little-endian whatever the host).
    const b = new Uint8Array(t.data.length * 4);
    const view = new DataView(b.buffer);
    t.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
    w.bytesField(9, b);
  } else {
    w.int(2, ONNX_INT64);
    w.string(8, t.name);
    w.packedInts(7, t.data.int64); // int64_data
  }
}

function writeAttribute(w: Writer, a: OnnxAttribute): void {
  w.string(1, a.name);
  // AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, FLOATS 6, INTS 7.
  if ('f' in a) {
    w.float(2, a.f);
    w.int(20, 1);
  } else if ('i' in a) {
    w.int(3, a.i);
    w.int(20, 2);
  } else if ('s' in a) {
    w.string(4, a.s);
    w.int(20, 3);
  } else if ('t' in a) {
    w.message(5, (m) => writeTensor(m, a.t));
    w.int(20, 4);
  } else if ('floats' in a) {
    w.packedFloats(7, a.floats);
    w.int(20, 6);
  } else {
    w.packedInts(8, a.ints);
    w.int(20, 7);
  }
}

function writeValueInfo(w: Writer, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

/** The model as ONNX protobuf bytes (a `.onnx` file). */
export function encodeOnnx(model: OnnxModel): Uint8Array {
  const w = new Writer();
  w.int(1, model.irVersion); // ir_version
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, (g) => {
    for (const n of model.graph.nodes) {
      g.message(1, (node) => {
        for (const i of n.inputs) node.string(1, i);
        for (const o of n.outputs) node.string(2, o);
        node.string(3, n.name);
        node.string(4, n.opType);
        for (const a of n.attributes) node.message(5, (attr) => writeAttribute(attr, a));
      });
    }
    g.string(2, model.graph.name);
    for (const t of model.graph.initializers) g.message(5, (m) => writeTensor(m, t));
    for (const v of model.graph.inputs) g.message(11, (m) => writeValueInfo(m, v));
    for (const v of model.graph.outputs) g.message(12, (m) => writeValueInfo(m, v));
  });
  w.message(8, (o) => {
    o.string(1, ''); // the default domain (ai.onnx)
    o.int(2, model.opset);
  });
  return w.finish();
}
