/** Timing shared by the Node benchmarks. */

/** Median seconds per call of `step`, timing for about `windowMs` after a warm-up of two calls (at least 3, at most 2000 timed). */
export function timeSteps(step: () => void, windowMs: number): number {
  step();
  step();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (performance.now() - start < windowMs && times.length < 2000)) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]! / 1000;
}
