/**
 * Training throughput in the app's worker against the engine under Node (`npm run bench:ui`;
 * issue 14: "samples/s of the MNIST CNN in the app's worker within 15% of the Node figure").
 * Nothing here asserts on speed: it prints a table and writes bench/results/worker-throughput.json.
 *
 * Both sides train examples/mnist-cnn.json from a fresh run (same seed, so the same batches):
 *
 *   browser  the built app: the MNIST CNN template opened, Train pressed. A MutationObserver in the
 *            page stamps (performance.now(), step) each time the run readout's step counter
 *            changes. The rate is taken between the first stamp at or past WARMUP_STEPS and the
 *            first at or past WARMUP_STEPS + MEASURED_STEPS, from the steps the counter showed then
 *            (batch size from the document). The test waits on the counter, never on a clock.
 *            This is the app as a user runs it: the figure includes the worker's evaluations
 *            (held to ~4% of training time), its snapshots (statistics, the image predictions,
 *            posting to the page) and the slice loop's yields.
 *   node     in this (Playwright's) process: createTrainingRun, WARMUP_STEPS trainer.trainStep()
 *            calls, then MEASURED_STEPS timed ones: samples/s = batch × steps / seconds. Only
 *            the steps: no evaluation, no statistics.
 *   node app the app's worker code itself (worker/session.ts) in this process, behind comlink on a
 *            MessageChannel as the page drives it: the same evaluations and snapshots as in the
 *            browser, timed from its snapshots' steps the way the page's counter is. Browser over
 *            this is what the browser itself costs; this over node is what the app's work around
 *            the steps costs.
 *
 * RUNS runs (BENCH_RUNS, default 3), the order alternating (node first, browser first, ...),
 * medians reported. The page runs alone while the browser is measured and the browser is closed
 * while Node is.
 *
 * Beside the wall-clock figures (the ones the goal is about), each side's samples per CPU second:
 * Node's process, and the worker's own thread (Linux /proc, bench/ui/cpu.ts). On a 2-core machine
 * the page's rendering of the run (main thread, compositor, GPU process) takes most of a core, so
 * the worker may get less than one: "wk cpu" says how much it got.
 *
 * BENCH_PROFILE=1 adds a profiled run of each side (not in the medians): V8's sampling profiler on
 * the worker, the page's main thread and this process, summed by function and kernel (positions in
 * the build mapped back through its source maps), with the raw .cpuprofile files kept for DevTools.
 * BENCH_RUNS=0 BENCH_PROFILE=1 profiles only (written to worker-throughput-profile.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector/promises';
import { expect, test, type Browser, type Page, type Worker } from '@playwright/test';
import * as Comlink from 'comlink';
import { createTrainingRun } from '../../engine/train/run';
import { remoteSession } from '../../worker/testing';
import type { Snapshot } from '../../worker/protocol';
import { loadExample, readDatasetFile } from '../../engine/testing/files';
import { KERNELS_WASM_BASE64 } from '../../engine/kernels/wasm-module';
import { openTemplate } from '../../e2e/helpers';
import { median } from './frames';
import { profileMainThread, SourceMaps, summarizeProfile, threadCpu, threadShares, wasmExportNames, WorkerProfiler, type CpuProfile, type ProfileSummary } from './cpu';
import { BENCH_UI_OUT_DIR } from '../playwright.ui.config';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Steps trained before the timed window (JIT, first epoch's shuffling, the first evaluation). */
const WARMUP_STEPS = 50;
/**
 * Steps in the timed window: four epochs of the example (250 steps each), about 4 s on this
 * machine. The page sees the counter at most ~20 times a second, so a longer window makes that
 * granularity (and the snapshot's delivery delay) a small part of the time.
 */
