// Optimizer updates in WebAssembly SIMD, two float64 lanes at a time: the same float64 arithmetic,
// in the same order, as engine/optim/sgd.ts and adam.ts, so the weights agree bit for bit; only
// the update and weight norms (summed in two lanes) may differ in their last float64 bits.
// Each writes Σd² and Σw'² (the update's and the new weights' squared norms) to out[0] and out[1].
// The float64 settings come in memory (`args`, float64s in the order each function lists), not as
// call arguments: a double passed from JavaScript may be boxed, and a step must allocate nothing.

/** Loads floats i, i+1 as two float64 lanes. */
// @ts-ignore: decorator
@inline
function load2(p: usize, i: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p + (<usize>i << 2)));
}

/** Stores two float64 lanes as floats i, i+1. */
// @ts-ignore: decorator
@inline
function store2(p: usize, i: i32, v: v128): void {
  v128.store64_lane(p + (<usize>i << 2), f32x4.demote_f64x2_zero(v), 0);
}

/** Plain SGD: d = lr·(clip·g + l2·w); w -= d. args: lr, clip, l2. */
export function sgdUpdate(w: usize, grad: usize, n: i32, args: usize, out: usize): void {
  const lr = load<f64>(args), clip = load<f64>(args, 8), l2 = load<f64>(args, 16);
  const vlr = f64x2.splat(lr), vclip = f64x2.splat(clip), vl2 = f64x2.splat(l2);
  let du = f64x2.splat(0), ww = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const wj = load2(w, i);
    const d = f64x2.mul(vlr, f64x2.add(f64x2.mul(vclip, load2(grad, i)), f64x2.mul(vl2, wj)));
    const next = f64x2.sub(wj, d);
    store2(w, i, next);
    du = f64x2.add(du, f64x2.mul(d, d));
    ww = f64x2.add(ww, f64x2.mul(next, next));
  }
  let su = f64x2.extract_lane(du, 0) + f64x2.extract_lane(du, 1);
  let sw = f64x2.extract_lane(ww, 0) + f64x2.extract_lane(ww, 1);
  for (; i < n; i++) {
    const wj = <f64>load<f32>(w + (<usize>i << 2));
    const d = lr * (clip * <f64>load<f32>(grad + (<usize>i << 2)) + l2 * wj);
    const next = wj - d;
    store<f32>(w + (<usize>i << 2), <f32>next);
    su += d * d;
    sw += next * next;
  }
  store<f64>(out, su);
  store<f64>(out, sw, 8);
}

/** SGD with momentum μ (PyTorch's form): v = μ·v + g; d = lr·v, or lr·(g + μ·v) with Nesterov. args: lr, clip, l2, μ. */
export function sgdMomentumUpdate(w: usize, grad: usize, vel: usize, n: i32, nesterov: i32, args: usize, out: usize): void {
  const lr = load<f64>(args), clip = load<f64>(args, 8), l2 = load<f64>(args, 16), mu = load<f64>(args, 24);
  let su: f64 = 0, sw: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const wj = <f64>load<f32>(w + o);
    const g = clip * <f64>load<f32>(grad + o) + l2 * wj;
    const vj = mu * <f64>load<f32>(vel + o) + g;
    store<f32>(vel + o, <f32>vj);
    const d = lr * (nesterov ? g + mu * vj : vj);
    const next = wj - d;
    store<f32>(w + o, <f32>next);
    su += d * d;
    sw += next * next;
  }
  store<f64>(out, su);
  store<f64>(out, sw, 8);
}

/**
 * Adam / AdamW: m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
 * d = lr·wd·w + lr·(m/c1) / (√(v/c2) + ε) with c1 = 1-β1ᵗ, c2 = 1-β2ᵗ; w -= d.
 * args: lr, clip, l2, β1, β2, ε, lr·wd, c1, c2.
 */
export function adamUpdate(w: usize, grad: usize, m: usize, v: usize, n: i32, args: usize, out: usize): void {
  const lr = load<f64>(args), clip = load<f64>(args, 8), l2 = load<f64>(args, 16), b1 = load<f64>(args, 24);
  const b2 = load<f64>(args, 32), eps = load<f64>(args, 40), decay = load<f64>(args, 48), c1 = load<f64>(args, 56), c2 = load<f64>(args, 64);
  const vlr = f64x2.splat(lr), vclip = f64x2.splat(clip), vl2 = f64x2.splat(l2);
  const vb1 = f64x2.splat(b1), vb2 = f64x2.splat(b2), v1b1 = f64x2.splat(1 - b1), v1b2 = f64x2.splat(1 - b2);
  const veps = f64x2.splat(eps), vdecay = f64x2.splat(decay), vc1 = f64x2.splat(c1), vc2 = f64x2.splat(c2);
  let du = f64x2.splat(0), ww = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const wj = load2(w, i);
    const g = f64x2.add(f64x2.mul(vclip, load2(grad, i)), f64x2.mul(vl2, wj));
    const mj = f64x2.add(f64x2.mul(vb1, load2(m, i)), f64x2.mul(v1b1, g));
    const vj = f64x2.add(f64x2.mul(vb2, load2(v, i)), f64x2.mul(f64x2.mul(v1b2, g), g));
    store2(m, i, mj);
    store2(v, i, vj);
    const step = f64x2.div(f64x2.mul(vlr, f64x2.div(mj, vc1)), f64x2.add(f64x2.sqrt(f64x2.div(vj, vc2)), veps));
    const d = f64x2.add(f64x2.mul(vdecay, wj), step);
    const next = f64x2.sub(wj, d);
    store2(w, i, next);
    du = f64x2.add(du, f64x2.mul(d, d));
    ww = f64x2.add(ww, f64x2.mul(next, next));
  }
  let su = f64x2.extract_lane(du, 0) + f64x2.extract_lane(du, 1);
  let sw = f64x2.extract_lane(ww, 0) + f64x2.extract_lane(ww, 1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const wj = <f64>load<f32>(w + o);
    const g = clip * <f64>load<f32>(grad + o) + l2 * wj;
    const mj = b1 * <f64>load<f32>(m + o) + (1 - b1) * g;
    const vj = b2 * <f64>load<f32>(v + o) + (1 - b2) * g * g;
    store<f32>(m + o, <f32>mj);
    store<f32>(v + o, <f32>vj);
    const d = decay * wj + (lr * (mj / c1)) / (Math.sqrt(vj / c2) + eps);
    const next = wj - d;
    store<f32>(w + o, <f32>next);
    su += d * d;
    sw += next * next;
  }
  store<f64>(out, su);
  store<f64>(out, sw, 8);
}
