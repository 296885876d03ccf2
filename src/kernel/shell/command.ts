/**
 * What a shell command is: a name, a line of help, and a handler.
 *
 * Handlers are ordinary functions that return an exit status (0 = success,
 * as in Unix), or generator functions when they need to wait (`sleep`): the
 * shell runs those with `yield*`, so the shell thread blocks and the rest of
 * the kernel keeps running.
 */
import type { Kernel } from '../proc/kernel';

/** Exit statuses the shell reports in its OSC 133 "D" mark. */
export const EXIT_SUCCESS = 0;
export const EXIT_FAILURE = 1;
export const EXIT_COMMAND_NOT_FOUND = 127;

export type ExitStatus = number;

export type CommandResult = ExitStatus | void | Generator<void, ExitStatus | void, void>;

/** What a command can use: the kernel, output, and the shell's own state. */
export interface ShellContext {
  readonly kernel: Kernel;
  /** Print text as is. */
  write(text: string): void;
  /** Print a line (adds "\r\n"). */
  println(text?: string): void;
  /** All commands, for `help`. */
  readonly commands: readonly ShellCommand[];
  /** Lines entered so far, for `history`. */
  history(): readonly string[];
  /** The working directory (`cd`), which programs started from the shell inherit. */
  cwd: string;
}

export interface ShellCommand {
  readonly name: string;
  /** Arguments, for help, e.g. "<ms>ms | <s>[s]". */
  readonly usage?: string;
  /** One line for `help`. */
  readonly help: string;
  /** `args` excludes the command name. */
  run(args: string[], shell: ShellContext): CommandResult;
}
