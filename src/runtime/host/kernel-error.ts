/**
 * Turns an error from building or running the kernel into the message a reader
 * sees: where in the kernel's TypeScript it happened, what happened, and the
 * kernel frames of the stack.
 *
 * Kernel modules are evaluated with a sourceURL naming their repository path
 * and transpiled line for line (kernel-loader.ts, transpile.ts), so a stack
 * frame such as `at echo (src/kernel/shell/commands.ts:42:7)` already points at
 * the reader's code. Frames of the emulator and the worker are dropped: they
 * are the machine, not the reader's program — unless there is no kernel frame
 * at all, when the error is the machine's own and its first frames are kept.
 */
import { TranspileError } from './transpile-error';

const KERNEL_FRAME = /src\/kernel\/[\w./-]+\.ts:\d+:\d+/;

/** The kernel frames of a stack, innermost first. */
function kernelFrames(stack: string): string[] {
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && KERNEL_FRAME.test(line))
    .map((line) => line.trim());
}

const MACHINE_FRAMES_SHOWN = 5;

function machineFrames(stack: string): string[] {
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MACHINE_FRAMES_SHOWN)
    .map((line) => line.trim());
}

export function describeKernelError(error: unknown): string {
  if (error instanceof TranspileError) return error.message;
  if (!(error instanceof Error)) return String(error);
  const frames = kernelFrames(error.stack ?? '');
  const where = frames[0]?.match(KERNEL_FRAME)?.[0];
  const headline = `${where ? `${where}: ` : ''}${error.name}: ${error.message}`;
  // No kernel frame: the error is the machine's own, and its stack is for whoever debugs the emulator.
  const shown = frames.length > 0 ? frames : machineFrames(error.stack ?? '');
  return [headline, ...shown.map((frame) => `    ${frame}`)].join('\n');
}
