/**
 * Reading a JavaScript stack trace back into kernel source locations.
 *
 * On a real machine a panic prints return addresses and a symbol table turns
 * them into function names. Here the JavaScript engine does the unwinding,
 * and each kernel module is evaluated with a sourceURL naming its file (see
 * src/runtime/host/kernel-loader.ts), so `error.stack` already holds lines like
 *
 *     V8 (Chrome, Node):   at parseMemoryMap (src/kernel/arch/multiboot2.ts:88:12)
 *                          at src/kernel/boot/entry.ts:40:3
 *     SpiderMonkey (Firefox), JavaScriptCore (Safari):
 *                          parseMemoryMap@src/kernel/arch/multiboot2.ts:88:12
 *
 * This module keeps the frames that are in kernel files and drops the rest
 * (the emulator, the engine's own Generator.next, …).
 */

export interface StackFrame {
  /** Function name, or "<anonymous>". */
  readonly fn: string;
  /** Repository path of the kernel file, e.g. "src/kernel/boot/entry.ts". */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

const KERNEL_DIR = 'src/kernel/';
/** "at name (location)" or "at location", where location is "file:line:column". */
const V8_FRAME = /^\s*at (?:(.+?) \((.+):(\d+):(\d+)\)|(.+):(\d+):(\d+))$/;
/** "name@file:line:column" (name may be empty). */
const GECKO_FRAME = /^\s*(.*?)@(.+):(\d+):(\d+)$/;

/** Parse one line of a stack trace; null if it is not a frame in a kernel file. */
export function parseFrame(text: string): StackFrame | null {
  let fn: string | undefined;
  let location: string | undefined;
  let line: string | undefined;
  let column: string | undefined;
  const v8 = V8_FRAME.exec(text);
  const gecko = v8 ? null : GECKO_FRAME.exec(text);
  if (v8) {
    [fn, location, line, column] = v8[2] ? [v8[1], v8[2], v8[3], v8[4]] : ['', v8[5], v8[6], v8[7]];
  } else if (gecko) {
    [, fn, location, line, column] = gecko;
  } else {
    return null;
  }
  const at = location!.lastIndexOf(KERNEL_DIR);
  if (at < 0) return null;
  return {
    fn: functionName(fn),
    file: location!.slice(at),
    line: Number(line),
    column: Number(column),
  };
}

/**
 * V8 names a function called as a method "Receiver.name [as property]"
 * ("Object.echo [as run]"); the function's own name is what a reader looks for.
 */
function functionName(raw: string | undefined): string {
  const name = (raw ?? '').replace(/ \[as [^\]]+\]$/, '').replace(/^Object\./, '');
  return name || '<anonymous>';
}

/** The kernel frames of a stack trace, innermost first. */
export function kernelFrames(stack: string): StackFrame[] {
  return stack.split('\n').flatMap((text) => parseFrame(text.trim()) ?? []);
}

/** "parseMemoryMap at src/kernel/arch/multiboot2.ts:88:12" */
export function formatFrame(frame: StackFrame): string {
  return `${frame.fn} at ${frame.file}:${frame.line}:${frame.column}`;
}
