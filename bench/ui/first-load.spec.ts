/**
 * First load (`npm run bench:ui`): what a first visit downloads before the canvas can be used, and
 * how long that takes. Nothing here asserts on timing or size; it prints tables and writes
 * bench/results/first-load.json.
 *
 * The built app (production build, `vite preview` with the production headers, gzip as the
 * preview serves it), in a fresh browser context each run (cold HTTP cache, empty storage):
 *
 *   empty        a first visit: the default document (an empty canvas), over the loopback.
 *   empty-4g     the same over a throttled network (150 ms RTT, 1.6 Mbps down: Lighthouse's
 *                "slow 4G"), where the bytes count more than the parsing.
 *   share-mnist  a first visit through a share link holding examples/mnist-cnn.json (14 layers).
 *
 * Interactive canvas: the first animation frame in which React Flow's pane is in the page, the
 * document's nodes are all rendered and measured (visible), and the palette's Dense item is
 * rendered and enabled. A rAF loop in the page (an init script) finds that frame, so the time is
 * the page's own clock from navigation start, not a test runner's polling. After it, a click on
 * the palette must add a layer (the functional check that makes a broken load fail instead of
 * reporting numbers for nothing).
 *
 * Bytes: every response Playwright saw (the page's and its worker's), as transferred (encoded body,
 * gzip where the server compressed) and raw (decoded body). "Until interactive" counts the
 * responses that ended before the interactive frame; the rest of the first 2 s is listed apart.
 *
 * Also, optionally (skipped when BENCH_DEV=0): the dev server's cold first load — a Vite dev server
 * started in this process with an empty dependency cache, and the time from the first visit to the
 * interactive canvas, then a second visit in a fresh context on the warmed server.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, gzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test, type Browser, type BrowserContext, type Request } from '@playwright/test';
import { BENCH_UI_OUT_DIR } from '../playwright.ui.config';
import { median } from './frames';

const RESULTS_FILE = fileURLToPath(new URL('../results/first-load.json', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MNIST_CNN = fileURLToPath(new URL('../../examples/mnist-cnn.json', import.meta.url));
/** How long after the interactive frame responses are still collected (lazy chunks, the worker). */
const SETTLE_MS = 2000;
const VIEWPORT = { width: 1440, height: 900 };
/** Lighthouse's "slow 4G" (its mobile default): 150 ms round trip, 1.6 Mbps down, 750 kbps up. */
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

interface Resource {
  path: string;
  type: string;
  status: number;
  encoding: string;
  /** Body bytes as transferred (compressed when the server compressed). */
  transferred: number;
  /** Body bytes decoded. */
  raw: number;
  /** When the response ended, ms from navigation start. */
  endMs: number;
}
interface Run {
  run: number;
  interactiveMs: number;
  firstContentfulPaintMs: number | null;
  domContentLoadedMs: number;
  /** Sum of main-thread tasks of 50 ms or more that started before the interactive frame. */
  longTasksMs: number;
  untilInteractive: { requests: number; transferred: number; raw: number };
  afterInteractive: Resource[];
  resources: Resource[];
}
interface Scenario {
  name: string;
  description: string;
  runs: Run[];
}
interface DevRun {
  visit: 'first (cold server)' | 'second (warm server)';
  /** From page.goto to the interactive frame, on the test runner's clock (covers a reload by the dependency optimizer). */
  wallMs: number;
  /** The page's own clock at the interactive frame, from its (last) navigation. */
  interactiveMs: number;
  navigations: number;
  requests: number;
  raw: number;
}

type Watched = { __firstLoad?: { interactiveMs: number | null; longTasks: { start: number; duration: number }[] } };

/**
 * Runs in the page before its scripts (an init script, so it is serialised: no closures). Marks
 * the first frame with an interactive canvas holding `expectedNodes` layers.
 */
