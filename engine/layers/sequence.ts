import type { Shape } from '../core/shape';
import { describeShape, problem, type LayerProblem } from './types';

/**
 * Checks that a layer gets a sequence of vectors (time steps × features, [T, F] per sample) and
 * says how to get one if not. Null when the input is fine.
 */
export function needSequence(label: string, x: Shape | undefined): LayerProblem[] | null {
  if (!x) return problem(`${label} needs an input.`);
  if (x.length === 2) return null;
  const wants = `${label} needs a sequence of vectors (time steps × features)`;
  if (x.length === 0) return problem(`${wants}, but gets a scalar per sample.`, undefined, 0);
  if (x.length === 1) {
    return problem(
      `${wants}, but gets ${x[0]} values per sample.`,
      `If they are token ids, add an Embedding before it; otherwise add a Reshape to ${x[0]}×1 (${x[0]} time steps of one feature).`,
      0,
    );
  }
  const steps = x[0]!;
  const rest = x.slice(1).reduce((p, d) => p * d, 1);
  return problem(
    `${wants}, but gets an image-shaped ${describeShape(x)} tensor.`,
    `Add a Reshape to ${steps}×${rest} to read its rows as ${steps} time steps.`,
    0,
  );
}
