/**
 * Hosts one Cotton PC with a kernel built from sources: boots it, feeds it
 * input, collects its console, reboots it when the kernel resets the machine.
 *
 * The same host runs in Node (CLI, tests, benchmarks, recordings) and in the
 * browser's worker. Here the machine runs in *fast* mode — virtual time jumps
 * from event to event as fast as the host CPU allows; realtime.ts paces it to
 * the wall clock instead. Commands are recognised by the shell's OSC 133 marks
 * in the console output, never by guessing at prompts.
 *
 * Every input reaches the machine through the host (`send`, and `type`,
 * `keyEvent`, `mouseEvent` on top), which logs it with the moment it arrived;
 * that log is what `snapshot()` saves and `MachineHost.restore` replays
 * (snapshot.ts).
 */
import type { AtaDiskImage } from '../../emu/ata-pio';
import type { BootModule } from '../../emu/firmware';
import { CottonPC, DEFAULT_START_TIME, type MachineState } from '../../emu/machine';
import type { VirtualNetworkConfig } from '../../emu/net/virtual-network';
import { combineDigests, machineStateDigests } from '../../emu/machine-state';
import { sha256, toHex } from '../../emu/sha256';
import { deliverInput, type LoggedInput, type MachineInput, type MachineMoment } from './input-log';
import { buildKernelImage } from './kernel-image';
import {
  linkKernel,
  type KernelModules,
  transpileCacheKey,
  transpileKernel,
  type KernelSources,
  type KernelTap,
} from './kernel-loader';
import { checkDisk, checkKernelSources, checkState, kernelDigests, replayInputs } from './snapshot';
import { decodeSnapshot, encodeSnapshot, type SnapshotContents } from './snapshot-format';

export const OSC133_PROMPT_END = '\x1b]133;B\x07';
const NS_PER_MS = 1_000_000;
/** How far fast mode runs between checks of a wait condition. */
const FAST_SLICE_NS = 1 * NS_PER_MS;

export interface BootOptions {
  /**
   * The kernel's original sources: what a snapshot names, and what the host
   * transpiles, with `overrides` in place, unless `modules` is given.
   */
  readonly sources?: KernelSources;
  /**
   * The kernel already transpiled, `overrides` included (the book's machine
   * worker has it from the build): linked as it is, with no transpiler loaded.
   * A host without `sources` cannot take a snapshot.
   */
  readonly modules?: KernelModules;
  /** Edited files that take the place of originals (a reader's edits). */
  readonly overrides?: Readonly<Record<string, string>>;
  readonly ramMiB?: number;
  readonly commandLine?: string;
  readonly startTime?: number;
  /** Every byte the console prints, as it arrives. */
  readonly onOutput?: (bytes: Uint8Array) => void;
  /** The ATA disk's medium; the same bytes stay attached across reboots. */
  readonly disk?: AtaDiskImage;
  /**
   * The SHA-256 of `disk` as it is at power-on, asked for only when a snapshot
   * needs it: for a caller that keeps the pristine bytes (the book's disk),
   * so a boot does not hash a 32 MiB disk (~0.3–0.6 s) it may never snapshot.
   * Without it the host hashes the disk at power-on.
   */
  readonly diskDigest?: () => Uint8Array;
  /** User programs the firmware loads as Multiboot2 modules, named by their path ("/bin/hello"). */
  readonly programs?: readonly BootModule[];
  /** The virtual network's seed and link conditions (lossy, slow, ...); part of a snapshot. */
  readonly network?: VirtualNetworkConfig;
  /** Called with each new machine at power-on (and after a reset): to tap or bridge its network. */
  readonly onPowerOn?: (machine: CottonPC) => void;
  /** Host code linked into the kernel to watch it run (an exercise's probe); not part of a snapshot. */
  readonly tap?: KernelTap;
}

/** What a restored host takes from its caller rather than from the snapshot. */
export type RestoreOptions = Pick<
  BootOptions,
  'onOutput' | 'disk' | 'diskDigest' | 'programs' | 'onPowerOn'
>;

/** The machine stopped for good while a caller waited for something else. */
export class MachineStoppedError extends Error {
  constructor(
    readonly state: MachineState,
    readonly output: string,
    crash: Error | null,
  ) {
    super(`the machine ${state === 'crashed' ? `crashed: ${crash?.message}` : `is ${state}`}`);
    this.name = 'MachineStoppedError';
  }
}

