/**
 * How far a run is, and how long it has left. Every epoch uses each training sample once, so
 * samples seen over samples per epoch is the exact number of epochs done, even after the batch
 * size changed mid-run (which changes the steps per epoch).
 */
import type { Snapshot } from '../../../worker/protocol';

export type ProgressSnapshot = Pick<Snapshot, 'state' | 'step' | 'epoch' | 'epochTarget' | 'stepsPerEpoch' | 'samplesSeen' | 'samplesPerSecond'>;

export interface RunProgress {
  /** The epoch in progress, 1-based (the last one when the run is done). */
  epoch: number;
  /** The epoch the run stops at; null when it trains until paused. */
  epochTarget: number | null;
  /** Epochs done, fractional. */
  epochsDone: number;
  /** 0..1 of the run, or of the epoch in progress when the run has no end. */
  fraction: number;
  /** Seconds until the epoch target at the current speed; null when not training (no speed) or without a target. */
  secondsLeft: number | null;
}

/**
 * `samplesPerEpoch` is the training split's size (LoadInfo.trainCount). Without it, the steps
 * per epoch stand in: a step is taken to be `batchSize` samples (the last batch of an epoch may
 * be smaller, so the estimate runs slightly long).
 */
export function runProgress(s: ProgressSnapshot, samplesPerEpoch: number | undefined, batchSize: number): RunProgress {
  const perEpoch = samplesPerEpoch && samplesPerEpoch > 0 ? samplesPerEpoch : s.stepsPerEpoch * batchSize;
  const seen = perEpoch > 0 ? s.samplesSeen / perEpoch : 0;
  if (s.epochTarget === null) {
    return { epoch: s.epoch + 1, epochTarget: null, epochsDone: seen, fraction: seen - Math.floor(seen), secondsLeft: null };
  }
  const target = Math.max(0, s.epochTarget);
  const epochsDone = Math.min(target, seen);
  const fraction = target > 0 ? Math.min(1, epochsDone / target) : 0;
  const epoch = Math.min(Math.max(1, target), s.epoch + 1);
  let secondsLeft: number | null = null;
  if (s.state === 'done') secondsLeft = 0;
  else if (s.state === 'training' && s.samplesPerSecond > 0 && perEpoch > 0) {
    secondsLeft = Math.max(0, (target * perEpoch - s.samplesSeen) / s.samplesPerSecond);
  }
  return { epoch, epochTarget: target, epochsDone, fraction, secondsLeft };
}

/** 0.4 → "< 1 s", 42 → "42 s", 185 → "3 min 5 s", 4000 → "1 h 7 min"; null → "—". */
export function formatTimeLeft(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 1) return seconds <= 0 ? '0 s' : '< 1 s';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  }
  const h = Math.floor(s / 3600);
  if (h >= 100) return '> 99 h';
  const m = Math.round((s % 3600) / 60);
  return m === 0 ? `${h} h` : m === 60 ? `${h + 1} h` : `${h} h ${m} min`;
}
