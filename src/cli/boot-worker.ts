/**
 * Runs one machine for `cotton boot` in a worker thread, so the CLI can stop a
 * kernel that never gives the CPU back (a reader's infinite loop) and still say
 * why. It mirrors the browser, where the machine also lives in a worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MachineStoppedError } from '../runtime/machine-host';
import { bootFromRepo, openDiskImage } from '../runtime/node-host';

export interface BootWorkerOptions {
  readonly ramMiB: number;
  readonly commandLine: string;
  readonly inputs: readonly string[];
  readonly overrides: Readonly<Record<string, string>>;
  readonly maxVirtualMs: number;
  /** Disk image file to attach; writes go back to it as each write command completes. */
  readonly disk?: string;
}

export type BootWorkerMessage =
  | { readonly type: 'output'; readonly bytes: Uint8Array }
  | { readonly type: 'done'; readonly state: string; readonly message: string; readonly ok: boolean };

const post = (message: BootWorkerMessage): void => parentPort!.postMessage(message);

function run(options: BootWorkerOptions): void {
  const host = bootFromRepo({
    disk: options.disk === undefined ? undefined : openDiskImage(options.disk),
    ramMiB: options.ramMiB,
    commandLine: options.commandLine,
    overrides: options.overrides,
    onOutput: (bytes) => post({ type: 'output', bytes }),
  });
  try {
    host.runUntilPrompt(options.maxVirtualMs);
    for (const text of options.inputs) {
      host.type(text);
      const commands = (text.match(/\r\n|\r|\n/g) ?? []).length;
      if (commands > 0) host.runUntilPrompt(options.maxVirtualMs, commands);
      else host.runUntilIdleAnd(() => true, options.maxVirtualMs);
    }
    post({ type: 'done', state: host.state, ok: true, message: '' });
  } catch (error) {
    const stopped = error instanceof MachineStoppedError;
    const ok = stopped && error.state === 'poweroff';
    post({ type: 'done', state: stopped ? error.state : host.state, ok, message: (error as Error).message });
  }
}

run(workerData as BootWorkerOptions);