const MEASURED_STEPS = 1000;
const EXAMPLE = 'mnist-cnn.json';
const TEMPLATE = 'mnist-cnn';
const RESULTS_FILE = fileURLToPath(new URL('../results/worker-throughput.json', import.meta.url));
const PROFILE_FILE = fileURLToPath(new URL('../results/worker-throughput-profile.json', import.meta.url));
const GOAL_RATIO = 0.85;
/** BENCH_PROFILE=1 adds a run under the V8 profiler (worker and main thread), reported apart. */
const PROFILE = process.env.BENCH_PROFILE === '1';
/** Worker sampling interval, µs (the main thread's is 1 ms). */
const WORKER_SAMPLING_US = 250;

/** A function's label in a profile (cpu.ts): "<source>:<line> <its line's text, or its name under Node>". */
const fn = (file: string, name: string): RegExp => new RegExp(`${file.replace(/[./]/g, (c) => `\\${c}`)}:\\d+ (private |async |export |function )*${name}\\b`);
/** Functions whose time with callees the worker's profile reports. */
const WORKER_INCLUSIVE = [
  { label: 'Session.slice (the loop)', match: fn('worker/session.ts', 'slice') },
  { label: 'Trainer.trainStep', match: fn('engine/train/trainer.ts', 'trainStep') },
  { label: 'Session.emit (snapshot)', match: fn('worker/session.ts', 'emit') },
  { label: '  captureStats (edge/node statistics)', match: fn('worker/snapshot.ts', 'captureStats') },
  { label: '  predictClasses (sample digits)', match: fn('worker/predict.ts', 'predictClasses') },
  { label: '  EdgeValueKeeper.save/restore', match: fn('worker/snapshot.ts', '(save|restore)') },
  { label: 'Session.advanceJob (evaluation)', match: fn('worker/session.ts', 'advanceJob') },
  { label: 'comlink', match: /^node_modules\/comlink\// },
];
/** The parts of a training step, in either profile. */
const STEP = fn('engine/train/trainer.ts', 'trainStep');
const STEP_INCLUSIVE = [
  { label: 'Trainer.loadRows (batch copy)', match: fn('engine/train/trainer.ts', 'loadRows') },
  { label: 'Tape.forward', match: fn('engine/core/tape.ts', 'forward') },
  { label: 'Tape.backward', match: fn('engine/core/tape.ts', 'backward') },
  { label: '  Tape.zeroGrads', match: fn('engine/core/tape.ts', 'zeroGrads') },
  { label: 'optimizer step', match: /engine\/optim\/\w+\.ts:\d+ (public )?step\b/ },
];
const MAIN_INCLUSIVE = [
  { label: 'react-dom', match: /^node_modules\/react-dom\// },
  { label: '@xyflow', match: /^node_modules\/@xyflow\// },
  { label: 'uplot', match: /^node_modules\/uplot\// },
  { label: 'comlink', match: /^node_modules\/comlink\// },
];

interface NodeRun {
  samplesPerSecond: number;
  seconds: number;
  cpuSeconds: number;
  steps: number;
  batch: number;
  path: string;
  loadAverage1m: number;
  /** Samples per CPU second of this process (its other threads are idle meanwhile). */
  samplesPerCpuSecond: number;
}
interface BrowserRun {
  samplesPerSecond: number;
  seconds: number;
  fromStep: number;
  toStep: number;
  batch: number;
  /** The run readout's own "samples/s" when the window ended (the worker's 200 ms average). */
  readoutSamplesPerSecond: number | null;
  /** Step-counter changes the page saw per second in the window (≈ snapshots taken). */
  counterUpdatesPerSecond: number;
  /** Time from pressing Train to the first stamp at or past WARMUP_STEPS (load, warm-up). */
  msToWarm: number;
  path: string;
  pageCrossOriginIsolated: boolean;
  workerCrossOriginIsolated: boolean | null;
  workerUrl: string | null;
  loadAverage1m: number;
  /** CPU seconds per wall second of the browser's threads during the window (Linux), busiest first. */
  threads: { thread: string; cpuPerWallSecond: number }[] | null;
  /** The same for the worker's thread alone: below 1, it waited for a core. */
  workerThreadCpuPerWallSecond: number | null;
  /** Samples per CPU second of the worker's thread (steps the counter showed at the CPU readings): the rate had the worker had a core to itself. */
  samplesPerWorkerCpuSecond: number | null;
}
interface NodeAppRun {
  samplesPerSecond: number;
  seconds: number;
  fromStep: number;
  toStep: number;
  /** Snapshots per second in the window, and the evaluations done in it. */
  snapshotsPerSecond: number;
  evaluations: number;
  /** The session's evaluations so far over its training time. */
  evaluationCost: number;
}
interface Run {
  run: number;
  order: 'node first' | 'browser first';
  node?: NodeRun;
  nodeApp?: NodeAppRun;
  browser?: BrowserRun;
}

const runs: Run[] = [];
let profiled: {
  node: NodeRun;
  browser: BrowserRun;
  stepsProfiled: number;
  worker: ProfileSummary;
  workerStep: ProfileSummary;
  nodeStep: ProfileSummary;
  main: ProfileSummary;
  files: Record<string, string>;
} | null = null;
let browserVersion = '';

test.describe.configure({ mode: 'serial' });

const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;
const load1 = (): number => round(loadavg()[0]!, 2);

/** The engine under Node, as the app's worker runs it minus the session around it. */
async function measureNode(hooks?: { atStart(): Promise<void>; atEnd(): Promise<void> }): Promise<NodeRun> {
  const { trainer, plan } = await createTrainingRun(loadExample(EXAMPLE), readDatasetFile);
  for (let s = 0; s < WARMUP_STEPS; s++) trainer.trainStep();
  await hooks?.atStart();
  const loadAverage1m = load1();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let s = 0; s < MEASURED_STEPS; s++) trainer.trainStep();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  await hooks?.atEnd();
  const batch = trainer.batchSize;
  return {
    samplesPerSecond: round((batch * MEASURED_STEPS) / seconds),
    seconds: round(seconds, 3),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 3),
    steps: MEASURED_STEPS,
    batch,
    path: plan.tape.arena.path,
    loadAverage1m,
    samplesPerCpuSecond: round((batch * MEASURED_STEPS) / ((cpu.user + cpu.system) / 1e6)),
  };
}

/**
 * The app's worker code under Node: a TrainingSession behind comlink, as the page drives it (Train,
 * then snapshots acknowledged as they come), timed between the first snapshots at or past the
 * window's ends, as the browser's counter is.
 */
async function measureNodeApp(): Promise<NodeAppRun> {
  const { api, session, close } = remoteSession();
  try {
    const log: { t: number; step: number; evaluations: number }[] = [];
    await api.subscribe(Comlink.proxy((s: Snapshot) => void log.push({ t: performance.now(), step: s.step, evaluations: s.evaluations?.length ?? 0 })));
    const loaded = await api.load(loadExample(EXAMPLE));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const end = WARMUP_STEPS + MEASURED_STEPS;
    await api.start();
    while ((log.at(-1)?.step ?? 0) < end) await new Promise((r) => setTimeout(r, 20));
    await api.pause();
    const from = log.findIndex((e) => e.step >= WARMUP_STEPS);
    const to = log.findIndex((e) => e.step >= end);
    const seconds = (log[to]!.t - log[from]!.t) / 1000;
    const batch = loadExample(EXAMPLE).training.batchSize;
    return {
      samplesPerSecond: round((batch * (log[to]!.step - log[from]!.step)) / seconds),
      seconds: round(seconds, 3),
      fromStep: log[from]!.step,
      toStep: log[to]!.step,
      snapshotsPerSecond: round((to - from) / seconds, 1),
      evaluations: log.slice(from + 1, to + 1).reduce((n, e) => n + e.evaluations, 0),
      evaluationCost: round(session.evaluationCost, 3),
    };
  } finally {
    close();
  }
}

type StepWatch = { __steps?: { t: number; step: number }[] };

/** Runs in the page: stamps every change of the step counter with the page's clock. */
function watchSteps(): void {
  const w = window as unknown as StepWatch;
  const log: { t: number; step: number }[] = [];
  w.__steps = log;
  let last = Number.NaN;
  const read = () => {
    const text = document.querySelector('[data-testid="step-count"]')?.textContent ?? '';
    const step = Number(text.replace(/,/g, ''));
    if (text !== '' && Number.isFinite(step) && step !== last) {
      last = step;
      log.push({ t: performance.now(), step });
    }
  };
  new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
}

/** The training worker of the page (the one that is not a helper of a chart or a parser, by its script's name). */
function trainingWorker(page: Page): Worker | undefined {
  const workers = page.workers();
  return workers.find((w) => /train/i.test(w.url())) ?? workers[0];
}

/**
 * The kernels the app's worker runs on. The run readout's engine tag when the app has one
 * (data-testid="engine-path", its data-kernels and title); else whether the engine's WebAssembly SIMD module validates in the
 * worker, which is the test the engine makes to choose 'wasm' (engine/kernels/wasm.ts).
 */
async function browserPath(page: Page, worker: Worker | undefined): Promise<string> {
  const readout = page.getByTestId('engine-path');
  if ((await readout.count()) > 0) {
    const tag = readout.first();
    return `${await tag.getAttribute('data-kernels')} (app readout: ${await tag.getAttribute('title')})`;
  }
  if (!worker) return 'unknown (no worker found)';
  const validates = await worker.evaluate((base64) => {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  }, KERNELS_WASM_BASE64);
  return validates ? 'wasm (inferred: the SIMD module validates in the worker)' : 'js (inferred: the SIMD module does not validate in the worker)';
}

/** Extra work at the window's edges (the profiler), run after the CPU readings at its start and before those at its end. */
interface WindowHooks {
  atStart(page: Page): Promise<void>;
  atEnd(page: Page): Promise<void>;
}

const stepAtLeast = (page: Page, target: number) =>
  page.waitForFunction((t) => ((window as unknown as StepWatch).__steps?.at(-1)?.step ?? 0) >= t, target, { polling: 100, timeout: 240_000 });

async function measureBrowser(browser: Browser, baseURL: string, hooks?: WindowHooks): Promise<BrowserRun> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto('/');
    await openTemplate(page, TEMPLATE);
    await expect(page.locator('[data-testid="layer-node"][data-error]')).toHaveCount(0);
    const batch = await page.evaluate(() => (window as unknown as { __gradflow: { document(): { training: { batchSize: number } } } }).__gradflow.document().training.batchSize);
    await page.evaluate(watchSteps);

    const loadAverage1m = load1();
    const pressed = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const end = WARMUP_STEPS + MEASURED_STEPS;
    const shownStep = () => page.evaluate(() => (window as unknown as StepWatch).__steps?.at(-1)?.step ?? 0);
    await stepAtLeast(page, WARMUP_STEPS);
    const cpuBefore = await threadCpu(browser);
    const stepBefore = await shownStep();
    await hooks?.atStart(page);
    await stepAtLeast(page, end);
    await hooks?.atEnd(page);
    const cpuAfter = await threadCpu(browser);
    const stepAfter = await shownStep();
    const readoutText = await page.getByText(/samples\/s/).first().textContent();
    const pause = page.getByRole('button', { name: 'Pause', exact: true });
    if (await pause.isEnabled()) await pause.click();

    const log = await page.evaluate(() => (window as unknown as StepWatch).__steps ?? []);
    const from = log.find((e) => e.step >= WARMUP_STEPS)!;
    const to = log.find((e) => e.step >= end)!;
    const seconds = (to.t - from.t) / 1000;
    const updates = log.filter((e) => e.t > from.t && e.t <= to.t).length;
    const readout = /([\d,]+)\s*samples\/s/.exec(readoutText ?? '');

    const worker = trainingWorker(page);
    const threads = cpuBefore && cpuAfter ? threadShares(cpuBefore, cpuAfter) : null;
    const workerThread = threads?.find((t) => /^renderer\/DedicatedWorker/.test(t.thread));
    const workerCpuSeconds = cpuBefore && cpuAfter ? [...cpuAfter.byThread].filter(([k]) => /^renderer\/DedicatedWorker/.test(k)).reduce((t, [k, v]) => t + v - (cpuBefore.byThread.get(k) ?? 0), 0) : 0;
    const workerCrossOriginIsolated = worker ? await worker.evaluate(() => (globalThis as unknown as { crossOriginIsolated?: boolean }).crossOriginIsolated === true) : null;
    return {
      samplesPerSecond: round((batch * (to.step - from.step)) / seconds),
      seconds: round(seconds, 3),
      fromStep: from.step,
      toStep: to.step,
      batch,
      readoutSamplesPerSecond: readout ? Number(readout[1]!.replace(/,/g, '')) : null,
      counterUpdatesPerSecond: round(updates / seconds, 1),
      msToWarm: round(from.t - pressed),
      path: await browserPath(page, worker),
      pageCrossOriginIsolated: await page.evaluate(() => crossOriginIsolated),
      workerCrossOriginIsolated,
      workerUrl: worker ? new URL(worker.url()).pathname : null,
      loadAverage1m,
      threads,
      workerThreadCpuPerWallSecond: workerThread?.cpuPerWallSecond ?? null,
      samplesPerWorkerCpuSecond: workerCpuSeconds > 0 ? round((batch * (stepAfter - stepBefore)) / workerCpuSeconds) : null,
    };
  } finally {
    await context.close();
  }
}

test.beforeAll(async ({ browser }) => {
  browserVersion = browser.version();
});

for (let run = 1; run <= RUNS; run++) {
  const order = run % 2 === 1 ? 'node first' : 'browser first';
  test(`MNIST CNN samples/s, app worker vs Node (run ${run}/${RUNS}, ${order})`, async ({ browser, baseURL }) => {
    const result: Run = { run, order };
    const sides = order === 'node first' ? (['node', 'browser'] as const) : (['browser', 'node'] as const);
    for (const side of sides) {
      if (side === 'node') {
        result.node = await measureNode();
        result.nodeApp = await measureNodeApp();
      } else result.browser = await measureBrowser(browser, baseURL!);
    }
    const { node, nodeApp, browser: page } = result as Required<Run>;
    expect(page.toStep).toBeGreaterThan(page.fromStep);
    expect(node.batch).toBe(page.batch);
    runs.push(result);
    console.log(
      `[bench:ui] worker-throughput run ${run} (${order}): node ${node.samplesPerSecond} samples/s (${node.path}), ` +
        `browser ${page.samplesPerSecond} samples/s (steps ${page.fromStep}→${page.toStep} in ${page.seconds} s; readout ${page.readoutSamplesPerSecond}), ` +
        `ratio ${round(page.samplesPerSecond / node.samplesPerSecond, 3)}; node app ${nodeApp.samplesPerSecond} samples/s (${nodeApp.snapshotsPerSecond} snapshots/s, ` +
        `${nodeApp.evaluations} evaluations), browser/node app ${round(page.samplesPerSecond / nodeApp.samplesPerSecond, 3)} · load ${node.loadAverage1m}/${page.loadAverage1m}`,
    );
  });
}

test('profile: where the worker, the page and Node spend the window (BENCH_PROFILE=1)', async ({ browser, baseURL }) => {
  test.skip(!PROFILE, 'set BENCH_PROFILE=1 to profile a run');
  const wasmNames = wasmExportNames(Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0)));
  const maps = new SourceMaps(BENCH_UI_OUT_DIR);
  const save = (name: string, profile: CpuProfile) => {
    const file = test.info().outputPath(name);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };

  // Node: this process's own profiler, over the same window.
  const inspector = new Session();
  inspector.connect();
  let nodeProfile: CpuProfile | undefined;
  const nodeRun = await measureNode({
    async atStart() {
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.setSamplingInterval', { interval: WORKER_SAMPLING_US });
      await inspector.post('Profiler.start');
    },
    async atEnd() {
      nodeProfile = (await inspector.post('Profiler.stop')).profile as CpuProfile;
    },
  });
  inspector.disconnect();

  let worker: WorkerProfiler | undefined;
  let main: { stop(): Promise<CpuProfile> } | undefined;
  let profiles: { worker: CpuProfile; main: CpuProfile } | undefined;
  const steps = { from: 0, to: 0 };
  const lastStep = (page: Page) => page.evaluate(() => (window as unknown as StepWatch).__steps?.at(-1)?.step ?? 0);
  const run = await measureBrowser(browser, baseURL!, {
    async atStart(page) {
      worker = await WorkerProfiler.attach(page);
      await worker.start(WORKER_SAMPLING_US);
      main = await profileMainThread(page, 1000);
      steps.from = await lastStep(page);
    },
    async atEnd(page) {
      steps.to = await lastStep(page);
      profiles = { worker: await worker!.stop(), main: await main!.stop() };
      await worker!.detach();
    },
  });
  const stepsProfiled = steps.to - steps.from;
  profiled = {
    node: nodeRun,
    browser: run,
    stepsProfiled,
    worker: summarizeProfile(profiles!.worker, maps, WORKER_INCLUSIVE, { wasmNames }),
    workerStep: summarizeProfile(profiles!.worker, maps, STEP_INCLUSIVE, { wasmNames, within: STEP }),
    nodeStep: summarizeProfile(nodeProfile!, maps, STEP_INCLUSIVE, { wasmNames, within: STEP }),
    main: summarizeProfile(profiles!.main, maps, MAIN_INCLUSIVE),
    files: { worker: save('worker.cpuprofile', profiles!.worker), main: save('main.cpuprofile', profiles!.main), node: save('node.cpuprofile', nodeProfile!) },
  };
  const line = (ms: number, share: number, what: string) => `    ${String(ms).padStart(6)} ms ${(share * 100).toFixed(1).padStart(5)}%  ${what}`;
  const show = (name: string, p: ProfileSummary) => {
    console.log(`[bench:ui] profile of ${name}: ${p.totalMs} ms`);
    console.log('  self time by category:');
    for (const c of p.byCategory.slice(0, 12)) console.log(line(c.ms, c.share, c.category));
    console.log('  with callees:');
    for (const c of p.inclusive) console.log(line(c.ms, c.share, c.fn));
    console.log('  self time, top functions:');
    for (const c of p.selfTop) console.log(line(c.ms, c.share, c.fn));
  };
  console.log(
    `[bench:ui] profiled runs (not in the medians): node ${nodeRun.samplesPerSecond} samples/s (${nodeRun.cpuSeconds} CPU s in ${nodeRun.seconds} s); ` +
      `browser ${run.samplesPerSecond} samples/s, ~${stepsProfiled} steps profiled; browser threads (CPU s per s) ${JSON.stringify(run.threads)}`,
  );
  show('the worker (whole window)', profiled.worker);
  // One step, side by side: ms per step of each category within Trainer.trainStep.
  const perStep = (p: ProfileSummary, steps: number) => new Map(p.byCategory.map((c) => [c.category, c.ms / steps]));
  const w = perStep(profiled.workerStep, stepsProfiled);
  const n = perStep(profiled.nodeStep, MEASURED_STEPS);
  console.log(`[bench:ui] inside Trainer.trainStep, ms per step (wall clock, sampled): worker ${(profiled.workerStep.totalMs / stepsProfiled).toFixed(2)}, node ${(profiled.nodeStep.totalMs / MEASURED_STEPS).toFixed(2)}`);
  for (const category of new Set([...w.keys(), ...n.keys()])) console.log(`    ${(w.get(category) ?? 0).toFixed(3).padStart(7)} ${(n.get(category) ?? 0).toFixed(3).padStart(7)}  ${category}`);
  const wi = profiled.workerStep.inclusive;
  const ni = profiled.nodeStep.inclusive;
  for (let i = 0; i < wi.length; i++) console.log(`    ${(wi[i]!.ms / stepsProfiled).toFixed(3).padStart(7)} ${(ni[i]!.ms / MEASURED_STEPS).toFixed(3).padStart(7)}  ${wi[i]!.fn}`);
  show('the worker, inside Trainer.trainStep', profiled.workerStep);
  show('Node, inside Trainer.trainStep', profiled.nodeStep);
  show('the page’s main thread', profiled.main);
  console.log(`[bench:ui] raw profiles (open in DevTools' Performance panel): ${Object.values(profiled.files).join(', ')}`);
});

