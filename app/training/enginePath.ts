/**
 * The engine path in words (issue 14): which kernels train the model — WebAssembly SIMD or, where
 * that is unavailable, TypeScript — for the run readout's tag and the About view.
 */
import type { EngineInfo } from '../../worker/protocol';

export interface EngineWords {
  /** A few characters for the run readout: 'WASM SIMD', 'TS'. */
  tag: string;
  /** The About view's line: 'WebAssembly SIMD, one thread'. */
  name: string;
  /** On the TypeScript path: why WebAssembly does not run, as a phrase. */
  why?: string;
  /** One sentence for a tooltip and screen readers. */
  sentence: string;
}

const threads = (n: number): string => (n === 1 ? 'one thread' : `${n} threads`);

export function describeEngine(engine: EngineInfo): EngineWords {
  const on = threads(engine.threads);
  const times = engine.threads > 1 ? ` ×${engine.threads}` : '';
  if (engine.kernels === 'wasm') {
    return { tag: `WASM SIMD${times}`, name: `WebAssembly SIMD, ${on}`, sentence: `Engine: WebAssembly SIMD kernels, on ${on}.` };
  }
  const why = engine.fallbackReason ?? 'WebAssembly SIMD is not available here';
  return {
    tag: `TS${times}`,
    name: `TypeScript kernels, ${on}`,
    why,
    sentence: `Engine: TypeScript kernels, on ${on}, because ${why}: the same results, several times slower than WebAssembly SIMD.`,
  };
}
