/**
 * Problems found in a model file, in words a learner can act on: where (a JSON path such as
 * `nodes[2].params` or `training.learningRate`) and what ("must be greater than 0, got -1").
 */
import type { z } from 'zod';

/**
 * One problem (or warning) in a model file. `path` is empty for the file as a whole; `message`
 * starts with the path, so it can be shown on its own:
 * "training.learningRate: must be greater than 0, got -1".
 */
export interface ModelIssue {
  path: string;
  message: string;
}

export type PathSegment = string | number;

export function modelIssue(path: readonly PathSegment[], detail: string): ModelIssue {
  const at = formatPath(path);
  return { path: at, message: at === '' ? detail : `${at}: ${detail}` };
}

/** `['nodes', 2, 'params']` -> `nodes[2].params`; keys that are not identifiers are quoted: `layout["a b"].x`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** A value as it appears in a message: `'dense_1'`, `-1`, `[1,"x"]`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${truncate(JSON.stringify(value).slice(1, -1))}'`;
  if (typeof value === 'object' && value !== null) {
    try {
      return truncate(JSON.stringify(value));
    } catch {
      return Array.isArray(value) ? 'a list' : 'an object'; // cyclic or holding a bigint
    }
  }
  return String(value);
}

/** Turns the schema's issues into readable ones. `root` is the value that was checked (to quote what was found). */
export function readableIssues(issues: readonly z.core.$ZodIssue[], root: unknown): ModelIssue[] {
  const out: ModelIssue[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
    const readable = modelIssue(path, describeIssue(issue, valueAt(root, path)));
    // One problem per place: "must be a whole number" is enough for 0.5, without "at least 1".
    if (seen.has(readable.path)) continue;
    seen.add(readable.path);
    out.push(readable);
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue, found: unknown): string {
  const got = `got ${describeValue(found)}`;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? `a ${issue.expected}`;
      if (found === undefined) return `is missing; it should be ${expected}`;
      if (typeof found === 'number' && (issue.expected === 'number' || issue.expected === 'int')) {
        return Number.isFinite(found) ? `must be ${expected}, ${got}` : `must be a finite number, ${got}`;
      }
      return `must be ${expected}, ${got}`;
    }
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `must have at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}, ${got}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters long`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}, ${got}`;
    case 'invalid_value': {
      const options = issue.values.map((v) => describeValue(v));
      return options.length === 1 ? `must be ${options[0]}, ${got}` : `must be one of ${options.join(', ')}, ${got}`;
    }
    case 'not_multiple_of':
      return issue.divisor === 1 ? `must be a whole number, ${got}` : `must be a multiple of ${issue.divisor}, ${got}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    // Our schema writes these messages itself (reference checks, the parameter-value union).
    case 'custom':
    case 'invalid_union':
      return issue.message;
    default:
      return `${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}, ${got}`;
  }
}

const EXPECTED: Partial<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  map: 'an object',
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function truncate(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
