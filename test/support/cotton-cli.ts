/**
 * Running the `cotton` command line from tests: as a user runs it (a new
 * Node process on bin/cotton.mjs), or `cotton nex …` inside the test's own
 * process, capturing what it writes; both give the exit code and the output.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { nexCommand } from '../../src/cli/nex-command';

/** The repository's root. */
export const ROOT = new URL('../..', import.meta.url).pathname;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node bin/cotton.mjs ARGS` in the repository, as a user runs it. */
export function cottonProcess(args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [join(ROOT, 'bin/cotton.mjs'), ...args],
      { cwd: ROOT, timeout: timeoutMs },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `cotton nex ARGS` in this process; a thrown error is exit code 1 with its message. */
export async function nexInProcess(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (d: string | Uint8Array) =>
      (stdout += typeof d === 'string' ? d : new TextDecoder().decode(d)),
    stderr: (t: string) => (stderr += t),
  };
  try {
    return { code: await nexCommand(args, io), stdout, stderr };
  } catch (error) {
    return { code: 1, stdout, stderr: stderr + (error as Error).message };
  }
}
