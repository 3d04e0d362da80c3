import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { generatedSource } from './build-wasm.mjs';

describe('the committed WebAssembly kernels', () => {
  it('are exactly what the pinned AssemblyScript compiler makes of engine/kernels/assembly/', async () => {
    const committed = readFileSync(new URL('../engine/kernels/wasm-module.ts', import.meta.url), 'utf8');
    const fresh = (await generatedSource()) as string;
    // On failure: run `npm run build:wasm` and commit engine/kernels/wasm-module.ts.
    expect(committed === fresh).toBe(true);
  }, 120_000);
});
