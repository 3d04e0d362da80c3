// Elementwise kernels in WebAssembly SIMD: the loops that dominate a step once the matrix products
// are fast (engine/kernels/wasm.ts lists them; the ops call them through engine/kernels/fast.ts).
// Each computes exactly what its TypeScript twin computes: float32 adds and multiplies round the
// same whether done in float32 or in float64 and rounded once, so these agree bit for bit.

/** dst[i] += src[i]. The backward of an edge (identity) and of an add. */
export function addTo(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/** y = x > 0 ? x : 0 (NaN gives 0, as the TypeScript kernel). */
export function reluForward(x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    v128.store(y + o, v128.and(v, f32x4.gt(v, zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(y + o, v > 0 ? v : 0);
  }
}

/** gx += x > 0 ? gy : 0. */
export function reluBackward(x: usize, gy: usize, gx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pass = v128.and(v128.load(gy + o), f32x4.gt(v128.load(x + o), zero));
    v128.store(gx + o, f32x4.add(v128.load(gx + o), pass));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    if (load<f32>(x + o) > 0) store<f32>(gx + o, load<f32>(gx + o) + load<f32>(gy + o));
  }
}

/** y[r·p + j] = a[r·p + j] + b[j] for rows × p elements: a bias over the last axis. */
export function biasAdd(a: usize, b: usize, y: usize, rows: i32, p: i32): void {
  const rowBytes = <usize>p << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    let j = 0;
    for (; j + 4 <= p; j += 4) {
      const o = <usize>j << 2;
      v128.store(y + off + o, f32x4.add(v128.load(a + off + o), v128.load(b + o)));
    }
    for (; j < p; j++) {
      const o = <usize>j << 2;
      store<f32>(y + off + o, load<f32>(a + off + o) + load<f32>(b + o));
    }
  }
}

/** gb[j] += g[r·p + j] over the rows, in row order (the bias's gradient). */
export function biasGrad(g: usize, gb: usize, rows: i32, p: i32): void {
  const rowBytes = <usize>p << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    let j = 0;
    for (; j + 4 <= p; j += 4) {
      const o = <usize>j << 2;
      v128.store(gb + o, f32x4.add(v128.load(gb + o), v128.load(g + off + o)));
    }
    for (; j < p; j++) {
      const o = <usize>j << 2;
      store<f32>(gb + o, load<f32>(gb + o) + load<f32>(g + off + o));
    }
  }
}

/**
 * im2col: for each of `images` images, copies the runs (src, dst, len triples of int32 at `runs`,
 * offsets in floats within one image of x and one image's rows of col) from x into col.
 */
export function copyRuns(runs: usize, count: i32, x: usize, col: usize, images: i32, inImage: i32, colImage: i32): void {
  for (let b = 0; b < images; b++) {
    const xb = x + ((<usize>b * <usize>inImage) << 2);
    const cb = col + ((<usize>b * <usize>colImage) << 2);
    for (let r = 0; r < count; r++) {
      const t = runs + <usize>r * 12;
      const s = xb + (<usize>load<i32>(t) << 2);
      const d = cb + (<usize>load<i32>(t, 4) << 2);
      memory.copy(d, s, <usize>load<i32>(t, 8) << 2);
    }
  }
}

/** col2im: adds the runs of dcol (images b0 .. b0+n, from dcol's first row) back onto gx. */
export function addRuns(runs: usize, count: i32, dcol: usize, gx: usize, b0: i32, n: i32, inImage: i32, colImage: i32): void {
  for (let b = 0; b < n; b++) {
    const xb = gx + ((<usize>(b0 + b) * <usize>inImage) << 2);
    const cb = dcol + ((<usize>b * <usize>colImage) << 2);
    for (let r = 0; r < count; r++) {
      const t = runs + <usize>r * 12;
      addTo(xb + (<usize>load<i32>(t) << 2), cb + (<usize>load<i32>(t, 4) << 2), load<i32>(t, 8));
    }
  }
}

/**
 * Max pooling forward, NHWC: output position p of each image reads the pixels at
 * taps[start[p] .. start[p+1]] (offsets in floats within the image); argmax gets the index (in
 * floats, within x) of the first maximum, as the TypeScript kernel.
 */
export function maxPoolForward(x: usize, y: usize, argmax: usize, start: usize, taps: usize, images: i32, positions: i32, c: i32, inImage: i32): void {
  let o = 0;
  for (let b = 0; b < images; b++) {
    const xb = b * inImage;
    for (let p = 0; p < positions; p++) {
      const t0 = load<i32>(start + (<usize>p << 2));
      const t1 = load<i32>(start + (<usize>p << 2), 4);
      const first = xb + load<i32>(taps + (<usize>t0 << 2));
      const yo = y + (<usize>o << 2);
      const ao = argmax + (<usize>o << 2);
      let ch = 0;
      for (; ch + 4 <= c; ch += 4) {
        const q = <usize>ch << 2;
        let best = v128.load(x + (<usize>(first + ch) << 2));
        let where = i32x4.add(i32x4.splat(first + ch), i32x4(0, 1, 2, 3));
        for (let t = t0 + 1; t < t1; t++) {
          const s = xb + load<i32>(taps + (<usize>t << 2)) + ch;
          const v = v128.load(x + (<usize>s << 2));
          const better = f32x4.gt(v, best);
          best = v128.bitselect(v, best, better);
          where = v128.bitselect(i32x4.add(i32x4.splat(s), i32x4(0, 1, 2, 3)), where, better);
        }
        v128.store(yo + q, best);
        v128.store(ao + q, where);
      }
      for (; ch < c; ch++) {
        let best = load<f32>(x + (<usize>(first + ch) << 2));
        let where = first + ch;
        for (let t = t0 + 1; t < t1; t++) {
          const s = xb + load<i32>(taps + (<usize>t << 2)) + ch;
          const v = load<f32>(x + (<usize>s << 2));
          if (v > best) {
            best = v;
            where = s;
          }
        }
        store<f32>(yo + (<usize>ch << 2), best);
        store<i32>(ao + (<usize>ch << 2), where);
      }
      o += c;
    }
  }
}

