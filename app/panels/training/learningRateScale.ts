/**
 * The learning-rate slider: a log scale from 1e-5 to 1 in 20 stops per decade, so each stop is
 * about 12% more than the one before, and every stop reads as a short number (0.0032, 0.01).
 * The numeric field beside the slider takes any value the schema allows; the slider then sits
 * on the nearest stop.
 */
export const LR_SLIDER = { minExponent: -5, maxExponent: 0, stopsPerDecade: 20 } as const;

/** The slider's last stop (its first is 0). */
export const LR_SLIDER_MAX = (LR_SLIDER.maxExponent - LR_SLIDER.minExponent) * LR_SLIDER.stopsPerDecade;

/** The stop nearest to a learning rate, clamped to the slider's range. */
export function learningRateToStop(lr: number): number {
  if (!(lr > 0)) return 0;
  const stop = Math.round((Math.log10(lr) - LR_SLIDER.minExponent) * LR_SLIDER.stopsPerDecade);
  return Math.min(LR_SLIDER_MAX, Math.max(0, stop));
}

/** The learning rate at a stop, rounded to two significant digits. */
export function stopToLearningRate(stop: number): number {
  const clamped = Math.min(LR_SLIDER_MAX, Math.max(0, Math.round(stop)));
  const exact = 10 ** (LR_SLIDER.minExponent + clamped / LR_SLIDER.stopsPerDecade);
  return Number(exact.toPrecision(2));
}

/** 0.01 → "0.01", 0.0003 → "3e-4", 1.25e-5 → "1.25e-5" (at most three significant digits). */
export function formatLearningRate(lr: number): string {
  const rounded = Number(lr.toPrecision(3));
  return rounded < 1e-3 ? rounded.toExponential() : String(rounded);
}