const transpileCache = new Map<string, string>();

/**
 * What the hosts of this thread are doing, for a watchdog outside the thread
 * (worker/liveness.ts): 'building' when a host starts to transpile and link a
 * kernel (no machine time passes), 'running' before each slice of machine time.
 * A kernel stuck in a loop never returns from its slice, so the reports stop.
 */
export type HostActivity = 'building' | 'running';
export type HostActivityListener = (activity: HostActivity, virtualNs: number) => void;

let activityListener: HostActivityListener | null = null;

/** Hear every host of this thread (one listener; null stops). Called on every slice: keep it cheap. */
export function listenToHosts(listener: HostActivityListener | null): void {
  activityListener = listener;
}

/** A disk's identity for snapshots, its digest computed at most once and only if asked for. */
function diskIdentity(
  length: number,
  digest: Uint8Array | (() => Uint8Array),
): () => SnapshotContents['disk'] {
  let known = typeof digest === 'function' ? null : digest;
  return () => {
    known ??= (digest as () => Uint8Array)();
    return { length, digest: known };
  };
}

function countOccurrences(text: string, needle: string, from: number): number {
  let count = 0;
  for (let i = text.indexOf(needle, from); i >= 0; i = text.indexOf(needle, i + needle.length))
    count++;
  return count;
}

export class MachineHost {
  machine!: CottonPC;
  /** Everything the console printed since power-on, decoded as UTF-8. */
  output = '';
  /** Every input since power-on, with its moment. */
  readonly inputs: LoggedInput[] = [];
  /** The virtual time at which each boot so far was reset (it ended). */
  readonly resets: number[] = [];
  private boot = -1;
  private decoder = new TextDecoder();
  private readonly image: Uint8Array;
  private readonly modules: Record<string, string>;
  /** The disk as it was at the first power-on (what a snapshot names it by); null without a disk. */
  private readonly diskAtPowerOn: (() => SnapshotContents['disk']) | null;

  /** Transpile and link the kernel (throws TranspileError for a reader's syntax error), then power on. */
  constructor(readonly options: BootOptions) {
    activityListener?.('building', 0);
    this.modules =
      options.modules ??
      transpileKernel({ ...options.sources, ...options.overrides }, transpileCache);
    this.image = buildKernelImage(this.modules);
    const disk = options.disk?.bytes;
    this.diskAtPowerOn = disk
      ? diskIdentity(disk.length, options.diskDigest ?? sha256(disk))
      : null;
    this.powerOn();
  }

  /**
   * Boot a machine from a snapshot: the same kernel (`sources` must be the
   * originals it ran; its edits come with it), configuration and inputs, in
   * fast mode, up to the snapshot's moment. Throws a SnapshotFormatError for a
   * damaged blob and a SnapshotMismatchError when the result would not be the
   * snapshot's machine. The console output replays through `onOutput`.
   */
  static restore(
    blob: Uint8Array,
    sources: KernelSources,
    options: RestoreOptions = {},
  ): MachineHost {
    const contents = decodeSnapshot(blob);
    checkKernelSources(contents, sources);
    const { overrides, ramMiB, commandLine, startTime, network } = contents;
    const host = new MachineHost({
      sources,
      overrides,
      ramMiB,
      commandLine,
      startTime,
      network,
      ...options,
    });
    checkDisk(contents, host.diskAtPowerOn?.() ?? null);
    replayInputs(host, contents);
    checkState(contents.state, machineStateDigests(host.machine));
    return host;
  }

  /** The machine as a snapshot blob: a few kilobytes naming the kernel, the configuration and the inputs so far. */
  snapshot(): Uint8Array {
    return encodeSnapshot({
      kernel: kernelDigests(this.sources()),
      overrides: this.options.overrides ?? {},
      ramMiB: this.options.ramMiB ?? 128,
      commandLine: this.options.commandLine ?? '',
      startTime: this.options.startTime ?? DEFAULT_START_TIME,
      disk: this.diskAtPowerOn?.() ?? null,
      network: this.options.network ?? {},
      inputs: this.inputs,
      resets: this.resets,
      moment: this.moment(),
      state: machineStateDigests(this.machine).map(({ part, digest }) => ({ name: part, digest })),
    });
  }

