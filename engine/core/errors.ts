/**
 * An error raised while recording or running the tape. It names the op and, when known,
 * the graph node the op belongs to, so that the app can attach it to that node:
 * "matmul in dense_3: inner dimensions 3 and 4 differ".
 */
export class EngineError extends Error {
  readonly op: string;
  readonly node: string | undefined;
  readonly detail: string;

  constructor(op: string, node: string | undefined, detail: string) {
    super(node ? `${op} in ${node}: ${detail}` : `${op}: ${detail}`);
    this.name = 'EngineError';
    this.op = op;
    this.node = node;
    this.detail = detail;
  }
}
