/**
 * The machine worker: one Cotton PC per worker, driven in real time, behind a
 * comlink API (DESIGN §1).
 *
 * Booting is split in two so the page can swap machines cleanly: `boot()`
 * transpiles and links the kernel with the reader's edits and reports a
 * transpile or link error as a message with file:line (the page then keeps the
 * machine it had), `start()` lets the new machine run. While it runs, the
 * worker reports after each slice that produced output or changed state, and
 * at least every HEARTBEAT_MS: the page's watchdog takes a silent worker for a
 * kernel stuck in a loop, since a loop in kernel code never returns control here.
 * A machine booted with `screen` also sends, with each report, the framebuffer's
 * changed rectangles since the last one (their pixels transferred, not copied),
 * and takes the page's keyboard and mouse events for its PS/2 devices.
 * `runChecks()` runs an exercise's checks in fast mode, reporting after each check.
 * `startRecording()` / `saveRecording()` serve the Record button (machine-recording.ts).
 */
import { expose, transfer } from 'comlink';
import { sources, modules, programs } from 'virtual:cotton-kernel';
import type { FramebufferUpdate } from '../emu/bochs-vbe';
import type { MachineState, MachineStats } from '../emu/machine';
import { runChecks, type CheckResult } from './exercise';
import { findExercise } from './exercises';
import { describeKernelError } from './kernel-error';
import { MachineHost, OSC133_PROMPT_END, primeTranspileCache } from './machine-host';
import { LiveRecording, type RecordingOptions } from './machine-recording';
import { RealtimeDriver } from './realtime';

export const HEARTBEAT_MS = 250;

export interface MachineOptions {
  readonly overrides: Readonly<Record<string, string>>;
  readonly ramMiB?: number;
  readonly cmdline?: string;
  /** Report the screen's changes (a <Machine screen> page). */
  readonly screen?: boolean;
}

/** What the page learns after a slice. */
export interface MachineReport {
  /** Console bytes since the last report. */
  readonly output: Uint8Array | null;
  readonly state: MachineState;
  /** The shell has shown its first prompt. */
  readonly prompted: boolean;
  /** Why the machine crashed: the error and its stack in kernel files. */
  readonly crash: string | null;
  /** What changed on screen since the last report; null without changes or without a screen. */
  readonly screen: FramebufferUpdate | null;
}

export type BootResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

type ReportSink = (report: MachineReport) => void;

primeTranspileCache(sources, modules);

let host: MachineHost | null = null;
let driver: RealtimeDriver | null = null;
let pending: Uint8Array[] = [];
let prompted = false;
let lastState: MachineState | null = null;
let lastReportAt = 0;
let recording: LiveRecording | null = null;
let screenShown = false;

function takeOutput(): Uint8Array | null {
  if (pending.length === 0) return null;
  const bytes = new Uint8Array(pending.reduce((n, chunk) => n + chunk.length, 0));
  let offset = 0;
  for (const chunk of pending) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  pending = [];
  return bytes;
}

function takeScreen(): FramebufferUpdate | null {
  if (!screenShown) return null;
  const update = host!.machine.takeFramebufferUpdate();
  return update.patches.length > 0 ? update : null;
}

/** The buffers a report hands over to the page rather than copies. */
function transferables(output: Uint8Array | null, screen: FramebufferUpdate | null): ArrayBuffer[] {
  const buffers = screen ? screen.patches.map((patch) => patch.rgba.buffer as ArrayBuffer) : [];
  return output ? [output.buffer as ArrayBuffer, ...buffers] : buffers;
}

function report(sink: ReportSink, state: MachineState): void {
  const now = performance.now();
  const screen = takeScreen();
  if (pending.length === 0 && !screen && state === lastState && now - lastReportAt < HEARTBEAT_MS) return;
  prompted ||= host!.output.includes(OSC133_PROMPT_END);
  const output = takeOutput();
  const crash = state === 'crashed' ? describeKernelError(host!.machine.crash) : null;
  const message: MachineReport = { output, state, prompted, crash, screen };
  lastState = state;
  lastReportAt = now;
  const buffers = transferables(output, screen);
  sink(buffers.length > 0 ? transfer(message, buffers) : message);
}

const api = {
  /** Resolves once the worker has loaded (the page arms its watchdog after this). */
  ready(): true {
    return true;
  },

  boot(options: MachineOptions, sink: ReportSink): BootResult {
    try {
      host = new MachineHost({
        sources,
        programs,
        overrides: options.overrides,
        ramMiB: options.ramMiB,
        commandLine: options.cmdline,
        onOutput: (bytes) => {
          pending.push(bytes);
          recording?.output(bytes);
        },
      });
    } catch (error) {
      return { ok: false, message: describeKernelError(error) };
    }
    screenShown = options.screen ?? false;
    driver = new RealtimeDriver(host, { onSlice: (state) => report(sink, state) });
    return { ok: true };
  },

  start(): void {
    driver?.start();
  },

  input(text: string): void {
    recording?.input(text);
    host?.type(text);
    driver?.wake();
  },

  /** A key on the page's screen, for the PS/2 keyboard (`code` as in KeyboardEvent.code). */
  keyEvent(code: string, pressed: boolean): void {
    host?.keyEvent(code, pressed);
    driver?.wake();
  },

  /** Pointer movement and buttons on the page's screen, for the PS/2 mouse. */
  mouseEvent(dx: number, dy: number, buttons: number): void {
    host?.mouseEvent(dx, dy, buttons);
    driver?.wake();
  },

  pause(): void {
    driver?.pause();
  },

  resume(): void {
    driver?.resume();
  },

  startRecording(options: RecordingOptions): void {
    if (host) recording = new LiveRecording(host, options);
  },

  /** The recording so far as a .nex file; `stop` ends it. Null if nothing is being recorded. */
  saveRecording(stop: boolean): Uint8Array | null {
    const bytes = recording?.save() ?? null;
    if (stop) recording = null;
    return bytes ? transfer(bytes, [bytes.buffer]) : null;
  },

  stats(): MachineStats | null {
    return host?.machine.stats() ?? null;
  },

  /** Run an exercise's checks on the kernel with these edits; `progress` is called after each check. */
  async runChecks(
    exerciseId: string,
    overrides: Readonly<Record<string, string>>,
    progress: (result: CheckResult) => void,
  ): Promise<CheckResult[]> {
    const exercise = findExercise(exerciseId);
    const results: CheckResult[] = [];
    for (const check of exercise.checks) {
      const [result] = await runChecks({ ...exercise, checks: [check] }, sources, overrides, programs);
      results.push(result!);
      progress(result!);
    }
    return results;
  },
};

export type MachineWorkerApi = typeof api;

expose(api);
