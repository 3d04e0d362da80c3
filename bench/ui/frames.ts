/**
 * Frame timing in the page: the gap between consecutive requestAnimationFrame callbacks, and the
 * main-thread tasks of 50 ms or more (PerformanceObserver 'longtask'). Measures only: it asserts
 * nothing about how fast anything is.
 *
 * The page callbacks use only what both the DOM and the WebWorker libraries declare
 * (requestAnimationFrame, performance, PerformanceObserver, globalThis and its
 * add/removeEventListener), so this file type-checks
 * under bench/tsconfig.json as it is.
 */
import type { Page } from '@playwright/test';

export interface RawRecording {
  /** rAF-to-rAF gaps, ms, in order. */
  frameDeltas: number[];
  /** Long tasks that started during the recording, ms. */
  longTasks: number[];
  /** Wall time of the recording in the page, ms. */
  durationMs: number;
  /** mousemove events dispatched in the page during the recording. */
  mouseMoves: number;
}

export interface FrameStats {
  frames: number;
  durationMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  longTaskCount: number;
  longestTaskMs: number;
}

interface Recorder {
  running: boolean;
  start: number;
  end: number;
  last: number;
  deltas: number[];
  longTasks: { start: number; duration: number }[];
  observer: PerformanceObserver | null;
  mouseMoves: number;
  onMouseMove: () => void;
}

/** Starts recording frames and long tasks in the page; resolves once the first frame is seen. */
export async function startRecording(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const rec: Recorder = {
          running: true,
          start: performance.now(),
          end: 0,
          last: -1,
          deltas: [],
          longTasks: [],
          observer: null,
          mouseMoves: 0,
          onMouseMove: () => rec.mouseMoves++,
        };
        (globalThis as unknown as { __benchFrames: Recorder }).__benchFrames = rec;
        globalThis.addEventListener('mousemove', rec.onMouseMove, { capture: true, passive: true });
        try {
          rec.observer = new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) rec.longTasks.push({ start: entry.startTime, duration: entry.duration });
          });
          rec.observer.observe({ type: 'longtask', buffered: false });
        } catch {
          // No long-task support: the count stays 0.
        }
        const tick = (now: number) => {
          if (!rec.running) return;
          if (rec.last < 0) {
            rec.start = now;
            resolve();
          } else rec.deltas.push(now - rec.last);
          rec.last = now;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
  );
}

/** Stops the recording started by startRecording and returns what it saw. */
export async function stopRecording(page: Page): Promise<RawRecording> {
  return page.evaluate(() => {
    const rec = (globalThis as unknown as { __benchFrames: Recorder }).__benchFrames;
    rec.running = false;
    rec.end = performance.now();
    globalThis.removeEventListener('mousemove', rec.onMouseMove, { capture: true });
    // Entries still queued in the observer are delivered by takeRecords().
    if (rec.observer) {
      for (const entry of rec.observer.takeRecords()) rec.longTasks.push({ start: entry.startTime, duration: entry.duration });
      rec.observer.disconnect();
    }
    return {
      frameDeltas: rec.deltas,
      longTasks: rec.longTasks.filter((t) => t.start + t.duration >= rec.start && t.start <= rec.end).map((t) => t.duration),
      durationMs: rec.end - rec.start,
      mouseMoves: rec.mouseMoves,
    };
  });
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

export function frameStats(rec: RawRecording): FrameStats {
  const sorted = [...rec.frameDeltas].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    frames: sorted.length,
    durationMs: round2(rec.durationMs),
    meanMs: round2(sorted.length ? sum / sorted.length : Number.NaN),
    p50Ms: round2(percentile(sorted, 50)),
    p95Ms: round2(percentile(sorted, 95)),
    p99Ms: round2(percentile(sorted, 99)),
    maxMs: round2(sorted.length ? sorted[sorted.length - 1]! : Number.NaN),
    longTaskCount: rec.longTasks.length,
    longestTaskMs: round2(rec.longTasks.length ? Math.max(...rec.longTasks) : 0),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return round2(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** One line for the console: "frames 118 · mean 16.9 · p50 16.7 · p95 21.3 · p99 33.4 · max 50.1 ms · long tasks 1 (longest 62 ms)". */
export function formatStats(s: FrameStats): string {
  return (
    `frames ${s.frames} in ${Math.round(s.durationMs)} ms · mean ${s.meanMs} · p50 ${s.p50Ms} · p95 ${s.p95Ms} · p99 ${s.p99Ms} · max ${s.maxMs} ms` +
    ` · long tasks ${s.longTaskCount}${s.longTaskCount ? ` (longest ${s.longestTaskMs} ms)` : ''}`
  );
}
