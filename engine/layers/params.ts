import type { Params, ParamSpec, ParamSpecs, ParamValue } from './types';

export interface ParamProblem {
  param: string;
  message: string;
}

/** The defaults of every parameter. */
export function defaultParams(specs: ParamSpecs): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
  return out;
}

/**
 * Checks raw parameter values against a layer's specs. Missing values take their defaults; a bad
 * value is reported (and replaced by the default, so shape inference can go on and find more).
 */
export function validateParams(label: string, specs: ParamSpecs, raw: Readonly<Record<string, unknown>>): { params: Params; problems: ParamProblem[] } {
  const params = defaultParams(specs);
  const problems: ParamProblem[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs);
      const guess = known.find((k) => closeEnough(k, name));
      problems.push({
        param: name,
        message: known.length === 0
          ? `${label} has no parameters, but the file sets '${name}'`
          : `${label} has no parameter '${name}'${guess ? ` — did you mean '${guess}'?` : ` (it has ${known.map((k) => `'${k}'`).join(', ')})`}`,
      });
      continue;
    }
    const error = checkValue(spec, value);
    if (error) problems.push({ param: name, message: `${spec.label}: ${error}` });
    else params[name] = value as ParamValue;
  }
  return { params, problems };
}

/** Why `value` is not acceptable for `spec`, or null. Used by the inspector to refuse an edit with a reason. */
export function checkValue(spec: ParamSpec, value: unknown): string | null {
  switch (spec.kind) {
    case 'int':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number, got ${show(value)}`;
      if (spec.kind === 'int' && !Number.isInteger(value)) return `must be a whole number, got ${value}`;
      const exMin = spec.kind === 'number' && spec.exclusiveMin;
      const exMax = spec.kind === 'number' && spec.exclusiveMax;
      if (exMin ? value <= spec.min : value < spec.min) return `must be ${exMin ? 'greater than' : 'at least'} ${spec.min}, got ${value}`;
      if (exMax ? value >= spec.max : value > spec.max) return `must be ${exMax ? 'less than' : 'at most'} ${spec.max}, got ${value}`;
      return null;
    }
    case 'bool':
      return typeof value === 'boolean' ? null : `must be true or false, got ${show(value)}`;
    case 'select':
      return spec.options.some((o) => o.value === value)
        ? null
        : `must be one of ${spec.options.map((o) => `'${o.value}'`).join(', ')}, got ${show(value)}`;
    case 'ints': {
      if (!Array.isArray(value)) return `must be a list of whole numbers, got ${show(value)}`;
      if (value.length < spec.minLength || value.length > spec.maxLength) {
        return spec.minLength === spec.maxLength
          ? `needs exactly ${spec.minLength} numbers, got ${value.length}`
          : `needs ${spec.minLength} to ${spec.maxLength} numbers, got ${value.length}`;
      }
      for (const v of value as unknown[]) {
        if (spec.allowMinusOne && v === -1) continue;
        if (typeof v !== 'number' || !Number.isInteger(v)) return `must be whole numbers, got ${show(v)}`;
        if (v < spec.min || v > spec.max) return `each number must be between ${spec.min} and ${spec.max}, got ${v}`;
      }
      if (spec.allowMinusOne && (value as number[]).filter((v) => v === -1).length > 1) return 'at most one entry may be -1';
      return null;
    }
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Same letters up to one edit, or one is a prefix of the other: enough for a "did you mean". */
function closeEnough(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x.startsWith(y) || y.startsWith(x)) return true;
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return x.slice(i + 1) === y.slice(i + 1) || x.slice(i + 1) === y.slice(i) || x.slice(i) === y.slice(i + 1);
}