function watchFirstLoad(expectedNodes: number): void {
  type Doc = { nodes: readonly unknown[] };
  const w = window as unknown as Watched & { __gradflow?: { document(): Doc } };
  const state = { interactiveMs: null as number | null, longTasks: [] as { start: number; duration: number }[] };
  w.__firstLoad = state;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) state.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task timing in this browser: the sum stays 0.
  }
  const ready = (): boolean => {
    const doc = w.__gradflow?.document();
    if (!doc || doc.nodes.length !== expectedNodes) return false;
    if (!document.querySelector('.react-flow__pane')) return false;
    const item = document.querySelector<HTMLButtonElement>('[data-testid="palette-item-dense"]');
    if (!item || item.disabled || item.getBoundingClientRect().width === 0) return false;
    const nodes = document.querySelectorAll('.react-flow__node');
    if (nodes.length !== expectedNodes) return false;
    for (const node of nodes) if (getComputedStyle(node).visibility !== 'visible') return false;
    return true;
  };
  const tick = () => {
    if (ready()) state.interactiveMs = performance.now();
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** Collects every finished response of a context, with its sizes and end time. */
function recordResponses(context: BrowserContext): { done: () => Promise<Array<Omit<Resource, 'endMs'> & { endEpochMs: number }>> } {
  const pending: Promise<(Omit<Resource, 'endMs'> & { endEpochMs: number }) | null>[] = [];
  context.on('requestfinished', (request: Request) => {
    pending.push(
      (async () => {
        const response = await request.response();
        if (!response) return null;
        const [sizes, body] = await Promise.all([request.sizes(), response.body().catch(() => Buffer.alloc(0))]);
        const timing = request.timing();
        const url = new URL(request.url());
        return {
          path: url.protocol === 'data:' ? 'data:' : url.pathname + (url.search ? '?…' : ''),
          type: request.resourceType(),
          status: response.status(),
          encoding: (await response.headerValue('content-encoding')) ?? 'identity',
          transferred: sizes.responseBodySize,
          raw: body.length,
          endEpochMs: timing.startTime + timing.responseEnd,
        };
      })().catch(() => null),
    );
  });
  return {
    done: async () => (await Promise.all(pending)).filter((r): r is NonNullable<typeof r> => r !== null),
  };
}

function sum(resources: readonly Resource[], key: 'transferred' | 'raw'): number {
  return resources.reduce((total, r) => total + r[key], 0);
}

async function coldLoad(browser: Browser, baseURL: string, path: string, expectedNodes: number, run: number, network?: typeof SLOW_4G): Promise<Run> {
  const context = await browser.newContext({ baseURL, viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    if (network) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', network);
    }
    await page.addInitScript(watchFirstLoad, expectedNodes);
    const responses = recordResponses(context);
    await page.goto(path);
    await page.waitForFunction(() => (window as unknown as Watched).__firstLoad?.interactiveMs != null, undefined, { timeout: 120_000 });
    await sleep(SETTLE_MS);

    const timings = await page.evaluate(() => {
      const state = (window as unknown as Watched).__firstLoad!;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        timeOrigin: performance.timeOrigin,
        interactiveMs: state.interactiveMs!,
        fcp: fcp ? fcp.startTime : null,
        dcl: nav ? nav.domContentLoadedEventEnd : 0,
        longTasksMs: state.longTasks.filter((t) => t.start < state.interactiveMs!).reduce((s, t) => s + t.duration, 0),
      };
    });

    // Interactive means it: a click on the palette adds a layer.
    const layers = page.getByTestId('layer-node');
    await page.getByTestId('palette-item-dense').click();
    await expect(layers).toHaveCount(expectedNodes + 1);

    const resources = (await responses.done())
      .map(({ endEpochMs, ...r }) => ({ ...r, endMs: Math.round(endEpochMs - timings.timeOrigin) }))
      .sort((a, b) => a.endMs - b.endMs);
    const before = resources.filter((r) => r.endMs <= timings.interactiveMs);
    const after = resources.filter((r) => r.endMs > timings.interactiveMs && r.endMs <= timings.interactiveMs + SETTLE_MS);
    return {
      run,
      interactiveMs: Math.round(timings.interactiveMs),
      firstContentfulPaintMs: timings.fcp === null ? null : Math.round(timings.fcp),
      domContentLoadedMs: Math.round(timings.dcl),
      longTasksMs: Math.round(timings.longTasksMs),
      untilInteractive: { requests: before.length, transferred: sum(before, 'transferred'), raw: sum(before, 'raw') },
      afterInteractive: after,
      resources: before,
    };
  } finally {
    await context.close();
  }
}

/** `#model=<base64url(zlib(compact JSON))>`, as app/persistence/share.ts writes a share link. */
function shareHash(modelFile: string): string {
  const compact = JSON.stringify(JSON.parse(readFileSync(modelFile, 'utf8')));
  return `#model=${deflateSync(compact, { level: 9 }).toString('base64url')}`;
}