/** Max pooling backward: gx[argmax[i]] += gy[i]. */
export function maxPoolBackward(gy: usize, gx: usize, argmax: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const at = gx + (<usize>load<i32>(argmax + (<usize>i << 2)) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(gy + (<usize>i << 2)));
  }
}

/** *out += Σ v[i]² (float64) over n floats at v. */
export function addSumSquares(v: usize, n: i32, out: usize): void {
  let acc = f64x2.splat(0);
  let tail: f64 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x = v128.load(v + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(x);
    const hi = f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1));
    acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
  }
  for (; i < n; i++) {
    const x = <f64>load<f32>(v + (<usize>i << 2));
    tail += x * x;
  }
  store<f64>(out, load<f64>(out) + f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1) + tail);
}

/**
 * Inverted dropout's training forward, drawing from the tape's sfc32 stream (its four words at
 * `rng`, updated in place) exactly as engine/core/rng.ts does: element i is dropped when
 * u/2³² < rate; mask[i] = 0 or keep, y[i] = x[i]·keep in float64 rounded once, as the TypeScript loop.
 * args: float64 rate, keep.
 */
export function dropoutForward(x: usize, y: usize, mask: usize, n: i32, rng: usize, args: usize): void {
  const rate = load<f64>(args);
  const keep = load<f64>(args, 8);
  const keep32 = <f32>keep;
  let a = load<i32>(rng), b = load<i32>(rng, 4), c = load<i32>(rng, 8), d = load<i32>(rng, 12);
  for (let i = 0; i < n; i++) {
    const t = a + b + d;
    d = d + 1;
    a = b ^ (b >>> 9);
    b = c + (c << 3);
    c = (c << 21) | (c >>> 11);
    c = c + t;
    const o = <usize>i << 2;
    if (<f64>(<u32>t) / 4294967296.0 < rate) {
      store<f32>(mask + o, 0);
      store<f32>(y + o, <f32>(<f64>load<f32>(x + o) * 0));
    } else {
      store<f32>(mask + o, keep32);
      store<f32>(y + o, <f32>(<f64>load<f32>(x + o) * keep));
    }
  }
  store<i32>(rng, a);
  store<i32>(rng, b, 4);
  store<i32>(rng, c, 8);
  store<i32>(rng, d, 12);
}

/** gx[i] += gy[i]·mask[i], the product and sum in float64 and rounded once, as the TypeScript loop. */
export function mulAddTo(gx: usize, gy: usize, mask: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(gx + o, <f32>(<f64>load<f32>(gx + o) + <f64>load<f32>(gy + o) * <f64>load<f32>(mask + o)));
  }
}

/**
 * The moments a snapshot reads of an edge (engine/compiler/plan.ts edgeStats), added into four
 * float64s at `out`: Σv, Σv², Σ|v| and the count of exact zeros, over n floats at v. Sums are in
 * float64, two lanes at a time, so they differ from the TypeScript loop's (one running float64)
 * only in the order of the additions.
 */
export function addMoments(v: usize, n: i32, out: usize): void {
  let sum = f64x2.splat(0);
  let sum2 = f64x2.splat(0);
  let abs = f64x2.splat(0);
  let zeros = i32x4.splat(0);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x = v128.load(v + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(x);
    const hi = f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1));
    sum = f64x2.add(sum, f64x2.add(lo, hi));
    sum2 = f64x2.add(sum2, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
    abs = f64x2.add(abs, f64x2.add(f64x2.abs(lo), f64x2.abs(hi)));
    // A lane that equals zero is all ones (-1): subtracting counts it.
    zeros = i32x4.sub(zeros, f32x4.eq(x, zero));
  }
  let tailSum: f64 = 0;
  let tailSum2: f64 = 0;
  let tailAbs: f64 = 0;
  let tailZeros: i32 = 0;
  for (; i < n; i++) {
    const x = <f64>load<f32>(v + (<usize>i << 2));
    tailSum += x;
    tailSum2 += x * x;
    tailAbs += Math.abs(x);
    if (x == 0) tailZeros++;
  }
  const count = i32x4.extract_lane(zeros, 0) + i32x4.extract_lane(zeros, 1) + i32x4.extract_lane(zeros, 2) + i32x4.extract_lane(zeros, 3) + tailZeros;
  store<f64>(out, load<f64>(out) + f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1) + tailSum);
  store<f64>(out, load<f64>(out, 8) + f64x2.extract_lane(sum2, 0) + f64x2.extract_lane(sum2, 1) + tailSum2, 8);
  store<f64>(out, load<f64>(out, 16) + f64x2.extract_lane(abs, 0) + f64x2.extract_lane(abs, 1) + tailAbs, 16);
  store<f64>(out, load<f64>(out, 24) + <f64>count, 24);
}
