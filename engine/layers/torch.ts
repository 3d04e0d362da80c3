/**
 * Helpers for the layers' PyTorch writers (LayerDef.torch): Python literals from engine values.
 * The writers themselves live in each layer's module; engine/export/pytorch.ts puts them together.
 */

/** A number as a Python literal that reads back as the same double ("0.1", "1e-07", "3"). */
export function pyNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`no Python literal for ${n}`);
  return String(n);
}

/** A list of numbers as a Python tuple literal ("(3, 3)", "(4,)"). */
export function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${pyNumber(values[0]!)},)` : `(${values.map(pyNumber).join(', ')})`;
}

export const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** Python source from lines written at no indent: dedents nothing, joins with newlines, trims the ends. */
export function pySource(...lines: string[]): string {
  return lines.join('\n').trim();
}
