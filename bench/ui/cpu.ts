/**
 * Where the browser's CPU time goes while the app trains, for bench/ui/worker-throughput.spec.ts.
 * Measures only; asserts nothing.
 *
 *   threadCpu       CPU time of each thread of Chromium's processes (Linux /proc, pids from the
 *                   DevTools protocol's SystemInfo.getProcessInfo): how busy the worker's thread
 *                   was during a window, and what else of the browser ran.
 *   profileWorker   the V8 sampling profiler on the app's dedicated worker (and the page's main
 *                   thread) over a window; positions in the minified build are mapped back to the
 *                   sources through the build's source maps, then summed by function and by file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import type { Browser, CDPSession, Page } from '@playwright/test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A path as the repository names it ("engine/core/tape.ts", "node_modules/react-dom/…"). */
const fromRoot = (absolute: string): string => relative(ROOT, absolute).replace(/\\/g, '/');

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

export interface ThreadTimes {
  /** "<process type>/<thread name>" → CPU seconds so far, summed over the threads of that name. */
  byThread: Map<string, number>;
  at: number;
}

/** CPU seconds so far of every thread of the browser's processes, by process type and thread name; null where /proc or the protocol is missing. */
export async function threadCpu(browser: Browser): Promise<ThreadTimes | null> {
  if (!existsSync('/proc/self/task')) return null;
  let session: CDPSession | undefined;
  try {
    session = await browser.newBrowserCDPSession();
    const { processInfo } = await session.send('SystemInfo.getProcessInfo');
    const byThread = new Map<string, number>();
    for (const p of processInfo) {
      const dir = `/proc/${p.id}/task`;
      if (!existsSync(dir)) continue;
      for (const tid of readdirSync(dir)) {
        let stat: string;
        try {
          stat = readFileSync(`${dir}/${tid}/stat`, 'utf8');
        } catch {
          continue; // the thread ended meanwhile
        }
        // "tid (comm) state ppid ..." — comm may hold spaces and parentheses: split at the last ')'.
        const close = stat.lastIndexOf(')');
        const comm = stat.slice(stat.indexOf('(') + 1, close);
        const fields = stat.slice(close + 2).split(' ');
        // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after "state" (index 0).
        const seconds = (Number(fields[11]) + Number(fields[12])) / USER_HZ;
        const key = `${p.type}/${comm}`;
        byThread.set(key, (byThread.get(key) ?? 0) + seconds);
      }
    }
    return { byThread, at: performance.now() };
  } catch {
    return null;
  } finally {
    await session?.detach().catch(() => undefined);
  }
}

