/**
 * Text from a character model: a prompt, a length and a temperature go to the worker, which
 * generates one character at a time from the model's own predictions (worker/sequence.ts).
 */
import { useState } from 'react';
import type { LoadInfo } from '../../worker/protocol';
import { MAX_SAMPLE_LENGTH } from '../../worker/sequence';
import { training, useTraining } from '../training/store';
import { Button } from '../ui/Button';

const DEFAULT_PROMPT = 'Call me Ishmael. ';

export function TextSampler({ info }: { info: LoadInfo }) {
  const [prompt, setPrompt] = useState(DEFAULT_PROMPT);
  const [lengthText, setLengthText] = useState('160');
  const [temperature, setTemperature] = useState(0.8);
  // A result belongs to the model it came from: a new load or a Reset hides it.
  const [made, setMade] = useState<{ info: LoadInfo; step: number; result: { prompt: string; text: string } | { error: string } } | null>(null);
  const [busy, setBusy] = useState(false);
  const step = useTraining((s) => s.snapshot?.step ?? 0);
  const trained = step > 0;
  const vocabulary = info.dataset.vocabulary ?? [];
  const result = made && made.info === info && step >= made.step ? made.result : null;

  const generate = async () => {
    const length = Number(lengthText);
    if (!Number.isInteger(length) || length < 1 || length > MAX_SAMPLE_LENGTH) {
      setMade({ info, step, result: { error: `Length must be a whole number from 1 to ${MAX_SAMPLE_LENGTH}, got “${lengthText}”.` } });
      return;
    }
    setBusy(true);
    const r = await training.sampleText({ prompt, length, temperature, seed: Date.now() % 100_000 });
    setMade({ info, step, result: 'text' in r ? { prompt, text: r.text } : r });
    setBusy(false);
  };

  return (
    <section aria-label="Generate text" className="flex w-[26rem] shrink-0 flex-col gap-2 border-l border-line px-4 py-2.5">
      <header className="flex items-baseline justify-between gap-3">
        <h3 className="text-xs font-medium text-ink-muted">Generate text</h3>
        <span className="text-[11px] text-ink-faint">{vocabulary.length} characters · from the model, one at a time</span>
      </header>
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void generate();
        }}
      >
        <label className="flex min-w-0 flex-1 flex-col gap-0.5 text-[11px] text-ink-faint">
          Prompt
          <input
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            className="h-7 rounded-md border border-line bg-canvas px-2 font-mono text-xs text-ink outline-none focus:border-accent"
          />
        </label>
        <label className="flex w-14 flex-col gap-0.5 text-[11px] text-ink-faint">
          Length
          <input
            inputMode="numeric"
            value={lengthText}
            onChange={(e) => setLengthText(e.target.value.trim())}
            className="h-7 rounded-md border border-line bg-canvas px-1.5 font-mono text-xs text-ink tabular-nums outline-none focus:border-accent"
          />
        </label>
        <label className="flex w-24 flex-col gap-0.5 text-[11px] text-ink-faint">
          <span className="flex justify-between">
            Temperature <span className="font-mono text-ink-muted tabular-nums">{temperature.toFixed(1)}</span>
          </span>
          <input type="range" min={0.1} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(Number(e.target.value))} className="h-7 accent-accent" />
        </label>
        <Button type="submit" disabled={busy || !trained} title={trained ? 'Generate from the model as it is now' : 'Train for a while first'}>
          {busy ? 'Generating…' : 'Generate'}
        </Button>
      </form>
      <output
        data-testid="sample-text-output"
        aria-live="polite"
        className="min-h-0 flex-1 overflow-y-auto rounded-md border border-line bg-canvas px-2.5 py-1.5 font-mono text-xs leading-5 break-words whitespace-pre-wrap"
      >
        {result === null ? (
          <span className="text-ink-faint">{trained ? 'Press Generate to write with the model. Lower temperatures pick likelier characters.' : 'Train for a while, then generate text here.'}</span>
        ) : 'error' in result ? (
          <span role="alert" className="text-danger-ink">
            {result.error}
          </span>
        ) : (
          <>
            <span className="text-ink-faint">{result.prompt}</span>
            <span className="text-ink">{result.text}</span>
          </>
        )}
      </output>
    </section>
  );
}
