/**
 * Helpers the paging and scheduler exercises share: booting with a message
 * about the reader's code when the kernel does not come up, console output
 * as plain text, and parsers for the outputs of `mem`, `walk` and `sched`.
 */
import { checkRandom, type ExerciseMachine } from '../src/runtime/host/exercise';

/** The console output without OSC 133 marks, colours and CRs. */
export function plainText(text: string): string {
  return text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
}

/** The kernel panic report in `output`, if there is one, to show the reader. */
function panicDetail(output: string): string {
  const at = output.indexOf('KERNEL PANIC');
  return at >= 0 ? `\n\n${output.slice(at).trim()}` : '';
}

/** Boot; a panic or a hang becomes a message about the reader's code. */
export async function bootOrExplain(machine: ExerciseMachine, ramMiB?: number): Promise<string> {
  try {
    return plainText(await machine.boot(ramMiB === undefined ? {} : { ramMiB }));
  } catch (error) {
    const output = plainText((error as { output?: string }).output ?? '');
    throw new Error(
      `The kernel did not reach the shell prompt${ramMiB ? ` with ${ramMiB} MiB of RAM` : ''} (${(error as Error).message}).${panicDetail(output)}`,
    );
  }
}

/** Run a command; a panic or a hang becomes a message naming the command. */
export async function runOrExplain(machine: ExerciseMachine, command: string): Promise<string> {
  try {
    return plainText(await machine.run(command));
  } catch (error) {
    const output = plainText((error as { output?: string }).output ?? '');
    throw new Error(
      `\`${command}\` never finished (${(error as Error).message}).${panicDetail(output)}`,
    );
  }
}

/** The frames line of `mem`: used and free 4 KiB frames. */
export function memFrames(output: string): { used: number; free: number } {
  const match = /frames: +\d+ of 4 KiB: (\d+) used, (\d+) free/.exec(output);
  if (!match) throw new Error(`\`mem\` printed no frames line:\n${output.trim()}`);
  return { used: Number(match[1]), free: Number(match[2]) };
}

/** One row of `sched`'s summary: ticks the task ran and in how many slices. */
export interface SchedRow {
  readonly pid: number;
  readonly ticks: number;
  readonly slices: number;
}

/** The summary table of `sched`, by pid (0 is idle). */
export function schedRows(output: string): Map<number, SchedRow> {
  const rows = new Map<number, SchedRow>();
  for (const match of output.matchAll(/^ +(\d+) +(\d+) +\d+% +(\d+) +[\d.]+ ms$/gm)) {
    rows.set(Number(match[1]), {
      pid: Number(match[1]),
      ticks: Number(match[2]),
      slices: Number(match[3]),
    });
  }
  if (rows.size === 0) throw new Error(`\`sched\` printed no timeline:\n${output.trim()}`);
  return rows;
}

/** The pid the shell printed for a background job (`[7]`). */
export function jobPid(output: string): number {
  const match = /^\[(\d+)\]$/m.exec(output);
  if (!match)
    throw new Error(`The shell did not start the program in the background:\n${output.trim()}`);
  return Number(match[1]);
}

/** A random whole number in [0, n) from the check's seeded generator: no fixed answer passes, and a failure names its seed. */
export function randomBelow(n: number): number {
  return Math.floor(checkRandom() * n);
}