test.afterAll(() => {
  mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${platform()} ${release()}`, node: process.version, chromium: browserVersion };
  const done = runs.filter((r): r is Required<Run> => !!r.node && !!r.nodeApp && !!r.browser);
  if (done.length === 0) {
    // A profile alone (BENCH_RUNS=0 BENCH_PROFILE=1) leaves the measured results as they were.
    if (profiled) writeFileSync(PROFILE_FILE, `${JSON.stringify({ generatedAt: new Date().toISOString(), machine, profile: profiled }, null, 2)}\n`);
    return;
  }
  const nodeMedian = median(done.map((r) => r.node.samplesPerSecond));
  const browserMedian = median(done.map((r) => r.browser.samplesPerSecond));
  const nodeAppMedian = median(done.map((r) => r.nodeApp.samplesPerSecond));
  const ratio = round(browserMedian / nodeMedian, 3);
  const perRunRatios = done.map((r) => round(r.browser.samplesPerSecond / r.node.samplesPerSecond, 3));
  const nodePerCpu = median(done.map((r) => r.node.samplesPerCpuSecond));
  const browserPerCpu = median(done.map((r) => r.browser.samplesPerWorkerCpuSecond ?? Number.NaN));
  const first = done[0]!;
  const summary = {
    runs: done.length,
    nodeSamplesPerSecond: nodeMedian,
    browserSamplesPerSecond: browserMedian,
    browserOverNode: ratio,
    medianOfPerRunRatios: median(perRunRatios),
    nodeAppSamplesPerSecond: nodeAppMedian,
    /** What the browser costs: the app's worker code in the page over the same code under Node. */
    browserOverNodeApp: round(browserMedian / nodeAppMedian, 3),
    /** What the app's evaluations and snapshots cost: the app's worker code under Node over bare steps. */
    nodeAppOverNode: round(nodeAppMedian / nodeMedian, 3),
    nodeAppSnapshotsPerSecond: median(done.map((r) => r.nodeApp.snapshotsPerSecond)),
    browserCounterUpdatesPerSecond: median(done.map((r) => r.browser.counterUpdatesPerSecond)),
    browserReadoutSamplesPerSecond: median(done.map((r) => r.browser.readoutSamplesPerSecond ?? Number.NaN)),
    workerThreadCpuPerWallSecond: median(done.map((r) => r.browser.workerThreadCpuPerWallSecond ?? Number.NaN)),
    nodeSamplesPerCpuSecond: nodePerCpu,
    browserSamplesPerWorkerCpuSecond: browserPerCpu,
    browserOverNodePerCpuSecond: round(browserPerCpu / nodePerCpu, 3),
    loadAverage1m: median(done.flatMap((r) => [r.node.loadAverage1m, r.browser.loadAverage1m])),
    goal: `browser at least ${GOAL_RATIO} × Node in samples/s (within 15%; reported, not asserted)`,
    goalMet: ratio >= GOAL_RATIO,
    nodePath: [...new Set(done.map((r) => r.node.path))].join(', '),
    browserPath: [...new Set(done.map((r) => r.browser.path))].join(', '),
    pageCrossOriginIsolated: first.browser.pageCrossOriginIsolated,
    workerCrossOriginIsolated: first.browser.workerCrossOriginIsolated,
  };
  const output = {
    generatedAt: new Date().toISOString(),
    machine,
    method: {
      model: `examples/${EXAMPLE} (template ${TEMPLATE}), a fresh run each time, its own seed and batch size`,
      warmupSteps: WARMUP_STEPS,
      measuredSteps: MEASURED_STEPS,
      browser:
        "built app (vite preview), headless Chromium; page-side performance.now() stamps of the step counter's changes (MutationObserver); " +
        'rate between the first stamps at or past the warm-up and the window end, from the steps shown then. Includes the worker’s evaluations (~4% budget), snapshots and yields',
      node: 'createTrainingRun + trainer.trainStep() in the Playwright test process; steps only',
      nodeApp: 'worker/session.ts behind comlink on a MessageChannel in the Playwright test process: the same evaluations and snapshots as the page’s worker, timed from its snapshots',
      perCpuSecond:
        'samples per CPU second: Node, of this process (process.cpuUsage); browser, of the renderer thread named DedicatedWorker (/proc/<pid>/task/*/stat, pids from SystemInfo.getProcessInfo), ' +
        'between readings taken by the test when the counter passed the window’s ends. What each side would do with a core to itself; wall-clock samples/s is the figure the goal is about',
      order: 'alternating per run (node first on odd runs); medians over runs',
    },
    summary,
    runs,
    ...(profiled ? { profile: profiled } : {}),
  };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(output, null, 2)}\n`);

  const pad = (s: string | number | null, n: number) => String(s ?? '–').padStart(n);
  const cols = (cells: [string | number | null, number][]) => cells.map(([v, n]) => pad(v, n)).join('');
  console.log('');
  console.log(`[bench:ui] MNIST CNN training samples/s: app worker (Chromium ${browserVersion}) vs Node ${process.version} — ${MEASURED_STEPS} steps after ${WARMUP_STEPS}`);
  console.log(`  ${'run'.padEnd(18)}${cols([['node', 8], ['browser', 9], ['ratio', 7], ['node app', 10], ['b/app', 7], ['readout', 9], ['wk cpu', 8], ['node/cpu-s', 12], ['wk/cpu-s', 10], ['ratio', 7], ['load', 6]])}`);
  for (const r of done) {
    const b = r.browser;
    console.log(
      `  ${`${r.run} (${r.order})`.padEnd(18)}` +
        cols([
          [r.node.samplesPerSecond, 8],
          [b.samplesPerSecond, 9],
          [round(b.samplesPerSecond / r.node.samplesPerSecond, 3), 7],
          [r.nodeApp.samplesPerSecond, 10],
          [round(b.samplesPerSecond / r.nodeApp.samplesPerSecond, 3), 7],
          [b.readoutSamplesPerSecond, 9],
          [b.workerThreadCpuPerWallSecond, 8],
          [r.node.samplesPerCpuSecond, 12],
          [b.samplesPerWorkerCpuSecond, 10],
          [b.samplesPerWorkerCpuSecond ? round(b.samplesPerWorkerCpuSecond / r.node.samplesPerCpuSecond, 3) : null, 7],
          [b.loadAverage1m, 6],
        ]),
    );
  }
  console.log(`  ${'median'.padEnd(18)}${cols([[nodeMedian, 8], [browserMedian, 9], [ratio, 7], [nodeAppMedian, 10], [summary.browserOverNodeApp, 7], [summary.browserReadoutSamplesPerSecond, 9], [summary.workerThreadCpuPerWallSecond, 8], [nodePerCpu, 12], [browserPerCpu, 10], [summary.browserOverNodePerCpuSecond, 7], [summary.loadAverage1m, 6]])}`);
  console.log(`  snapshots per second: node app ${summary.nodeAppSnapshotsPerSecond}, browser counter ${summary.browserCounterUpdatesPerSecond}; node app over node ${summary.nodeAppOverNode}`);
  console.log('  (node app: the app’s worker code under Node, evaluations and snapshots included; b/app: browser over it; readout: the app’s own samples/s at the window’s end; wk cpu: CPU seconds per second of the worker’s thread; x/cpu-s: samples per CPU second; load: 1-minute load average)');
  console.log(`  kernel path: node ${summary.nodePath}; browser ${summary.browserPath}`);
  console.log(`  crossOriginIsolated: page ${summary.pageCrossOriginIsolated}, worker ${summary.workerCrossOriginIsolated}`);
  console.log(`  goal browser ≥ ${GOAL_RATIO} × Node: ${summary.goalMet ? 'met' : 'NOT met'} (not asserted; the browser figure includes evaluations and snapshots)`);
  console.log(`  written to ${RESULTS_FILE}`);
});
