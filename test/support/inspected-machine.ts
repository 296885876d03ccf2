/**
 * For the tests of the kernel's views and the figures drawn from them: the
 * book's machine booted in Node as the page boots it (the repository's
 * kernel, programs and book disk) with its inspection channel tapped
 * (src/runtime/host/kernel-inspection.ts), so a test can run a shell command
 * and take a view of the same moment, to check that text and figure agree.
 */
import type { ViewArgs } from '../../src/kernel/inspect/views';
import { KernelInspector } from '../../src/runtime/host/kernel-inspection';
import type { MachineHost } from '../../src/runtime/host/machine-host';
import { bootFromRepo, freshBookDisk } from '../../src/runtime/node/node-host';

/** How long a test may take to boot the book's machine (a loaded 2-core machine takes seconds). */
export const BOOT_TIMEOUT_MS = 60_000;
const COMMAND_TIMEOUT_MS = 60_000;

/** Text without the terminal's colours, OSC 133 marks and carriage returns. */
export const plain = (text: string): string =>
  text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

export class InspectedMachine {
  readonly host: MachineHost;
  private readonly inspector = new KernelInspector();

  /** Boot to the first prompt, with `commandLine` as the kernel's ('gui' boots the desktop). */
  constructor(commandLine?: string) {
    this.host = bootFromRepo({ ...freshBookDisk(), commandLine, tap: this.inspector.tap });
    this.host.runUntilPrompt(BOOT_TIMEOUT_MS);
  }

  /** The lines a command printed: its echo and the next prompt left out, colours removed. */
  run(line: string): string[] {
    return plain(this.host.command(line, COMMAND_TIMEOUT_MS)).split('\n').slice(1, -1);
  }

  /** What a command printed, as text: its lines, each ended by a line feed. */
  command(line: string): string {
    return this.run(line)
      .map((printed) => `${printed}\n`)
      .join('');
  }

  /** The data of view `view`; throws with the kernel's reason if it could not be taken. */
  view<T>(view: string, args: ViewArgs = {}): T {
    const answer = this.inspector.inspect({ view, args });
    if (!answer.ok) throw new Error(`view ${view}: ${answer.reason}`);
    return answer.data as T;
  }
}
