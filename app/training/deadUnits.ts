/**
 * Dead units versus sparsity, in words that keep them apart. A dead unit is zero for every sample
 * of the batch (`deadFraction`): it passes no gradient to the weights before it, so nothing revives
 * it. Zeros among the outputs (`zeroFraction`) are sparsity: a ReLU zeroes every negative input, so
 * about half its outputs are zero in a healthy layer.
 */
import { edgeUnits } from '../../engine/compiler/plan';
import type { Shape } from '../../engine/core/shape';

/** The share of dead units from which the readout suggests a fix (a few dead units of many are common and harmless). */
export const DEAD_UNITS_WORRY = 0.2;

export interface DeadUnits {
  dead: number;
  units: number;
  /** Enough of them dead that the layer loses capacity. */
  worrying: boolean;
}

/** How many of the units an edge carries are dead, from its `deadFraction` and its per-sample shape. */
export function deadUnits(deadFraction: number | undefined, shape: Shape | undefined): DeadUnits | undefined {
  if (deadFraction === undefined || !Number.isFinite(deadFraction) || !shape) return undefined;
  const units = edgeUnits(shape);
  const dead = Math.round(deadFraction * units);
  return { dead, units, worrying: dead > 0 && dead >= DEAD_UNITS_WORRY * units };
}

/** "3 of 32". */
export function formatDeadUnits({ dead, units }: DeadUnits): string {
  return `${dead} of ${units}`;
}

/** "52% of outputs" (whole percents, but never 0% or 100% for a share that is neither). */
export function formatZeros(zeroFraction: number | undefined): string {
  if (zeroFraction === undefined || !Number.isFinite(zeroFraction)) return '—';
  const pct = zeroFraction * 100;
  const shown = pct > 0 && pct < 1 ? '<1' : pct > 99 && pct < 100 ? '>99' : String(Math.round(pct));
  return `${shown}% of outputs`;
}
