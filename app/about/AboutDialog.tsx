/**
 * About Gradflow: what it is, which engine path trains here, where the built-in datasets come from
 * (their attributions, as the datasets' licenses ask), and the libraries the app is built on.
 */
import { useMemo } from 'react';
import { BUILTIN_DATASETS } from '../../engine/data';
import { engineHere } from '../../worker/engine';
import { useUi } from '../state/ui';
import { describeEngine } from '../training/enginePath';
import { EngineTag } from '../panels/training/EngineTag';
import { useTraining } from '../training/store';
import { Dialog } from '../ui/Dialog';

const LIBRARIES: readonly { name: string; license: string; role: string }[] = [
  { name: 'React', license: 'MIT', role: 'interface' },
  { name: 'React Flow (@xyflow/react)', license: 'MIT', role: 'the canvas' },
  { name: 'Tailwind CSS', license: 'MIT', role: 'styles' },
  { name: 'Comlink', license: 'Apache-2.0', role: 'talking to the training worker' },
  { name: 'Zustand', license: 'MIT', role: 'state' },
  { name: 'Zod', license: 'MIT', role: 'model file validation' },
  { name: 'uPlot', license: 'MIT', role: 'charts' },
  { name: 'd3-scale, d3-scale-chromatic', license: 'ISC', role: 'color scales' },
  { name: 'dagre (@dagrejs/dagre)', license: 'MIT', role: 'automatic layout' },
  { name: 'Papa Parse', license: 'MIT', role: 'CSV' },
  { name: 'fflate', license: 'MIT', role: 'gzip and share links' },
  { name: 'idb-keyval', license: 'Apache-2.0', role: 'autosave in IndexedDB' },
];

export function AboutDialog() {
  const shipped = BUILTIN_DATASETS.filter((d) => 'attribution' in d);
  const generated = BUILTIN_DATASETS.filter((d) => !('attribution' in d));
  return (
    <Dialog title="About Gradflow" description="See how neural networks learn." onClose={() => useUi.getState().openDialog(null)} width="max-w-3xl">
      <div className="flex max-h-[70vh] flex-col gap-6 overflow-y-auto p-5 text-[13px] leading-5 text-ink-muted">
        <section aria-label="What Gradflow is" className="flex flex-col gap-2">
          <p>
            Build a network from layers on the canvas, pick a dataset and press Train. The model trains in a Web Worker on Gradflow’s own engine, and every
            edge of the graph is colored by the size of the gradient flowing back along it, so you can watch where learning happens — and where it
            starves.
          </p>
          <p>Everything runs in your browser: your models and your CSV files never leave this page.</p>
        </section>

        <EngineSection />

        <section aria-labelledby="about-datasets">
          <h3 id="about-datasets" className="mb-2 text-xs font-semibold tracking-wider text-ink uppercase">
            Datasets
          </h3>
          <ul className="flex flex-col divide-y divide-line rounded-lg border border-line" data-testid="dataset-attributions">
            {shipped.map((d) => (
              <li key={d.id} className="flex flex-col gap-0.5 px-3 py-2">
                <span className="font-medium text-ink">{d.name}</span>
                <span className="text-[12px] text-ink-faint">{(d as { attribution: string }).attribution}</span>
              </li>
            ))}
            <li className="flex flex-col gap-0.5 px-3 py-2">
              <span className="font-medium text-ink">{generated.map((d) => d.name).join(', ')}</span>
              <span className="text-[12px] text-ink-faint">Generated in your browser from the run’s seed (no files).</span>
            </li>
          </ul>
        </section>

        <section aria-labelledby="about-libraries">
          <h3 id="about-libraries" className="mb-2 text-xs font-semibold tracking-wider text-ink uppercase">
            Built with
          </h3>
          <ul className="grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-2">
            {LIBRARIES.map((l) => (
              <li key={l.name} className="flex items-baseline justify-between gap-3">
                <span>
                  <span className="text-ink">{l.name}</span> <span className="text-ink-faint">— {l.role}</span>
                </span>
                <span className="shrink-0 font-mono text-[11px] text-ink-faint">{l.license}</span>
              </li>
            ))}
          </ul>
          <p className="mt-3 text-[12px] text-ink-faint">
            The training engine (tensors, gradients, layers, optimizers) is Gradflow’s own. TensorFlow.js is used only in Gradflow’s tests, as an
            independent check of its gradients and as the speed yardstick.
          </p>
        </section>
      </div>
    </Dialog>
  );
}

/**
 * The engine path: the loaded run's, as the worker reports it; before a run, what a run would use
 * here (the page asks its own thread: the worker has the same browser and the same policy).
 */
function EngineSection() {
  const loaded = useTraining((s) => s.info?.engine);
  const here = useMemo(() => (loaded ? null : engineHere()), [loaded]);
  const engine = loaded ?? here!;
  const words = describeEngine(engine);
  const subject = loaded ? 'The loaded run trains' : 'Runs in this browser train';
  return (
    <section aria-labelledby="about-engine-heading">
      <h3 id="about-engine-heading" className="mb-2 text-xs font-semibold tracking-wider text-ink uppercase">
        Engine
      </h3>
      <div className="flex flex-col gap-0.5 rounded-lg border border-line px-3 py-2" data-testid="about-engine" data-kernels={engine.kernels} data-threads={engine.threads}>
        <span className="flex items-center justify-between gap-3">
          <span className="font-medium text-ink">{words.name}</span>
          <EngineTag engine={engine} decorative />
        </span>
        <span className="text-[12px] text-ink-faint">
          {engine.kernels === 'wasm'
            ? `${subject} on the engine’s WebAssembly SIMD kernels, which work in place on one block of memory. ${
                engine.threads > 1
                  ? `Matrix products are split across ${engine.threads} threads.`
                  : `One thread, because ${engine.oneThreadReason ?? 'threads are turned off'}.`
              }`
            : `${subject} on the engine’s TypeScript kernels because ${words.why}. They give the same results, several times slower.`}
        </span>
      </div>
    </section>
  );
}
