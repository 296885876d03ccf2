/**
 * A transpile failure, located in the reader's TypeScript: apart from the
 * transpiler (transpile.ts) so that code which only reports such errors
 * (kernel-error.ts, in the machine worker) does not load the transpiler.
 */
export class TranspileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = 'TranspileError';
  }
}
