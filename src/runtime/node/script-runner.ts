/**
 * Runs a recording script on the book's machine and records it: a headless
 * Cotton PC in fast mode, keys typed at virtual times, output timed by the
 * virtual clock. The same script on the same kernel gives the same session,
 * byte for byte, however fast or loaded the host is.
 *
 * The machine is booted by the caller's `boot` function (Node: bootFromRepo;
 * the browser: its own kernel sources), so this file runs in both.
 *
 * A script's `disk` is a fresh CottonFS image held here, attached to every
 * boot of the run. `power-cut` is a power failure: the disk keeps exactly the
 * writes it had completed at that moment, whatever the old machine does
 * afterwards, and a new machine (the same kernel, the RTC moved on) boots on
 * it. The recording is one session across the cut, its clock continuing.
 */
import type { AtaDiskImage } from '../../emu/ata-pio';
import { DEFAULT_START_TIME } from '../../emu/machine';
import { sha256 } from '../../emu/sha256';
import { runToCompletion } from '../../kernel/fs/block-device';
import { buildCottonFsImage } from '../host/book-disk';
import { repoBookDisk } from './node-host';
import { keyChord, PointerState, typedKeys } from '../host/gui-input';
import {
  MachineStoppedError,
  OSC133_PROMPT_END,
  type BootOptions,
  type MachineHost,
} from '../host/machine-host';
import { SessionRecorder } from '../../nex/recorder';
import { ScriptError, type RecordingScript, type ScriptStep } from '../../nex/script';
import type { Session } from '../../nex/session';

export type BootFunction = (options: Omit<BootOptions, 'sources'>) => MachineHost;

const NS_PER_MS = 1_000_000;
const NS_PER_S = 1_000_000_000;
/** Virtual time the desktop gets after each PS/2 event, to take it in and draw. */
const GUI_INPUT_SETTLE_MS = 20;
/** How long `power-cut after N writes` waits for the disk before the script fails. */
const POWER_CUT_TIMEOUT_MS = 30_000;

/** The disk of a script's `disk` setting: a fresh CottonFS with the reader's home directory. */
export function scriptDisk(mib: number, time: number): Uint8Array {
  return buildCottonFsImage(
    mib * 1024 * 1024,
    (vfs) => void runToCompletion(vfs.mkdirs('/home/reader')),
    { time },
  ).image;
}
const STOPPED = new Set(['stopped', 'panicked', 'poweroff', 'crashed']);

