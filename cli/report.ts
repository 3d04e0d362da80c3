/**
 * How `npm run train` says what stopped it: sentences on stderr, or, with --json, one JSON line on
 * stdout (`{"event":"error", …}`) like every other event, so a program reading the stream never
 * has to parse prose. Either way the exit code is not zero.
 */
import { describeOutOfMemory } from '../engine/compiler/budget';
import type { CompileFailed } from '../engine/compiler/plan';
import type { ModelDefinition } from '../engine/model';

/** One thing wrong, and where when it is known: a path in the file, a node, a connection. */
export interface Problem {
  message: string;
  /** Where, in words: a layer ("dense_1"), a connection ("input_1 → dense_1"). */
  where?: string;
  /** The JSON path in the model file ("training.seed"). */
  path?: string;
  nodeId?: string;
  edgeId?: string;
}

/** What stops the command: a sentence, the problems behind it (each on a line of its own), the exit code. */
export class Failure extends Error {
  constructor(
    message: string,
    readonly problems: readonly Problem[] = [],
    readonly exitCode = 1,
    /** Said after the problems in the terminal only (the usage, after a bad option). */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'Failure';
  }
}

export function failureText(f: Failure): string {
  const lines = f.problems.map((p) => `  ${p.where ? `${p.where}: ` : ''}${p.message}`);
  return [`${f.message}${lines.length ? ':' : ''}`, ...lines, ...(f.hint ? ['', f.hint] : [])].join('\n');
}

/** `errors` lists the problems, or the message itself when there are none to list. */
export function failureJson(f: Failure): string {
  return JSON.stringify({ event: 'error', message: f.message, errors: f.problems.length > 0 ? f.problems : [{ message: f.message }] });
}

/**
 * The graph's errors, each with where it is: the layer's name, or a connection's two ends (an
 * end that does not exist by its id). A problem compile reports on a layer and again on the
 * connection into it is listed once, on the layer.
 */
export function compileProblems(e: CompileFailed, edges: ModelDefinition['edges']): Problem[] {
  const name = (id: string): string => e.names.get(id) ?? `'${id}'`;
  const errors = e.issues.filter((i) => i.severity === 'error');
  const onNodes = new Set(errors.filter((i) => i.nodeId !== undefined).map((i) => i.message));
  const problems: Problem[] = [];
  for (const issue of errors) {
    if (issue.nodeId === undefined && issue.edgeId !== undefined && onNodes.has(issue.message)) continue;
    const edge = issue.edgeId !== undefined ? edges.find((x) => x.id === issue.edgeId) : undefined;
    const where = issue.nodeId !== undefined ? name(issue.nodeId) : edge ? `${name(edge.source)} → ${name(edge.target)}` : undefined;
    problems.push({
      message: issue.fix ? `${issue.message} ${issue.fix}` : issue.message,
      ...(where !== undefined ? { where } : {}),
      ...(issue.nodeId !== undefined ? { nodeId: issue.nodeId } : {}),
      ...(issue.edgeId !== undefined ? { edgeId: issue.edgeId } : {}),
    });
  }
  return problems;
}

/**
 * Runs a command's `main`: what stops it is said (a JSON line under `json`, else sentences on
 * stderr) and ends the process with its exit code. Running out of memory is said as the app says
 * it; any other unexpected error is thrown as it is, except under `json`, where it is one more line.
 */
export async function runCommand(main: () => Promise<void>, json: boolean): Promise<void> {
  try {
    await main();
  } catch (e) {
    const failure = asFailure(e, json);
    if (json) console.log(failureJson(failure));
    else console.error(failureText(failure));
    process.exit(failure.exitCode);
  }
}

function asFailure(e: unknown, json: boolean): Failure {
  if (e instanceof Failure) return e;
  const tooLarge = describeOutOfMemory(e, 'this process');
  if (tooLarge) return new Failure(tooLarge);
  if (!json) throw e;
  return new Failure(`Unexpected error: ${e instanceof Error ? e.message : String(e)}`);
}
