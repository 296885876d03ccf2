/**
 * Runs one machine for `cotton boot` in a worker thread, so the CLI can stop a
 * kernel that never gives the CPU back (a reader's infinite loop) and still say
 * why. It mirrors the browser, where the machine also lives in a worker.
 */
import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { GuiInputError, keyChord, PointerState, typedKeys } from '../runtime/host/gui-input';
import {
  MachineStoppedError,
  OSC133_PROMPT_END,
  type MachineHost,
} from '../runtime/host/machine-host';
import { screenshotPng } from '../runtime/host/screen-capture';
import { bootFromRepo, chooseDisk, restoreFromFile } from '../runtime/node/node-host';
import { plainMessage } from './cli-errors';
import { commitBeforeExit } from './disk-commit';
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
  /** Date.now() after which the run stops (--max-ms), having committed if asked. */
  readonly wallDeadline: number;
  /** --max-ms itself, for the message. */
  readonly maxWallMs: number;
  /** Let the kernel commit before the run ends (disk-commit.ts): --disk without --power-cut. */
  readonly commitBeforeExit: boolean;
}

/** How long past --max-ms the commit may take before the worker gives up on it. */
const COMMIT_WALL_MS = 2000;

/** --max-ms passed while the machine was still busy. */
class WallClockTimeout extends Error {}

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
  waitForPrompts(host, 1, options);
  return host;
}

/** Run until the shell has shown `count` more prompts; stop at --max-ms. */
function waitForPrompts(
  host: MachineHost,
  count: number,
  { maxVirtualMs, wallDeadline }: BootWorkerOptions,
): void {
  const start = host.output.length;
  host.runUntilIdleAnd(() => {
    if (promptsSince(host.output, start) >= count) return true;
    if (Date.now() > wallDeadline) throw new WallClockTimeout();
    return false;
  }, maxVirtualMs);
}

function promptsSince(output: string, from: number): number {
  let count = 0;
  for (
    let i = output.indexOf(OSC133_PROMPT_END, from);
    i >= 0;
    i = output.indexOf(OSC133_PROMPT_END, i + 1)
  )
    count++;
  return count;
}

function run(options: BootWorkerOptions): void {
  let host: MachineHost | null = null;
  const done = (ok: boolean, message: string): void => {
    // A clean stop (disk-commit.ts): the kernel commits what it holds before the run ends.
    if (host && options.commitBeforeExit && host.state !== 'poweroff') {
      const deadline = Math.max(Date.now(), options.wallDeadline) + COMMIT_WALL_MS;
      if (!commitBeforeExit(host, deadline) && ok) {
        ok = false;
        message = 'the kernel could not commit its last writes to the disk image before exit';
      }
    }
    post({ type: 'done', state: host?.state ?? 'off', ok, message });
  };
  try {
    host = startMachine(options);
    const pointer = new PointerState();
    for (const input of options.inputs) {
      if (input.kind === 'type') typeText(host, input.text, options);
      else sendDesktopInput(host, input, pointer);
    }
    if (options.saveSnapshot !== undefined) writeFileSync(options.saveSnapshot, host.snapshot());
    if (options.screenshot !== undefined)
      writeFileSync(options.screenshot, screenshotPng(host.machine));
    done(true, '');
  } catch (error) {
    if (error instanceof WallClockTimeout)
      return done(
        false,
        `timed out after ${options.maxWallMs} ms: the machine did not reach an idle prompt in time (raise --max-ms, or is the kernel looping?)`,
      );
    if (error instanceof GuiInputError) return done(false, error.message);
    if (error instanceof MachineStoppedError)
      return error.state === 'poweroff'
        ? done(true, 'the machine powered off (poweroff)')
        : done(false, `${error.message.replace(/^the machine is /, 'the machine ')}`);
    done(false, plainMessage(error));
  }
}

/** Type on the serial line; a line typed means a command: wait for its prompt. */
function typeText(host: MachineHost, text: string, options: BootWorkerOptions): void {
  host.type(text);
  const commands = (text.match(/\r\n|\r|\n/g) ?? []).length;
  if (commands > 0) waitForPrompts(host, commands, options);
  else host.runUntilIdleAnd(() => true, options.maxVirtualMs);
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