/** CPU seconds each thread spent between two readings, per second of wall time, busiest first (threads below 1% left out). */
export function threadShares(before: ThreadTimes, after: ThreadTimes): { thread: string; cpuPerWallSecond: number }[] {
  const wall = (after.at - before.at) / 1000;
  const out: { thread: string; cpuPerWallSecond: number }[] = [];
  for (const [thread, s] of after.byThread) {
    const share = (s - (before.byThread.get(thread) ?? 0)) / wall;
    if (share >= 0.01) out.push({ thread, cpuPerWallSecond: Math.round(share * 100) / 100 });
  }
  return out.sort((a, b) => b.cpuPerWallSecond - a.cpuPerWallSecond);
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * The V8 profiler of the page's dedicated worker, through a session on the page that attaches to
 * its workers without flattening (Target.sendMessageToTarget), so Playwright's own attachment is
 * left alone.
 */
export class WorkerProfiler {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private workerSession: string | null = null;

  private constructor(private readonly session: CDPSession) {
    session.on('Target.receivedMessageFromTarget', (event) => {
      const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = message.id !== undefined ? this.pending.get(message.id) : undefined;
      if (!waiter) return;
      this.pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
  }

  /** Attaches to the page's (first) dedicated worker; resolves once attached. */
  static async attach(page: Page): Promise<WorkerProfiler> {
    const session = await page.context().newCDPSession(page);
    const profiler = new WorkerProfiler(session);
    const attached = new Promise<string>((resolve) => {
      session.on('Target.attachedToTarget', (event) => {
        if (event.targetInfo.type === 'worker') resolve(event.sessionId);
      });
    });
    await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    profiler.workerSession = await attached;
    return profiler;
  }

  private send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      void this.session.send('Target.sendMessageToTarget', { sessionId: this.workerSession!, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  }

  async start(samplingMicros: number): Promise<void> {
    await this.send('Profiler.enable');
    await this.send('Profiler.setSamplingInterval', { interval: samplingMicros });
    await this.send('Profiler.start');
  }

  async stop(): Promise<CpuProfile> {
    const { profile } = await this.send<{ profile: CpuProfile }>('Profiler.stop');
    return profile;
  }

  async detach(): Promise<void> {
    await this.session.detach().catch(() => undefined);
  }
}

/** The profiler of the page's main thread. */
export async function profileMainThread(page: Page, samplingMicros: number): Promise<{ stop(): Promise<CpuProfile> }> {
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: samplingMicros });
  await session.send('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.send('Profiler.stop');
      await session.detach().catch(() => undefined);
      return profile as CpuProfile;
    },
  };
}

/** Maps positions in the built files (served from /assets/) back to the sources, through the build's .map files in `outDir`. */
export class SourceMaps {
  private readonly maps = new Map<string, TraceMap | null>();
  constructor(private readonly outDir: string) {}

  /** "engine/ops/conv2d.ts:123" for a position in a built file, or null. */
  locate(url: string, line0: number, column0: number): { source: string; line: number; text: string } | null {
    let pathname: string;
    try {
      pathname = new URL(url).pathname;
    } catch {
      return null;
    }
    // Under Node (a profile of this process), a source file itself.
    if (url.startsWith('file://')) return { source: fromRoot(fileURLToPath(url)), line: line0 + 1, text: '' };
    const file = join(this.outDir, `${pathname}.map`);
    if (!this.maps.has(pathname)) this.maps.set(pathname, existsSync(file) ? new TraceMap(readFileSync(file, 'utf8')) : null);
    const map = this.maps.get(pathname);
    if (!map) return null;
    const pos = originalPositionFor(map, { line: line0 + 1, column: column0 });
    if (!pos.source || pos.line === null) return null;
    // Sources are relative to the map; the worker's bundle names them from another folder, so a
    // path that leaves the repository is read from its first folder inside it instead.
    const resolved = fromRoot(resolve(dirname(file), pos.source));
    const source = resolved.startsWith('..') ? pos.source.replace(/^(\.\.\/)+/, '') : resolved;
    const index = map.sources.indexOf(pos.source);
    const text = (index >= 0 ? map.sourcesContent?.[index] : undefined)?.split('\n')[pos.line - 1]?.trim() ?? '';
    return { source, line: pos.line, text };
  }
}

/**
 * Names of a WebAssembly module's exported functions by function index, read from its export
 * section: profiles name a function without a name section "wasm-function[<index>]".
 */
export function wasmExportNames(bytes: Uint8Array): Map<number, string> {
  const names = new Map<number, string>();
  let at = 8; // magic and version
  const leb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++]!;
      result |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return result >>> 0;
      shift += 7;
    }
  };
  const text = (): string => {
    const n = leb();
    const s = new TextDecoder().decode(bytes.subarray(at, at + n));
    at += n;
    return s;
  };
  let importedFunctions = 0;
  while (at < bytes.length) {
    const id = bytes[at++]!;
    const size = leb();
    const end = at + size;
    if (id === 2) {
      for (let i = leb(); i > 0; i--) {
        text();
        text();
        const kind = bytes[at++]!;
        if (kind === 0) {
          importedFunctions++;
          leb();
        } else if (kind === 1) {
          at++;
          const flags = leb();
          leb();
          if (flags & 1) leb();
        } else if (kind === 2) {
          const flags = leb();
          leb();
          if (flags & 1) leb();
        } else at += 2; // global: type, mutability
      }
    } else if (id === 7) {
      for (let i = leb(); i > 0; i--) {
        const name = text();
        const kind = bytes[at++]!;
        const index = leb();
        if (kind === 0) names.set(index, name);
      }
    }
    at = end;
  }
  void importedFunctions; // function indices count imports first: the names above are already in that index space
  return names;
}

