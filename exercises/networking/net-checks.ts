/**
 * Helpers the networking exercises share: running a command and insisting
 * that it worked, the lease the machine gets with `dhcp`, and random text.
 */
import type { ExerciseMachine } from '../../src/runtime/host/exercise';
import { randomBelow, runOrExplain } from '../machine-text';

/** Run a command whose output must match `expected`; otherwise explain with `hint`. */
export async function expectOutput(
  machine: ExerciseMachine,
  command: string,
  expected: RegExp,
  hint: string,
): Promise<string> {
  const output = await runOrExplain(machine, command);
  if (!expected.test(output))
    throw new Error(`\`${command}\` printed:\n${output.trim()}\n\n${hint}`);
  return output;
}

/** A fresh lease from the virtual network's DHCP server (the boot's may have failed on the reader's code). */
export async function leaseOrExplain(machine: ExerciseMachine, hint: string): Promise<void> {
  await expectOutput(machine, 'dhcp', /lease 10\.0\.2\.\d+\/24/, hint);
}

/** `length` characters from `alphabet`, drawn from the check's seeded generator. */
export function randomText(length: number, alphabet: string): string {
  return Array.from({ length }, () => alphabet[randomBelow(alphabet.length)]!).join('');
}

export const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
