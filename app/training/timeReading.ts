/**
 * What the gradient-per-time-step view says about a sequence edge. One batch is a poor witness:
 * on the recall task the first step's gradient depends on how many of the batch's 32 markers
 * happen to sit there, and swings 10× from one batch to the next. So the view pools the
 * snapshots of the last READING_STEPS training steps, the RMS at each time step over all their
 * samples, and reads the ratio of the last step's to the first's.
 */

/** Training steps the reading pools (about four epochs of the recall templates' 25 batches). */
export const READING_STEPS = 100;
/** A ratio beyond this, either way, is a fade; within it the gradient reaches every step. */
export const FADE_FACTOR = 10;

/** One sequence edge's snapshots: the step of each, and its gradient RMS at each time step. */
export interface TimeRows {
  readonly steps: readonly number[];
  readonly rows: readonly Float32Array[];
}

/** The gradient RMS at each time step pooled over the snapshots of a span of training steps. */
export interface PooledProfile {
  /** RMS per time step over every sample of the pooled batches (0 where no gradient arrived). */
  rms: Float32Array;
  /** The training steps the pooled snapshots cover, first and last. */
  fromStep: number;
  toStep: number;
  snapshots: number;
}

/**
 * Pools the snapshots within the last `window` training steps (those after latest − window):
 * the root of the mean of squares at each time step, which is the RMS over all their samples
 * when the batches are the same size. Rows with a non-finite value are left out.
 */
export function pooledProfile(history: TimeRows, window = READING_STEPS): PooledProfile | undefined {
  const n = history.rows.length;
  if (n === 0) return undefined;
  const toStep = history.steps[n - 1]!;
  const timeSteps = history.rows[n - 1]!.length;
  const sums = new Float64Array(timeSteps);
  let snapshots = 0;
  let fromStep = toStep;
  for (let i = n - 1; i >= 0 && history.steps[i]! > toStep - window; i--) {
    const row = history.rows[i]!;
    if (row.length !== timeSteps || !row.every(Number.isFinite)) continue;
    for (let t = 0; t < timeSteps; t++) sums[t]! += row[t]! * row[t]!;
    snapshots++;
    fromStep = history.steps[i]!;
  }
  if (snapshots === 0) return undefined;
  const rms = Float32Array.from(sums, (s) => Math.sqrt(s / snapshots));
  return { rms, fromStep, toStep, snapshots };
}

export type TimeReadingKind =
  /** The first step gets FADE_FACTOR× or more less gradient than the last: vanishing through time. */
  | 'fades'
  /** First and last within FADE_FACTOR× of each other. */
  | 'reaches'
  /** The first step gets FADE_FACTOR× or more *more* gradient than the last. */
  | 'early'
  /** The first step gets none (nothing reaches it, or nothing reaches the edge at all). */
  | 'none';

export interface TimeReading {
  kind: TimeReadingKind;
  /** Pooled RMS at the last time step over that at the first (Infinity when the first gets none). */
  lastOverFirst: number;
  profile: PooledProfile;
}

export function readTimeGradient(history: TimeRows, window = READING_STEPS): TimeReading | undefined {
  const profile = pooledProfile(history, window);
  if (!profile) return undefined;
  const first = profile.rms[0]!;
  const last = profile.rms[profile.rms.length - 1]!;
  if (!(first > 0)) return { kind: 'none', lastOverFirst: Infinity, profile };
  const lastOverFirst = last / first;
  const kind = lastOverFirst >= FADE_FACTOR ? 'fades' : lastOverFirst <= 1 / FADE_FACTOR ? 'early' : 'reaches';
  return { kind, lastOverFirst, profile };
}

/** The view's one-line reading: what the pooled numbers say, over which training steps. */
export function timeReadingText(reading: TimeReading, format: (x: number) => string): string {
  const { kind, lastOverFirst, profile } = reading;
  const steps = profile.rms.length;
  const span = profile.fromStep === profile.toStep ? `Step ${profile.toStep}` : `Steps ${profile.fromStep}–${profile.toStep} (${profile.snapshots} batches)`;
  switch (kind) {
    case 'none':
      return `${span}: the first time step gets no gradient.`;
    case 'fades':
      return `${span}: the first of ${steps} time steps gets ${format(lastOverFirst)}× less gradient than the last, so the early steps barely learn (vanishing through time).`;
    case 'early':
      return `${span}: the first of ${steps} time steps gets ${format(1 / lastOverFirst)}× more gradient than the last: it reaches back to the early steps.`;
    case 'reaches':
      return `${span}: the gradient reaches all ${steps} time steps, the first within ${FADE_FACTOR}× of the last.`;
  }
}