/** Keys as a terminal sends them: one character, or a whole escape sequence (an arrow key is ESC [ A, sent at once). */
export function splitKeys(text: string): string[] {
  return text.match(/\x1b\[[0-?]*[ -\/]*[@-~]|\x1bO.|\x1b.|[\s\S]/gu) ?? [];
}

/** A machine and its recorder, with one clock that keeps counting across reboots. */
class RecordedMachine {
  readonly recorder: SessionRecorder;
  host: MachineHost;
  private readonly startTime: number;
  private readonly disk: AtaDiskImage | undefined;
  /** Write commands the disk has completed, all boots together. */
  private diskWrites = 0;
  /** The disk's bytes at the moment of a pending `power-cut after N writes`, once it came. */
  private cutImage: Uint8Array | null = null;
  private cutAtWrite = -1;
  /** After a power cut, until the new machine is on: the old one's output goes nowhere. */
  private powered = true;
  private machine: MachineHost['machine'] | null = null;
  private base = 0;
  private lastNs = 0;
  /** Where in host.output to look for the next prompt. */
  promptFrom = 0;
  typingDelayNs = 0;
  /** Where the script has moved the desktop's pointer. */
  readonly pointer = new PointerState();

  constructor(
    script: RecordingScript,
    private readonly boot: BootFunction,
  ) {
    const { settings } = script;
    const startTime = settings.startTime ?? DEFAULT_START_TIME;
    this.recorder = new SessionRecorder({
      startTime,
      cols: settings.cols,
      rows: settings.rows,
      title: settings.title,
      chapter: settings.chapter,
      defaultCwd: '/', // the kernel has no file system yet and sends no OSC 7
    });
    this.startTime = startTime;
    const bytes = settings.bookDisk
      ? repoBookDisk().slice()
      : settings.diskMiB
        ? scriptDisk(settings.diskMiB, startTime)
        : undefined;
    if (bytes) this.disk = { bytes, onWrite: () => this.diskWritten() };
    this.host = this.powerOn(startTime);
  }

  private powerOn(startTime: number): MachineHost {
    const disk = this.disk;
    return this.boot({
      startTime,
      onOutput: (bytes) => {
        if (this.powered) this.recorder.output(bytes, this.now());
      },
      ...(disk ? { disk, diskDigest: () => sha256(disk.bytes) } : {}),
    });
  }

  private diskWritten(): void {
    this.diskWrites++;
    if (this.diskWrites === this.cutAtWrite) this.cutImage = this.disk!.bytes.slice();
  }

  /** The power goes out once the disk has completed `afterWrites` more writes (0: now); then a new machine boots on it. */
  powerCut(afterWrites: number): void {
    if (afterWrites > 0) {
      if (!this.disk)
        throw new Error("'power-cut after N writes' needs a disk (the 'disk' setting)");
      this.cutAtWrite = this.diskWrites + afterWrites;
      const deadline = this.host.machine.clock.now + POWER_CUT_TIMEOUT_MS * NS_PER_MS;
      while (!this.cutImage) {
        if (this.host.machine.clock.now >= deadline)
          throw new Error(
            `the disk completed only ${afterWrites - (this.cutAtWrite - this.diskWrites)} of ${afterWrites} writes in ${POWER_CUT_TIMEOUT_MS} ms`,
          );
        this.advance(NS_PER_MS);
      }
      this.powered = false; // what the old machine printed after the cut never happened
      this.disk.bytes.set(this.cutImage);
      this.cutImage = null;
      this.cutAtWrite = -1;
    }
    const elapsedSeconds = Math.floor(this.now() / NS_PER_S);
    this.powered = true;
    this.host = this.powerOn(this.startTime + elapsedSeconds);
    this.promptFrom = 0;
    this.now();
  }

  /** Recording time in ns: the machine's clock, plus the time before each reboot. */
  now(): number {
    const machine = (this.host as MachineHost | undefined)?.machine;
    if (!machine) return 0;
    if (machine !== this.machine) {
      if (this.machine) this.base += this.lastNs;
      this.machine = machine;
    }
    this.lastNs = machine.clock.now;
    return this.base + this.lastNs;
  }

  /** Run the machine for `ns` of virtual time. */
  advance(ns: number): void {
    const target = this.host.machine.clock.now + ns;
    const machine = this.host.machine;
    while (this.host.machine === machine && machine.clock.now < target) {
      const state = this.host.runUntil(target);
      if (STOPPED.has(state))
        throw new MachineStoppedError(state, this.host.output, this.host.machine.crash);
    }
    this.now();
  }

  /** Type text one key at a time, `typingDelayNs` apart; prompts are looked for after the last key. */
  type(text: string): void {
    const keys = splitKeys(text);
    keys.forEach((key, i) => {
      if (i > 0 && this.typingDelayNs > 0) this.advance(this.typingDelayNs);
      this.recorder.input(new TextEncoder().encode(key), this.now());
      this.promptFrom = this.host.output.length;
      this.host.type(key);
    });
  }

  waitForPrompt(timeoutMs: number): void {
    let found = -1;
    this.host.runUntilIdleAnd(
      () => (found = this.host.output.indexOf(OSC133_PROMPT_END, this.promptFrom)) >= 0,
      timeoutMs,
    );
    this.promptFrom = found + OSC133_PROMPT_END.length;
    this.now();
  }

  step(step: ScriptStep): void {
    switch (step.kind) {
      case 'prompt':
        return this.waitForPrompt(step.timeoutMs);
      case 'typing':
        this.typingDelayNs = step.delayMs * NS_PER_MS;
        return;
      case 'type':
        return this.type(step.text);
      case 'run':
        this.type(`${step.text}\r`);
        return this.waitForPrompt(step.timeoutMs);
      case 'wait':
        return this.advance(step.ms * NS_PER_MS);
      case 'marker':
        return this.recorder.marker(step.label, this.now());
      case 'resize':
        return this.recorder.resize(step.cols, step.rows, this.now());
      case 'power-cut':
        return this.powerCut(step.afterWrites);
      case 'key':
      case 'keys':
      case 'mouse':
        return this.desktopInput(step.kind, step.spec);
      case 'link':
        return this.host.machine.network.setLinkConditions(step.conditions);
    }
  }

  /** PS/2 events for the desktop, each given GUI_INPUT_SETTLE_MS of virtual time to be drawn. */
  desktopInput(kind: 'key' | 'keys' | 'mouse', spec: string): void {
    const events =
      kind === 'key'
        ? keyChord(spec)
        : kind === 'keys'
          ? typedKeys(spec)
          : this.pointer.inputs(spec);
    for (const event of events) {
      this.host.send(event);
      this.advance(GUI_INPUT_SETTLE_MS * NS_PER_MS);
    }
  }
}

/** Boot a machine, run the script on it, and return the recording. Errors name the script line. */
export function recordScript(script: RecordingScript, boot: BootFunction): Session {
  const machine = new RecordedMachine(script, boot);
  for (const step of script.steps) {
    try {
      machine.step(step);
    } catch (error) {
      if (error instanceof ScriptError) throw error;
      throw new ScriptError(`${step.kind}: ${(error as Error).message}`, step.line);
    }
  }
  return machine.recorder.finish(machine.now());
}
