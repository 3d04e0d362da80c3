/**
 * A plan's trained state as named tensors, and back: every parameter as `<node>.<name>`
 * (`dense_1.kernel`, `conv2d_1.bias`) and every buffer a layer named (`batchnorm_1.running_mean`),
 * in the plan's node order. The names are the graph's node names, so a file fits any graph with the
 * same layers, names and shapes, whatever its node ids or positions.
 */
import type { Plan } from '../compiler/plan';
import type { NamedTensor } from './safetensors';

interface Slot {
  name: string;
  shape: readonly number[];
  values: Float32Array;
}

/** Where each named tensor of the plan lives. */
function slots(plan: Plan): Slot[] {
  const out: Slot[] = [];
  for (const node of plan.nodes) {
    for (const p of node.params) out.push({ name: `${node.name}.${p.name.slice(node.name.length + 1)}`, shape: p.shape, values: p.value });
    for (const [name, values] of Object.entries(node.buffers)) out.push({ name: `${node.name}.${name}`, shape: [values.length], values });
  }
  return out;
}

/** Copies of the plan's parameters and buffers, named. */
export function planWeights(plan: Plan): NamedTensor[] {
  return slots(plan).map((s) => ({ name: s.name, shape: [...s.shape], data: s.values.slice() }));
}

export type LoadWeightsResult = { ok: true; loaded: number } | { ok: false; problems: string[] };

/**
 * Puts `tensors` into the plan, all or nothing: every tensor the plan has must be there with its
 * shape, and the file may hold nothing else. Otherwise nothing changes and every mismatch is listed.
 */
export function loadWeights(plan: Plan, tensors: readonly NamedTensor[]): LoadWeightsResult {
  const problems = weightProblems(plan, tensors);
  if (problems.length > 0) return { ok: false, problems };
  const given = new Map(tensors.map((t) => [t.name, t]));
  const wanted = slots(plan);
  for (const s of wanted) s.values.set(given.get(s.name)!.data);
  return { ok: true, loaded: wanted.length };
}

/** Why `tensors` do not fit the plan, one line per mismatch (none: they fit). */
export function weightProblems(plan: Plan, tensors: readonly NamedTensor[]): string[] {
  const wanted = slots(plan);
  const given = new Map(tensors.map((t) => [t.name, t]));
  const problems: string[] = [];
  for (const s of wanted) {
    const t = given.get(s.name);
    if (!t) problems.push(`${s.name} [${s.shape.join(', ')}] is not in the file`);
    else if (t.shape.length !== s.shape.length || t.shape.some((d, i) => d !== s.shape[i])) {
      problems.push(`${s.name} is [${t.shape.join(', ')}] in the file, but [${s.shape.join(', ')}] in this graph`);
    }
  }
  const known = new Set(wanted.map((s) => s.name));
  for (const t of tensors) if (!known.has(t.name)) problems.push(`${t.name} [${t.shape.join(', ')}] is in the file, but this graph has no such tensor`);
  return problems;
}
