/**
 * Transpiles one kernel module from TypeScript to a CommonJS-style function body.
 *
 * Used at build time (every kernel module, separately), in Node (CLI, tests,
 * benchmarks) and in the browser for the files a reader edits: the machine
 * worker loads this module only then, since the book ships its kernel
 * transpiled (kernel-loader.ts, `installTranspiler`). Sucrase was
 * chosen because it is the fastest correct option measured for this job (see
 * README, "Transpiling") and because it keeps every line where it was: a stack
 * frame in the transpiled code points at the same line of the TypeScript the
 * reader sees, so panics need no source maps.
 */
import { transform } from 'sucrase';
import { installTranspiler } from './kernel-loader';
import { TranspileError } from './transpile-error';

export { TranspileError };

/** Transpile `source` (the module at `file`) into JavaScript with `require`/`exports`. */
export function transpileModule(file: string, source: string): string {
  try {
    return transform(source, {
      transforms: ['typescript', 'imports'],
      filePath: file,
      disableESTransforms: true,
    }).code;
  } catch (error) {
    const e = error as Error & { loc?: { line: number; column: number } };
    const reason = e.message
      .replace(/^Error transforming [^:]*: /, '')
      .replace(/\s*\(\d+:\d+\)$/, '');
    throw new TranspileError(file, e.loc?.line ?? 1, e.loc?.column ?? 1, reason);
  }
}

// Whoever loads the transpiler makes it the kernel loader's (Node at once, the worker on an edit).
installTranspiler(transpileModule);
