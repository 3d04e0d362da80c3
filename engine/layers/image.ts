import type { Shape } from '../core/shape';
import { windowAxis, type Padding } from '../ops/window';
import { describeShape, problem, type LayerProblem } from './types';

/** Checks that a layer gets an image (height×width×channels) and says how to get one if not. */
export function needImage(label: string, x: Shape | undefined): LayerProblem[] | null {
  if (!x) return problem(`${label} needs an input.`);
  if (x.length === 3) return null;
  const side = Math.sqrt(x[0] ?? 0);
  const hint = x.length === 1 && Number.isInteger(side) && side > 1
    ? `Add a Reshape to ${side}×${side}×1 before it.`
    : 'Convolution and pooling work on images shaped height×width×channels.';
  return problem(`${label} needs an image (height×width×channels), but gets ${describeShape(x)}.`, hint, 0);
}

/** Output height and width of a sliding window, or a problem when the window does not fit. */
export function windowOutput(label: string, x: Shape, size: readonly number[], strides: readonly number[], padding: Padding): { height: number; width: number } | LayerProblem[] {
  const [h, w] = [x[0]!, x[1]!];
  if (padding === 'valid' && (size[0]! > h || size[1]! > w)) {
    return problem(
      `${label}: a ${size[0]}×${size[1]} window does not fit in a ${h}×${w} image without padding.`,
      "Use 'same' padding, a smaller window, or fewer downsampling layers before this one.",
      0,
    );
  }
  return { height: windowAxis(h, size[0]!, strides[0]!, padding).out, width: windowAxis(w, size[1]!, strides[1]!, padding).out };
}

export const paddingSpec = {
  kind: 'select' as const,
  label: 'Padding',
  help: "'same' pads the border so the output keeps the size (divided by the stride); 'valid' uses only full windows.",
  options: [
    { value: 'same', label: 'Same' },
    { value: 'valid', label: 'Valid' },
  ],
};

export const pairSpec = (label: string, help: string, dflt: number, max: number) => ({
  kind: 'ints' as const,
  label,
  help,
  default: [dflt, dflt],
  minLength: 2,
  maxLength: 2,
  min: 1,
  max,
});
