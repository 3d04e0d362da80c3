import type { EngineInfo } from '../../../worker/protocol';
import { describeEngine } from '../../training/enginePath';

/**
 * Which kernels train the model, in a few letters ('WASM SIMD', 'TS'; amber on the slower
 * TypeScript path). In the run readout its sentence is the tooltip and what a screen reader hears;
 * beside a line that says it in full (About) it is decoration only.
 */
export function EngineTag({ engine, decorative = false, testId }: { engine: EngineInfo; decorative?: boolean; testId?: string }) {
  const words = describeEngine(engine);
  const fallback = engine.kernels !== 'wasm';
  return (
    <span
      data-testid={testId}
      data-kernels={engine.kernels}
      data-threads={engine.threads}
      title={words.sentence}
      aria-hidden={decorative || undefined}
      className={`shrink-0 cursor-help rounded border px-1 font-mono text-[10px] leading-4 font-medium tracking-wide ${fallback ? 'border-warn/40 text-warn' : 'border-line-strong text-ink-faint'}`}
    >
      <span aria-hidden="true">{words.tag}</span>
      {!decorative && <span className="sr-only">{words.sentence}</span>}
    </span>
  );
}
