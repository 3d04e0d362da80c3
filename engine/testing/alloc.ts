/**
 * Counts typed-array and ArrayBuffer allocations made while a function runs (tests only).
 * Constructors are wrapped in counting proxies, and the TypedArray methods that return new
 * arrays or views (slice, subarray, map, filter, from, of) are wrapped too, so a training step
 * that allocates any buffer, directly or through a copy, shows up in the count.
 */
type Ctor = { new (...args: never[]): unknown; prototype: object };

const TYPED = ['Float32Array', 'Float64Array', 'Int32Array', 'Uint32Array', 'Int16Array', 'Uint16Array', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray'] as const;

export function countAllocations(run: () => void): number {
  const g = globalThis as unknown as Record<string, Ctor>;
  let count = 0;
  const originals = new Map<string, Ctor>();
  for (const name of [...TYPED, 'ArrayBuffer', 'SharedArrayBuffer']) {
    const original = g[name];
    if (!original) continue;
    originals.set(name, original);
    g[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        count++;
        return Reflect.construct(target, args, newTarget) as object;
      },
    });
  }
  const typedProto = Object.getPrototypeOf(Float32Array.prototype) as Record<string, (...a: unknown[]) => unknown>;
  const typedCtor = Object.getPrototypeOf(Float32Array) as Record<string, (...a: unknown[]) => unknown>;
  const protoMethods = ['slice', 'subarray', 'map', 'filter'];
  const staticMethods = ['from', 'of'];
  const savedProto = protoMethods.map((m) => typedProto[m]!);
  const savedStatic = staticMethods.map((m) => typedCtor[m]!);
  protoMethods.forEach((m, i) => {
    typedProto[m] = function (this: unknown, ...args: unknown[]) {
      count++;
      return savedProto[i]!.apply(this, args);
    };
  });
  staticMethods.forEach((m, i) => {
    typedCtor[m] = function (this: unknown, ...args: unknown[]) {
      count++;
      return savedStatic[i]!.apply(this, args);
    };
  });
  try {
    run();
  } finally {
    for (const [name, original] of originals) g[name] = original;
    protoMethods.forEach((m, i) => (typedProto[m] = savedProto[i]!));
    staticMethods.forEach((m, i) => (typedCtor[m] = savedStatic[i]!));
  }
  return count;
}

/**
 * Bytes of the buffers that typed-array and ArrayBuffer constructors allocate while `run` runs, from
 * a length or as a copy (a view over an existing buffer allocates none): what building a plan
 * takes, for the memory budget's test. Copies made by methods (slice, map) are not counted.
 */
export function bytesAllocated(run: () => void): number {
  const g = globalThis as unknown as Record<string, Ctor>;
  const buffers = [ArrayBuffer, ...(typeof SharedArrayBuffer === 'undefined' ? [] : [SharedArrayBuffer])];
  let bytes = 0;
  const originals = new Map<string, Ctor>();
  for (const name of [...TYPED, 'ArrayBuffer']) {
    const original = g[name];
    if (!original) continue;
    originals.set(name, original);
    g[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        const made = Reflect.construct(target, args, newTarget) as { byteLength: number };
        if (!buffers.some((b) => args[0] instanceof b)) bytes += made.byteLength;
        return made;
      },
    });
  }
  try {
    run();
  } finally {
    for (const [name, original] of originals) g[name] = original;
  }
  return bytes;
}

/** Typed arrays allocated by one forward pass and one backward pass from `out` (its gradient seeded with ones). */
export function allocationsOfPass(tape: { forward(): void; backwardFrom(out: never, seed: ArrayLike<number>): void }, out: { value: Float32Array }): number {
  const seed = new Float32Array(out.value.length).fill(1);
  return countAllocations(() => {
    tape.forward();
    tape.backwardFrom(out as never, seed);
  });
}