  private sources(): KernelSources {
    if (!this.options.sources)
      throw new Error('this machine was booted from transpiled modules: its sources are unknown');
    return this.options.sources;
  }

  /** SHA-256 of the machine's whole device-visible state, as hex (see src/emu/machine-state.ts). */
  stateDigest(): string {
    return toHex(combineDigests(machineStateDigests(this.machine)));
  }

  /** Now: which boot, and the virtual time in it. */
  moment(): MachineMoment {
    return { boot: this.boot, atNs: this.machine.clock.now };
  }

  private powerOn(): void {
    this.boot++;
    this.machine = new CottonPC({
      kernel: { entry: linkKernel(this.modules, this.options.tap), image: this.image },
      ramBytes: (this.options.ramMiB ?? 128) * 1024 * 1024,
      commandLine: this.options.commandLine ?? '',
      modules: this.options.programs,
      startTime: this.options.startTime,
      disk: this.options.disk,
      ...(this.options.network ? { network: this.options.network } : {}),
      onSerialOutput: (bytes) => {
        this.output += this.decoder.decode(bytes, { stream: true });
        this.options.onOutput?.(bytes);
      },
    });
    this.options.onPowerOn?.(this.machine);
  }

  get state(): MachineState {
    return this.machine.state;
  }

  /** Run until virtual time `untilNs`; a reset reboots the same kernel, as a PC's reset line does. */
  runUntil(untilNs: number): MachineState {
    activityListener?.('running', this.machine.clock.now);
    const state = this.machine.run(untilNs);
    if (state === 'reset') {
      this.resets.push(this.machine.clock.now);
      this.powerOn();
    }
    return this.machine.state;
  }

  /**
   * Run in fast mode until `done()` holds at the end of a slice (the CPU idle,
   * or busy with user programs between two tasks), or fail after `maxVirtualMs`.
   */
  runUntilIdleAnd(done: () => boolean, maxVirtualMs: number): void {
    const deadline = this.machine.clock.now + maxVirtualMs * NS_PER_MS;
    for (;;) {
      const state = this.runUntil(this.machine.clock.now + FAST_SLICE_NS);
      if ((state === 'idle' || state === 'running') && done()) return;
      if (state !== 'idle' && state !== 'running' && state !== 'off') {
        throw new MachineStoppedError(state, this.output, this.machine.crash);
      }
      if (this.machine.clock.now >= deadline) {
        throw new Error(`timed out after ${maxVirtualMs} ms of virtual time`);
      }
    }
  }

  /** Run until the shell has shown `count` more prompts; returns the output printed meanwhile. */
  runUntilPrompt(maxVirtualMs = 30_000, count = 1): string {
    const start = this.output.length;
    this.runUntilIdleAnd(
      () => countOccurrences(this.output, OSC133_PROMPT_END, start) >= count,
      maxVirtualMs,
    );
    return this.output.slice(start);
  }

  /** Give the machine an input now, and log it. */
  send(input: MachineInput): void {
    this.inputs.push({ ...this.moment(), input });
    deliverInput(this.machine, input);
  }

  /** Type text on the serial line. */
  type(text: string): void {
    this.send({ kind: 'serial', bytes: new TextEncoder().encode(text) });
  }

  /** A key pressed or released (`code` as in KeyboardEvent.code). */
  keyEvent(code: string, pressed: boolean): void {
    this.send({ kind: 'key', code, pressed });
  }

  /** The pointer moved by (dx, dy) screen pixels with `buttons` held. */
  mouseEvent(dx: number, dy: number, buttons: number): void {
    this.send({ kind: 'mouse', dx, dy, buttons });
  }

  /** Type a command line and Enter, run until the next prompt, and return what was printed in between. */
  command(line: string, maxVirtualMs = 30_000): string {
    this.type(`${line}\r`);
    return this.runUntilPrompt(maxVirtualMs);
  }
}

/** Seed the transpile cache with modules transpiled at build time, so booting the originals transpiles nothing. */
export function primeTranspileCache(
  sources: KernelSources,
  modules: Readonly<Record<string, string>>,
): void {
  for (const [file, source] of Object.entries(sources)) {
    const js = modules[file];
    if (js !== undefined) transpileCache.set(transpileCacheKey(file, source), js);
  }
}
