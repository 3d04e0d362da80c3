import { broadcastMap, unbroadcastAdd, walkPair, type BroadcastMap } from '../kernels/broadcast';
import { broadcastShapes, formatShape } from '../core/shape';
import type { Tape, Var } from '../core/tape';

type BinaryOp = 'add' | 'sub' | 'mul';

interface Broadcast {
  out: Var;
  ma: BroadcastMap;
  mb: BroadcastMap;
}

/** Shape checks and the output tensor of a broadcasting binary op. */
function prepare(tape: Tape, op: BinaryOp, a: Var, b: Var): Broadcast {
  const shape = broadcastShapes(a.shape, b.shape);
  if (!shape) {
    throw tape.error(op, `shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not broadcast together`);
  }
  // An unbatched operand may broadcast over the batch, but may not line up with it by coincidence.
  for (const [x, y] of [[a, b], [b, a]] as const) {
    if (x.batched && !y.batched && y.rank === x.rank && y.shape[0] !== 1) {
      throw tape.error(op, `an unbatched tensor of shape ${formatShape(y.shape)} cannot line up with the batch dimension of ${formatShape(x.shape)}; give it a leading 1`);
    }
  }
  const out = tape.output(op, shape, a.batched || b.batched, a.requiresGrad || b.requiresGrad);
  return { out, ma: broadcastMap(a.shape, shape), mb: broadcastMap(b.shape, shape) };
}

/** Forward of add/sub/mul with fast paths for equal shapes and a trailing (bias-like) operand. */
function combine(op: BinaryOp, ma: BroadcastMap, mb: BroadcastMap, a: Float32Array, b: Float32Array, y: Float32Array, n: number): void {
  if (ma.kind === 'same' && mb.kind === 'same') {
    if (op === 'add') for (let i = 0; i < n; i++) y[i] = a[i]! + b[i]!;
    else if (op === 'sub') for (let i = 0; i < n; i++) y[i] = a[i]! - b[i]!;
    else for (let i = 0; i < n; i++) y[i] = a[i]! * b[i]!;
    return;
  }
  if (ma.kind === 'same' && mb.kind === 'suffix') {
    const p = mb.period;
    if (op === 'add') for (let i = 0, j = 0; i < n; i++) { y[i] = a[i]! + b[j]!; if (++j === p) j = 0; }
    else if (op === 'sub') for (let i = 0, j = 0; i < n; i++) { y[i] = a[i]! - b[j]!; if (++j === p) j = 0; }
    else for (let i = 0, j = 0; i < n; i++) { y[i] = a[i]! * b[j]!; if (++j === p) j = 0; }
    return;
  }
  if (op === 'add') walkPair(ma, mb, n, (o, i, j) => { y[o] = a[i]! + b[j]!; });
  else if (op === 'sub') walkPair(ma, mb, n, (o, i, j) => { y[o] = a[i]! - b[j]!; });
  else walkPair(ma, mb, n, (o, i, j) => { y[o] = a[i]! * b[j]!; });
}

function binary(tape: Tape, op: BinaryOp, a: Var, b: Var): Var {
  const { out, ma, mb } = prepare(tape, op, a, b);
  const fast = op === 'add' ? fastAdd(tape, a, b, out, ma, mb) : undefined;
  return tape.record(op, {
    out,
    inputs: [a, b],
    forward() {
      if (fast) fast.forward(out.size);
      else combine(op, ma, mb, a.value, b.value, out.value, out.size);
    },
    backward() {
      const n = out.size;
      const g = out.grad;
      if (fast) {
        fast.backward(n);
        return;
      }
      if (op === 'mul') {
        // d(a*b)/da = b, d(a*b)/db = a, each reduced back over its broadcast dimensions.
        if (a.requiresGrad) unbroadcastAdd(ma, g, a.grad, n, b.value, mb);
        if (b.requiresGrad) unbroadcastAdd(mb, g, b.grad, n, a.value, ma);
        return;
      }
      if (a.requiresGrad) unbroadcastAdd(ma, g, a.grad, n);
      if (b.requiresGrad) unbroadcastAdd(mb, g, b.grad, n, undefined, undefined, op === 'sub' ? -1 : 1);
    },
  });
}

/**
 * a + b in the tape's WebAssembly arena, when a has the output's shape and b has it too or is a
 * trailing (bias-like) operand: the SIMD loops, which give the same floats as combine/unbroadcastAdd.
 */
function fastAdd(tape: Tape, a: Var, b: Var, out: Var, ma: BroadcastMap, mb: BroadcastMap): { forward(n: number): void; backward(n: number): void } | undefined {
  if (ma.kind !== 'same' || (mb.kind !== 'same' && mb.kind !== 'suffix')) return undefined;
  const arrays = [a.value, b.value, out.value];
  if (out.requiresGrad) arrays.push(out.grad);
  if (a.requiresGrad) arrays.push(a.grad);
  if (b.requiresGrad) arrays.push(b.grad);
  const k = tape.arena.kernelsFor(...arrays);
  if (!k) return undefined;
  // A same-shaped b is a "bias" as long as the whole tensor: one row.
  const p = mb.kind === 'same' ? 0 : mb.period;
  const av = a.value.byteOffset, bv = b.value.byteOffset, y = out.value.byteOffset;
  const gy = out.requiresGrad ? out.grad.byteOffset : 0;
  const ga = a.requiresGrad ? a.grad.byteOffset : 0;
  const gb = b.requiresGrad ? b.grad.byteOffset : 0;
  return {
    forward: (n) => (p === 0 ? k.biasAdd(av, bv, y, 1, n) : k.biasAdd(av, bv, y, n / p, p)),
    backward: (n) => {
      if (a.requiresGrad) k.addTo(ga, gy, n);
      if (!b.requiresGrad) return;
      if (p === 0) k.addTo(gb, gy, n);
      else k.biasGrad(gy, gb, n / p, p);
    },
  };
}

/** a + b with numpy broadcasting. */
export function add(tape: Tape, a: Var, b: Var): Var {
  return binary(tape, 'add', a, b);
}

/** a - b with numpy broadcasting. */
export function sub(tape: Tape, a: Var, b: Var): Var {
  return binary(tape, 'sub', a, b);
}

/** a * b (elementwise) with numpy broadcasting. */
export function mul(tape: Tape, a: Var, b: Var): Var {
  return binary(tape, 'mul', a, b);
}