/** Every file the build wrote under assets/, with its size raw and gzipped (as the preview serves it). */
function builtAssets(): { file: string; raw: number; gzip: number }[] {
  const dir = join(BENCH_UI_OUT_DIR, 'assets');
  return readdirSync(dir)
    .filter((f) => !f.endsWith('.map'))
    .map((file) => {
      const bytes = readFileSync(join(dir, file));
      return { file, raw: statSync(join(dir, file)).size, gzip: gzipSync(bytes).length };
    })
    .sort((a, b) => b.raw - a.raw);
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const pad = (s: string | number, n: number) => String(s).padStart(n);

const scenarios: Scenario[] = [];
const devRuns: DevRun[] = [];
let devSkipped: string | null = null;
let browserVersion = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  browserVersion = browser.version();
});

const SCENARIOS = [
  { name: 'empty', description: 'first visit, empty canvas, loopback', path: '/', nodes: 0, runs: 5 },
  { name: 'empty-4g', description: 'first visit, empty canvas, slow 4G (150 ms RTT, 1.6 Mbps)', path: '/', nodes: 0, runs: 3, network: SLOW_4G },
  { name: 'share-mnist', description: 'first visit through a share link of examples/mnist-cnn.json, loopback', path: `/${shareHash(MNIST_CNN)}`, nodes: 14, runs: 3 },
] as const;

for (const s of SCENARIOS) {
  test(`first load: ${s.name} (${s.runs} cold runs)`, async ({ browser, baseURL }) => {
    const runs: Run[] = [];
    for (let run = 1; run <= s.runs; run++) {
      runs.push(await coldLoad(browser, baseURL!, s.path, s.nodes, run, 'network' in s ? s.network : undefined));
    }
    scenarios.push({ name: s.name, description: s.description, runs });
  });
}

