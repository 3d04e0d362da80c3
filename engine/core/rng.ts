/**
 * Seeded pseudo-random numbers: sfc32 seeded through splitmix32. The same seed gives the same
 * sequence, bit for bit, on every JavaScript engine (integer arithmetic only; floats are made
 * from the integers). Normal samples use Box-Muller with the spare kept.
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.reseed(seed);
  }

  reseed(seed: number): void {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    this.hasSpare = false;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates shuffle of an index array, in place. */
  shuffle(indices: Int32Array | Uint32Array | number[]): void {
    for (let i = indices.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = indices[i]!;
      indices[i] = indices[j]!;
      indices[j] = t;
    }
  }

  /** Writes the four sfc32 words to `into[0..3]` (for a kernel that draws from this stream; no allocation). */
  saveWords(into: Int32Array): void {
    into[0] = this.a;
    into[1] = this.b;
    into[2] = this.c;
    into[3] = this.d;
  }

  /** Takes the four sfc32 words back from `from[0..3]`, after a kernel drew from them. */
  loadWords(from: Int32Array): void {
    this.a = from[0]!;
    this.b = from[1]!;
    this.c = from[2]!;
    this.d = from[3]!;
  }

  /** A copy of the full generator state (for checkpointing a run). */
  state(): number[] {
    return [this.a, this.b, this.c, this.d, this.spare, this.hasSpare ? 1 : 0];
  }

  restore(state: readonly number[]): void {
    [this.a, this.b, this.c, this.d, this.spare] = state as [number, number, number, number, number];
    this.hasSpare = state[5] === 1;
  }
}
