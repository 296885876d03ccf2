/**
 * Runs one machine for `cotton boot` in a worker thread, so the CLI can stop a
 * kernel that never gives the CPU back (a reader's infinite loop) and still say
 * why. It mirrors the browser, where the machine also lives in a worker.
 */
import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { MachineStoppedError, type MachineHost } from '../runtime/host/machine-host';
import { bootFromRepo, chooseDisk, restoreFromFile } from '../runtime/node/node-host';

export interface BootWorkerOptions {
  readonly ramMiB: number;
  readonly commandLine: string;
  readonly inputs: readonly string[];
  readonly overrides: Readonly<Record<string, string>>;
  readonly maxVirtualMs: number;
  /** Disk image file to attach; writes go back to it as each write command completes. */
  readonly disk?: string;
  /** No disk at all; without this or `disk`, a fresh copy of the book's disk. */
  readonly noDisk?: boolean;
  /** Snapshot file to start from instead of booting. */
  readonly snapshot?: string;
  /** Where to write a snapshot after the last input. */
  readonly saveSnapshot?: string;
}

export type BootWorkerMessage =
  | { readonly type: 'output'; readonly bytes: Uint8Array }
  | {
      readonly type: 'done';
      readonly state: string;
      readonly message: string;
      readonly ok: boolean;
    };

const post = (message: BootWorkerMessage): void => parentPort!.postMessage(message);

/** Boot and wait for the first prompt, or restore the snapshot (whose machine is where it was). */
function startMachine(options: BootWorkerOptions): MachineHost {
  const disk = chooseDisk(options.disk, options.noDisk ?? false, options.snapshot);
  const onOutput = (bytes: Uint8Array): void => post({ type: 'output', bytes });
  if (options.snapshot !== undefined)
    return restoreFromFile(options.snapshot, { ...disk, onOutput });
  const { ramMiB, commandLine, overrides } = options;
  const host = bootFromRepo({ ...disk, ramMiB, commandLine, overrides, onOutput });
  host.runUntilPrompt(options.maxVirtualMs);
  return host;
}

function run(options: BootWorkerOptions): void {
  let host: MachineHost | null = null;
  try {
    host = startMachine(options);
    for (const text of options.inputs) {
      host.type(text);
      const commands = (text.match(/\r\n|\r|\n/g) ?? []).length;
      if (commands > 0) host.runUntilPrompt(options.maxVirtualMs, commands);
      else host.runUntilIdleAnd(() => true, options.maxVirtualMs);
    }
    if (options.saveSnapshot !== undefined) writeFileSync(options.saveSnapshot, host.snapshot());
    post({ type: 'done', state: host.state, ok: true, message: '' });
  } catch (error) {
    const stopped = error instanceof MachineStoppedError;
    const ok = stopped && error.state === 'poweroff';
    post({
      type: 'done',
      state: stopped ? error.state : (host?.state ?? 'off'),
      ok,
      message: (error as Error).message,
    });
  }
}

run(workerData as BootWorkerOptions);