test('first load: dev server, cold (optional; BENCH_DEV=0 skips)', async ({ browser }) => {
  if (process.env.BENCH_DEV === '0') {
    devSkipped = 'BENCH_DEV=0';
    test.skip();
  }
  test.setTimeout(5 * 60_000);
  const { createServer } = await import('vite');
  const cacheDir = join(tmpdir(), 'gradflow-bench-dev-cache');
  rmSync(cacheDir, { recursive: true, force: true }); // an empty dependency cache: the first start after an install
  const port = Number(process.env.BENCH_DEV_PORT ?? 4199);
  const server = await createServer({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    cacheDir,
    logLevel: 'error',
    clearScreen: false,
    server: { host: '127.0.0.1', port, strictPort: true },
  });
  try {
    await server.listen();
    for (const visit of ['first (cold server)', 'second (warm server)'] as const) {
      const context = await browser.newContext({ viewport: VIEWPORT });
      try {
        const page = await context.newPage();
        let navigations = 0;
        page.on('framenavigated', (frame) => {
          if (frame === page.mainFrame()) navigations++;
        });
        await page.addInitScript(watchFirstLoad, 0);
        const responses = recordResponses(context);
        const started = Date.now();
        await page.goto(`http://127.0.0.1:${port}/`);
        await page.waitForFunction(() => (window as unknown as Watched).__firstLoad?.interactiveMs != null, undefined, { timeout: 180_000, polling: 'raf' });
        const wallMs = Date.now() - started;
        const interactiveMs = await page.evaluate(() => (window as unknown as Watched).__firstLoad!.interactiveMs!);
        await page.getByTestId('palette-item-dense').click();
        await expect(page.getByTestId('layer-node')).toHaveCount(1);
        const all = await responses.done();
        devRuns.push({ visit, wallMs, interactiveMs: Math.round(interactiveMs), navigations, requests: all.length, raw: all.reduce((t, r) => t + r.raw, 0) });
      } finally {
        await context.close();
      }
    }
  } finally {
    await server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test.afterAll(() => {
  if (scenarios.length === 0) return;
  const summary = scenarios.map((s) => {
    const medianOf = (f: (r: Run) => number) => Math.round(median(s.runs.map(f)));
    // The run whose time is the median (its resources are the ones listed).
    const typical = [...s.runs].sort((a, b) => a.interactiveMs - b.interactiveMs)[Math.floor(s.runs.length / 2)]!;
    return {
      name: s.name,
      description: s.description,
      runs: s.runs.length,
      interactiveMs: { median: medianOf((r) => r.interactiveMs), min: Math.min(...s.runs.map((r) => r.interactiveMs)), max: Math.max(...s.runs.map((r) => r.interactiveMs)) },
      firstContentfulPaintMs: medianOf((r) => r.firstContentfulPaintMs ?? Number.NaN),
      domContentLoadedMs: medianOf((r) => r.domContentLoadedMs),
      longTasksMs: medianOf((r) => r.longTasksMs),
      untilInteractive: typical.untilInteractive,
      typicalRun: typical.run,
    };
  });
  const assets = builtAssets();
  const output = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${platform()} ${release()}`, node: process.version, chromium: browserVersion },
    method: {
      build: 'vite build + vite preview (production headers, gzip by the preview server)',
      interactive: 'first rAF with React Flow pane present, all document nodes rendered and visible, palette item "dense" enabled; ms from navigation start',
      cache: 'fresh browser context per run (cold HTTP cache, empty IndexedDB)',
      bytes: 'response bodies: transferred = encoded as served, raw = decoded; until interactive = responses ended before the interactive frame',
      settleMs: SETTLE_MS,
    },
    summary,
    scenarios,
    devServer: devSkipped ? { skipped: devSkipped } : devRuns,
    build: assets,
  };
  mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(output, null, 2)}\n`);

  const log = (line = '') => console.log(line);
  log();
  log('[bench:ui] First load: time to an interactive canvas (ms from navigation start; medians of cold runs)');
  log(`  ${'scenario'.padEnd(12)} ${pad('runs', 4)} ${pad('interactive', 11)} ${pad('(min–max)', 13)} ${pad('FCP', 6)} ${pad('DCL', 6)} ${pad('long tasks', 10)} ${pad('requests', 8)} ${pad('transferred', 11)} ${pad('raw', 10)}`);
  for (const s of summary) {
    log(
      `  ${s.name.padEnd(12)} ${pad(s.runs, 4)} ${pad(s.interactiveMs.median, 11)} ${pad(`(${s.interactiveMs.min}–${s.interactiveMs.max})`, 13)} ${pad(s.firstContentfulPaintMs, 6)} ${pad(s.domContentLoadedMs, 6)} ${pad(s.longTasksMs, 10)} ${pad(s.untilInteractive.requests, 8)} ${pad(kB(s.untilInteractive.transferred), 11)} ${pad(kB(s.untilInteractive.raw), 10)}`,
    );
  }
  const first = scenarios.find((s) => s.name === 'empty');
  if (first) {
    const typical = first.runs.find((r) => r.run === summary[0]!.typicalRun)!;
    log();
    log(`[bench:ui] First load, empty canvas (run ${typical.run}): responses until the canvas is interactive at ${typical.interactiveMs} ms`);
    for (const r of typical.resources) log(`  ${r.path.padEnd(48)} ${r.type.padEnd(10)} ${pad(kB(r.transferred), 10)} ${pad(kB(r.raw), 10)} ${r.encoding.padEnd(8)} ends ${pad(r.endMs, 5)} ms`);
    log('  after it (within 2 s):');
    if (typical.afterInteractive.length === 0) log('  (none)');
    for (const r of typical.afterInteractive) log(`  ${r.path.padEnd(48)} ${r.type.padEnd(10)} ${pad(kB(r.transferred), 10)} ${pad(kB(r.raw), 10)} ${r.encoding.padEnd(8)} ends ${pad(r.endMs, 5)} ms`);
  }
  log();
  log('[bench:ui] The build (assets/, without source maps)');
  for (const a of assets) log(`  ${a.file.padEnd(48)} ${pad(kB(a.raw), 10)} raw ${pad(kB(a.gzip), 10)} gzip`);
  if (devRuns.length > 0) {
    log();
    log('[bench:ui] Dev server (vite, empty dependency cache): time to an interactive canvas');
    for (const d of devRuns) log(`  ${d.visit.padEnd(22)} ${pad(d.wallMs, 6)} ms from goto (page clock ${d.interactiveMs} ms, ${d.navigations} navigation${d.navigations === 1 ? '' : 's'}), ${d.requests} requests, ${kB(d.raw)} raw`);
  } else if (devSkipped) log(`[bench:ui] Dev server: skipped (${devSkipped})`);
  log(`  results: ${RESULTS_FILE}`);
});
