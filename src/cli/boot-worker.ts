/**
 * Runs one machine for `cotton boot` in a worker thread, so the CLI can stop a
 * kernel that never gives the CPU back (a reader's infinite loop) and still say
 * why. It mirrors the browser, where the machine also lives in a worker.
 */
import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { GuiInputError, keyChord, PointerState, typedKeys } from '../runtime/host/gui-input';
import { MachineStoppedError, type MachineHost } from '../runtime/host/machine-host';
import { screenshotPng } from '../runtime/host/screen-capture';
import { bootFromRepo, chooseDisk, restoreFromFile } from '../runtime/node/node-host';
import { networkConfig, networkSetUp, type NetArguments } from './net-options';

/** One input of `cotton boot`: serial text, or a key chord, keyboard text or mouse spec for the desktop. */
export interface BootInput {
  readonly kind: 'type' | 'key' | 'keys' | 'mouse';
  readonly text: string;
}

/** Virtual time the desktop gets after each of its inputs, to take it in and draw. */
const GUI_INPUT_SETTLE_MS = 20;

export interface BootWorkerOptions {
  readonly ramMiB: number;
  readonly commandLine: string;
  readonly inputs: readonly BootInput[];
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
  /** Where to write a PNG of the screen after the last input. */
  readonly screenshot?: string;
  /** Link conditions, capture and forwards (net-options.ts). */
  readonly net: NetArguments;
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
  const onPowerOn = networkSetUp(options.net);
  if (options.snapshot !== undefined)
    return restoreFromFile(options.snapshot, { ...disk, onOutput, onPowerOn });
  const { ramMiB, commandLine, overrides } = options;
  const network = networkConfig(options.net);
  const host = bootFromRepo({
    ...disk,
    ramMiB,
    commandLine,
    overrides,
    onOutput,
    network,
    onPowerOn,
  });
  host.runUntilPrompt(options.maxVirtualMs);
  return host;
}

function run(options: BootWorkerOptions): void {
  let host: MachineHost | null = null;
  try {
    host = startMachine(options);
    const pointer = new PointerState();
    for (const input of options.inputs) {
      if (input.kind === 'type') typeText(host, input.text, options.maxVirtualMs);
      else sendDesktopInput(host, input, pointer);
    }
    if (options.saveSnapshot !== undefined) writeFileSync(options.saveSnapshot, host.snapshot());
    if (options.screenshot !== undefined)
      writeFileSync(options.screenshot, screenshotPng(host.machine));
    post({ type: 'done', state: host.state, ok: true, message: '' });
  } catch (error) {
    if (error instanceof GuiInputError) {
      post({ type: 'done', state: host?.state ?? 'off', ok: false, message: error.message });
      return;
    }
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

/** Type on the serial line; a line typed means a command: wait for its prompt. */
function typeText(host: MachineHost, text: string, maxVirtualMs: number): void {
  host.type(text);
  const commands = (text.match(/\r\n|\r|\n/g) ?? []).length;
  if (commands > 0) host.runUntilPrompt(maxVirtualMs, commands);
  else host.runUntilIdleAnd(() => true, maxVirtualMs);
}

/** Each PS/2 event of a desktop input, with time for the desktop to take it in. */
function sendDesktopInput(host: MachineHost, input: BootInput, pointer: PointerState): void {
  const events =
    input.kind === 'key'
      ? keyChord(input.text)
      : input.kind === 'keys'
        ? typedKeys(input.text)
        : pointer.inputs(input.text);
  for (const event of events) {
    host.send(event);
    host.runUntil(host.machine.clock.now + GUI_INPUT_SETTLE_MS * 1_000_000);
  }
}

run(workerData as BootWorkerOptions);
