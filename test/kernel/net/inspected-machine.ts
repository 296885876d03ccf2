/**
 * For the tests of the kernel's views: a booted machine whose inspection
 * channel is tapped (src/runtime/host/kernel-inspection.ts), so a test can
 * run a shell command and take a view of the same moment, to check that
 * the text and the figure's data agree.
 */
import { KernelInspector } from '../../../src/runtime/host/kernel-inspection';
import type { MachineHost } from '../../../src/runtime/host/machine-host';
import { bootFromRepo, freshBookDisk } from '../../../src/runtime/node/node-host';

const ANSI = /\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g;

export class InspectedMachine {
  readonly host: MachineHost;
  private readonly inspector = new KernelInspector();

  constructor(commandLine?: string) {
    this.host = bootFromRepo({ ...freshBookDisk(), commandLine, tap: this.inspector.tap });
    this.host.runUntilPrompt(30_000);
  }

  /** The lines a command printed: its echo and the next prompt left out, colours removed. */
  run(line: string): string[] {
    const lines = this.host.command(line, 60_000).replace(ANSI, '').split(/\r?\n/);
    return lines.slice(1, -1);
  }

  /** The data of view `view`; throws with the kernel's reason if it could not be taken. */
  view<T>(view: string, args: Record<string, string | number | boolean> = {}): T {
    const answer = this.inspector.inspect({ view, args });
    if (!answer.ok) throw new Error(`view ${view}: ${answer.reason}`);
    return answer.data as T;
  }
}