export interface ProfileSummary {
  /** Profile length, ms. */
  totalMs: number;
  /** Self time by category: idle, GC, program (V8 and the runtime), wasm, then each source folder. */
  byCategory: { category: string; ms: number; share: number }[];
  /** Self time by function (source position), top entries. */
  selfTop: { fn: string; ms: number; share: number }[];
  /** Inclusive time of the functions named in `inclusive` (anywhere on the stack). */
  inclusive: { fn: string; ms: number; share: number }[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/**
 * Sums a profile's samples by function (self time) and by category; `inclusive` names functions
 * whose time with callees is reported too, matched against the label "<source>:<line> <text of
 * that line>" (such as "engine/train/trainer.ts:111 trainStep(): StepResult {"). With `within`,
 * only the samples with a frame matching it on their stack count (the breakdown of one function).
 */
export function summarizeProfile(
  profile: CpuProfile,
  maps: SourceMaps,
  inclusive: readonly { label: string; match: RegExp }[],
  options: { wasmNames?: Map<number, string>; top?: number; within?: RegExp } = {},
): ProfileSummary {
  const top = options.top ?? 25;
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const c of node.children ?? []) parent.set(c, node.id);
  }
  const labels = new Map<number, { fn: string; category: string; text: string }>();
  const labelOf = (node: ProfileNode) => {
    let label = labels.get(node.id);
    if (label) return label;
    const f = node.callFrame;
    if (SPECIAL.has(f.functionName)) label = { fn: f.functionName, category: f.functionName, text: '' };
    else if (f.url.startsWith('wasm://') || f.functionName.startsWith('js-to-wasm')) {
      const index = /^wasm-function\[(\d+)\]$/.exec(f.functionName)?.[1];
      const name = index !== undefined ? options.wasmNames?.get(Number(index)) : undefined;
      label = { fn: `wasm ${name ? `${name} (${f.functionName})` : f.functionName}`, category: f.functionName.startsWith('js-to-wasm') ? 'js-to-wasm wrappers' : 'wasm kernels', text: '' };
    }
    else {
      const at = f.url ? maps.locate(f.url, f.lineNumber, f.columnNumber) : null;
      if (at) {
        const folder = at.source.includes('node_modules/') ? `node_modules/${at.source.split('node_modules/')[1]!.split('/')[0]}` : at.source.split('/').slice(0, -1).join('/') || at.source;
        label = { fn: `${at.source}:${at.line} ${(at.text || f.functionName).slice(0, 70)}`, category: folder, text: at.text };
      } else label = { fn: `${f.functionName || '(anonymous)'} ${f.url ? new URL(f.url).pathname : '(native)'}:${f.lineNumber + 1}`, category: f.url ? 'unmapped' : '(native)', text: f.functionName };
    }
    labels.set(node.id, label);
    return label;
  };

  const stackMatches = (id: number | undefined, re: RegExp): boolean => {
    for (; id !== undefined; id = parent.get(id)) if (re.test(labelOf(byId.get(id)!).fn)) return true;
    return false;
  };
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const self = new Map<string, number>();
  const category = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    // A sample stands for the time until the next one.
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const node = byId.get(samples[i]!)!;
    if (options.within && !stackMatches(node.id, options.within)) continue;
    total += ms;
    const label = labelOf(node);
    self.set(label.fn, (self.get(label.fn) ?? 0) + ms);
    category.set(label.category, (category.get(label.category) ?? 0) + ms);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const l = labelOf(byId.get(id)!);
      for (const want of inclusive) {
        if (!seen.has(want.label) && want.match.test(l.fn)) {
          seen.add(want.label);
          incl.set(want.label, (incl.get(want.label) ?? 0) + ms);
        }
      }
    }
  }
  const rows = (m: Map<string, number>) =>
    [...m]
      .map(([k, ms]) => ({ ms: Math.round(ms), share: Math.round((ms / total) * 1000) / 1000, k }))
      .sort((a, b) => b.ms - a.ms);
  return {
    totalMs: Math.round(total),
    byCategory: rows(category).map(({ k, ms, share }) => ({ category: k, ms, share })),
    selfTop: rows(self)
      .slice(0, top)
      .map(({ k, ms, share }) => ({ fn: k, ms, share })),
    inclusive: inclusive.map((w) => {
      const ms = incl.get(w.label) ?? 0;
      return { fn: w.label, ms: Math.round(ms), share: Math.round((ms / total) * 1000) / 1000 };
    }),
  };
}
