/**
 * The machine worker: one Cotton PC per worker, driven in real time, behind a
 * comlink API (docs/architecture.md §1).
 *
 * `boot()` links the kernel the book ships transpiled, with the reader's
 * edited files transpiled in place, while the disk loads, and reports a
 * transpile or link error as a message with file:line (the page then keeps the
 * machine it had). A kernel that links starts at once: in fast mode up to its
 * first prompt (virtual time as fast as this thread goes, so the reader waits
 * for no virtual timer), then in real time. It boots while the page still
 * lays itself out or swaps the machines; the page holds its reports until it
 * adopts the machine (browser/machine-client.ts). The page's first worker may
 * even boot before it is asked (`bootAhead`, preparation.ts), keeping the
 * output until `boot()` adopts the machine, or switches it off if the page
 * asks for another. While it runs, the
 * worker reports after each slice that produced output or changed state, and
 * at least every HEARTBEAT_MS. The page's watchdog listens to beats sent from
 * inside the run loop (`watch`, liveness.ts): a loop in kernel code never
 * returns control here, and the beats stop.
 * A machine booted with `screen` also sends, with each report, the framebuffer's
 * changed rectangles since the last one (their pixels transferred, not copied),
 * and takes the page's keyboard and mouse events for its PS/2 devices (the
 * pointer as absolute positions, turned here into relative PS/2 packets).
 * `runChecks()` runs an exercise's checks in fast mode, reporting after each check.
 * `startRecording()` / `saveRecording()` serve the Record button (machine-recording.ts).
 *
 * The user programs, the disk/ tree and the book's disk the build made of
 * them come as one binary file, fetched while the kernel compiles
 * (book-files.ts), not as base64 inside this script.
 *
 * Every machine gets the reader's disk as its ATA disk: on a reboot, handed
 * over by the machine it replaces (`handOverDisk`: in memory, its chunks
 * transferred from worker to worker); otherwise loaded from IndexedDB when
 * `boot()` starts, or the book's disk as the build made it (book-files.ts)
 * when none is stored. The worker persists the disk itself (disk-store.ts):
 * what the ATA device reports writing is stored in batches, and at once when
 * the page pauses the machine or asks (`flushDisk`, when another machine of
 * the page boots and when the page is hidden), so apart from a reboot's
 * handover the disk's bytes travel through the page only for Download
 * (`diskImage`). Reset and Upload `suspendDisk()` first, so this machine
 * stops storing while the page replaces the stored disk.
 */
import { expose, transfer } from 'comlink';
import { modules } from 'virtual:cotton-kernel';
import { bookDiskName, bookFilesUrl } from 'virtual:cotton-book-files';
import type { FramebufferUpdate } from '../../emu/bochs-vbe';
import type { MachineState, MachineStats } from '../../emu/machine';
import type { CheckResult } from '../host/exercise';
import { describeKernelError } from '../host/kernel-error';
import {
  compileKernel,
  KERNEL_ENTRY_MODULE,
  type KernelModules,
  transpileCacheKey,
} from '../host/kernel-loader';
import { MachineHost, OSC133_PROMPT_END, primeTranspileCache } from '../host/machine-host';
import type { LiveRecording, RecordingOptions } from './machine-recording';
import { isLive, RealtimeDriver } from '../host/realtime';
import { type BookFilesWithDisk, diskImage, unpackBookFiles } from '../host/book-files';
import {
  type ChunkStorage,
  type DiskHandover,
  type FlushStats,
  MemoryChunkStorage,
  PersistentDisk,
} from './disk-store';
import { IndexedDbChunkStorage } from './indexeddb-storage';
import { CaptureBuffer } from './capture-buffer';
import {
  type BootAhead,
  FIRST_WORKER_PREPARATION,
  isBootAheadOf,
  type MachineOptions,
  type Preparation,
  readWorkerName,
} from './preparation';
import { beat, reportLiveness } from './liveness';
import { measureKernelCompile, milestone } from './milestones';
import {
  type InspectionAnswer,
  KernelInspector,
  type ViewRequest,
} from '../host/kernel-inspection';

export const HEARTBEAT_MS = 250;

export type { MachineOptions } from './preparation';

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

/** The machine's disk, as the worker opened it. */
export interface DiskReport {
  /** Names the book's disk the reader's disk started from (book-disk.ts). */
  readonly version: string;
  /** Loaded from storage, handed over by the machine this one replaces, or the book's disk built now. */
  readonly source: 'stored' | 'handed over' | 'built';
  /** Whether writes reach IndexedDB (false where it is unavailable: the disk then lasts as long as the page). */
  readonly persistent: boolean;
  /** Why the stored disk was not used, if it was not. */
  readonly problem: string | null;
  readonly bytes: number;
  /** Milliseconds to load (or build) the disk. */
  readonly openMs: number;
}

export interface DiskStatus extends DiskReport {
  readonly stats: FlushStats;
  readonly pendingChunks: number;
}

export type BootResult =
  | { readonly ok: true; readonly disk: DiskReport }
  | { readonly ok: false; readonly message: string };

type ReportSink = (report: MachineReport) => void;

/**
 * A new machine runs in fast mode until its first prompt (realtime.ts), for at
 * most this much virtual time (a kernel that never prompts), then in real time.
 */
const FAST_BOOT_LIMIT_NS = 30_000 * 1_000_000;

/**
 * What checks need and a machine does not: the exercises, the kernel's
 * TypeScript (checks boot it with the reader's region in place) and the
 * transpiler, loaded by the first check of a worker. The build's modules
 * stand for the originals, so only the edited files are transpiled.
 */
async function loadChecks() {
  const [exercise, { findExercise }, { sources }] = await Promise.all([
    import('../host/exercise'),
    import('./exercises'),
    import('virtual:cotton-kernel/sources'),
    import('../host/transpile'),
  ]);
  primeTranspileCache(sources, modules);
  return { findExercise, freshSeed: exercise.freshSeed, runChecks: exercise.runChecks, sources };
}

const stillBooting = (booted: MachineHost): boolean =>
  booted.machine.clock.now < FAST_BOOT_LIMIT_NS && !booted.output.includes(OSC133_PROMPT_END);

/** The reader's edited files this worker transpiled (`pretranspile`, `boot`), by file and text. */
const editedModules = new Map<string, string>();

/**
 * The kernel with the reader's edits: the book's modules as built, the edited
 * files transpiled here, by a transpiler loaded only now (the first page load
 * carries none), unless this worker transpiled the same text before. Throws a
 * TranspileError for a syntax error.
 */
async function kernelWith(overrides: Readonly<Record<string, string>>): Promise<KernelModules> {
  if (Object.keys(overrides).length === 0) return modules;
  const { transpileModule } = await import('../host/transpile');
  const edited: Record<string, string> = { ...modules };
  for (const [file, source] of Object.entries(overrides)) {
    const key = transpileCacheKey(file, source);
    const js = editedModules.get(key) ?? transpileModule(file, source);
    editedModules.set(key, js);
    edited[file] = js;
  }
  return edited;
}

/**
 * Run the transpiler once, on the kernel's entry module as built (JavaScript
 * is TypeScript too): its first run compiles each of its functions on first
 * use and took several times as long as the next, so a spare pays that before
 * the Reboot that transpiles the reader's edit.
 */
function warmTranspiler({ transpileModule }: typeof import('../host/transpile')): void {
  try {
    transpileModule(KERNEL_ENTRY_MODULE, modules[KERNEL_ENTRY_MODULE] ?? '');
  } catch {
    // Only a warm-up: the reader's edits are transpiled, and their errors reported, at boot.
  }
}

/** A rehearsal yields the thread this often, so a boot that comes meanwhile waits little. */
const REHEARSAL_SLICE_MS = 8;
let rehearsal: Promise<void> | null = null;
/** A boot has been asked for: a rehearsal still running stops at its next step. */
let booting = false;

/**
 * A spare worker's rehearsal: it boots the book's kernel once, in fast mode,
 * to its first prompt, on a throwaway book's disk in memory, and keeps
 * nothing of it. A fresh worker runs every function of the emulator and the
 * kernel for the first time, parsing, compiling and warming each, which made
 * its first boot several times slower than a second one in the same thread.
 * The rehearsal pays that in the page's spare time, so the Reboot the spare
 * is kept for boots warm. The kernel's unedited modules are the same compiled
 * functions in the real boot (kernel-loader.ts compiles each text once), the
 * edited ones are new code. It runs in short slices and stops when a boot comes.
 */
async function rehearse(): Promise<void> {
  const { programs, disk: bookDisk } = await loadBookFiles();
  if (booting) return;
  const rehearsed = new MachineHost({
    modules,
    programs,
    disk: { bytes: diskImage(bookDisk).bytes },
    diskDigest: () => {
      throw new Error('a rehearsal takes no snapshots');
    },
    tap: new KernelInspector().tap,
  });
  const rehearsing = () => !booting && stillBooting(rehearsed);
  // The machine's own fast mode (realtime.ts), stopped where real time would begin.
  await new Promise<void>((resolve) => {
    const driver = new RealtimeDriver(rehearsed, {
      sliceMs: REHEARSAL_SLICE_MS,
      fastWhile: rehearsing,
      onSlice: (state) => {
        if (rehearsing() && isLive(state)) return;
        driver.stop();
        resolve();
      },
    });
    driver.start();
  });
}

let host: MachineHost | null = null;
/** The running kernel's inspection channel (figures' data). */
let inspector = new KernelInspector();
let driver: RealtimeDriver | null = null;
let pending: Uint8Array[] = [];
let prompted = false;
let lastState: MachineState | null = null;
let lastReportAt = 0;
/** Where the machine's reports go: the page's sink, or none yet for a machine booted ahead. */
let reportTo: ReportSink | null = null;
/** The machine this worker started before the page asked (`bootAhead`), until `boot` decides on it. */
let bootedAhead: { readonly options: BootAhead; readonly started: Promise<BootResult> } | null =
  null;
let recording: LiveRecording | null = null;
/**
 * The recorder's code (NEX, its compression) loads when the reader first
 * presses Record; typing and Save wait for it meanwhile, so nothing typed
 * after the press is missing from the recording.
 */
let recordingStarts: Promise<void> | null = null;
/** The running machine's network frames since power-on (Download capture). */
let capture: CaptureBuffer = new CaptureBuffer();
let screenShown = false;
/**
 * Buffers of screen updates the page has drawn and handed back
 * (`screenDrawn`), to carry the next updates: memory the worker has filled
 * before is quick to fill again, fresh memory for every frame is not (a
 * dragged window is a megabyte or more per frame).
 */
const screenBuffers: ArrayBuffer[] = [];
const SCREEN_BUFFERS_KEPT = 4;
/** How long a view may wait for a busy kernel to finish changing what it shows (a commit takes ~70 ms). */
const SETTLE_LIMIT_NS = 2_000 * 1_000_000;
/** Where the page last put the machine's pointer (pointerTo), and the buttons it held. */
let pointer = { x: 0, y: 0, buttons: 0 };
/** Farther than any screen is wide or tall: a move this far pins the machine's pointer in a corner. */
const POINTER_HOME_PIXELS = 8192;
/** The reader's disk as this worker opened it. */
interface ReaderDisk {
  readonly persistent: PersistentDisk;
  readonly report: DiskReport;
}

let disk: ReaderDisk | null = null;
let bookFiles: Promise<BookFilesWithDisk> | null = null;

/**
 * The programs, the disk/ tree and the book's disk (book-files.ts): one
 * binary file, fetched once per worker, while the kernel compiles; the HTTP
 * cache keeps it.
 */
function loadBookFiles(): Promise<BookFilesWithDisk> {
  bookFiles ??= fetch(bookFilesUrl).then(async (response) => {
    if (!response.ok)
      throw new Error(`the book's programs: ${response.status} from ${bookFilesUrl}`);
    return unpackBookFiles(new Uint8Array(await response.arrayBuffer()));
  });
  return bookFiles;
}

let diskOpening: Promise<ReaderDisk> | null = null;
let passedDisk: Promise<DiskHandover | null> | null = null;
let receiveDisk: (disk: DiskHandover | null) => void = () => {};

/**
 * The replaced machine's disk, once it comes: on `port`, straight from that
 * machine's worker (not through the page, whose thread may be busy), or null
 * (`loadStoredDisk`) if it gave none. What comes first counts.
 */
function handedDisk(port?: MessagePort): Promise<DiskHandover | null> {
  passedDisk ??= new Promise((resolve) => {
    receiveDisk = resolve;
  });
  if (port)
    port.onmessage = (event: MessageEvent<DiskHandover | null>) => {
      receiveDisk(event.data);
      port.close();
    };
  return passedDisk;
}

/**
 * The reader's disk for this worker's machine: the one `handover` passes on
 * from the machine this one replaces, stored, or the book's disk (once per
 * worker, as a worker is one machine; `prepare` may have started opening it
 * already, and then a handover is not taken). A failed open is tried again
 * at the next call.
 */
function openReaderDisk(handover: DiskHandover | null = null): Promise<ReaderDisk> {
  if (!diskOpening) {
    diskOpening = handover?.version === bookDiskName ? adoptReaderDisk(handover) : loadReaderDisk();
    diskOpening.then(
      () => milestone('disk-open'),
      () => {
        diskOpening = null;
      },
    );
  }
  return diskOpening;
}

function diskStorage(): { persistent: boolean; storage: ChunkStorage } {
  const persistent = IndexedDbChunkStorage.available();
  return {
    persistent,
    storage: persistent ? new IndexedDbChunkStorage() : new MemoryChunkStorage(),
  };
}

async function adoptReaderDisk(handover: DiskHandover): Promise<ReaderDisk> {
  const started = performance.now();
  const { persistent, storage } = diskStorage();
  const adopted = PersistentDisk.adopt(storage, handover);
  const report: DiskReport = {
    version: bookDiskName,
    source: 'handed over',
    persistent,
    problem: null,
    bytes: adopted.bytes.length,
    openMs: Math.round(performance.now() - started),
  };
  disk = { persistent: adopted, report };
  return disk;
}

async function loadReaderDisk(): Promise<ReaderDisk> {
  const started = performance.now();
  const files = await loadBookFiles();
  const { persistent, storage } = diskStorage();
  const opened = await PersistentDisk.open(storage, bookDiskName, () => diskImage(files.disk));
  if (opened.problem === null) void storage.clearOthers(bookDiskName).catch(() => {});
  const report: DiskReport = {
    version: bookDiskName,
    source: opened.source,
    persistent: persistent && opened.problem === null,
    problem: opened.problem,
    bytes: opened.disk.bytes.length,
    openMs: Math.round(performance.now() - started),
  };
  disk = { persistent: opened.disk, report };
  return disk;
}

function diskError(error: unknown): string {
  return `the disk could not be saved: ${error instanceof Error ? error.message : String(error)}`;
}

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
  const update = host!.machine.display.takeUpdate(screenBuffer);
  return update.patches.length > 0 ? update : null;
}

/** The screen's size in RGBA bytes: every buffer made holds a whole screen, so any update fits. */
function screenBytes(): number {
  const display = host!.machine.display;
  return display.width * display.height * 4;
}

function screenBuffer(bytes: number): ArrayBuffer {
  const kept = screenBuffers.pop();
  return kept && kept.byteLength >= bytes ? kept : new ArrayBuffer(Math.max(bytes, screenBytes()));
}

/** The buffers a report hands over to the page rather than copies (a screen update's patches share one). */
function transferables(output: Uint8Array | null, screen: FramebufferUpdate | null): ArrayBuffer[] {
  const pixels = screen?.patches[0]?.rgba.buffer as ArrayBuffer | undefined;
  const buffers = pixels ? [pixels] : [];
  return output ? [output.buffer as ArrayBuffer, ...buffers] : buffers;
}

/** Note the shell's first prompt once the machine has printed it. */
function notePrompt(): void {
  if (prompted || !host!.output.includes(OSC133_PROMPT_END)) return;
  prompted = true;
  milestone('first-prompt');
}

function report(sink: ReportSink, state: MachineState): void {
  const now = performance.now();
  const screen = takeScreen();
  if (pending.length === 0 && !screen && state === lastState && now - lastReportAt < HEARTBEAT_MS)
    return;
  notePrompt();
  const output = takeOutput();
  const crash = state === 'crashed' ? describeKernelError(host!.machine.crash) : null;
  const message: MachineReport = { output, state, prompted, crash, screen };
  lastState = state;
  lastReportAt = now;
  const buffers = transferables(output, screen);
  sink(buffers.length > 0 ? transfer(message, buffers) : message);
}

/**
 * Boot the machine the page will ask for, without waiting for it to ask
 * (preparation.ts): the page's scripts run only once it has laid itself out,
 * and the machine boots meanwhile. Its output waits for `boot` to adopt it.
 */
function bootAhead(options: BootAhead): void {
  booting = true;
  bootedAhead = { options, started: startMachine({ ...options, overrides: {} }, null) };
}

/**
 * Power off this worker's machine, as a Reboot does: its disk stays as the
 * machine left it, for the next machine of this worker.
 */
function switchOff(): void {
  driver?.stop();
  driver = null;
  host = null;
  pending = [];
  prompted = false;
  lastState = null;
}

/**
 * Transpile and link the kernel with `options`' edits while the disk comes
 * (handed over on `diskPort`, or opened here), and power the machine on: in
 * fast mode to its first prompt, its reports going to `reportTo` once set.
 */
async function startMachine(
  options: MachineOptions,
  diskPort: MessagePort | null,
): Promise<BootResult> {
  beat('building', 0);
  // The disk comes (handed over, or from IndexedDB off this thread) while the kernel is transpiled and compiled.
  const opening = diskPort ? handedDisk(diskPort).then(openReaderDisk) : openReaderDisk();
  opening.catch(() => {}); // awaited below, unless the kernel fails first
  let kernel: KernelModules;
  try {
    kernel = await kernelWith(options.overrides);
    compileKernel(kernel);
  } catch (error) {
    return { ok: false, message: describeKernelError(error) };
  }
  let opened: ReaderDisk;
  let programs: BookFilesWithDisk['programs'];
  try {
    opened = await opening;
    ({ programs } = await loadBookFiles());
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const { persistent, report: diskReport } = opened;
  milestone('linking');
  try {
    const frames = new CaptureBuffer();
    const nextInspector = new KernelInspector();
    host = new MachineHost({
      modules: kernel,
      programs,
      disk: persistent.image,
      // Asked for only by a snapshot, which a host without the kernel's sources never takes:
      // the worker keeps no 32 MiB copy of the disk at power-on for it.
      diskDigest: () => {
        throw new Error('the machine worker takes no snapshots');
      },
      overrides: options.overrides,
      ramMiB: options.ramMiB,
      commandLine: options.cmdline,
      onOutput: (bytes) => {
        pending.push(bytes);
        recording?.output(bytes);
      },
      onPowerOn: (machine) => frames.attach(machine),
      tap: nextInspector.tap,
    });
    capture = frames;
    inspector = nextInspector;
  } catch (error) {
    return { ok: false, message: describeKernelError(error) };
  }
  milestone('powered-on');
  screenShown = options.screen ?? false;
  const booted = host;
  driver = new RealtimeDriver(host, {
    onSlice: (state) => {
      if (reportTo) report(reportTo, state);
      else notePrompt();
    },
    fastWhile: () => stillBooting(booted),
  });
  driver.start();
  return { ok: true, disk: diskReport };
}

const api = {
  /**
   * Get ready for a boot that is yet to be asked for (the page's first worker,
   * started with the page, or a spare started while the page is idle): fetch
   * the programs, compile the book's kernel, load the transpiler too if the
   * reader edits, open the reader's disk if no other machine of the page
   * can be writing it (the first worker), and rehearse a boot if asked (a
   * spare, see `rehearse`).
   */
  async prepare(ahead: Preparation): Promise<void> {
    const files = ahead.disk ? openReaderDisk() : loadBookFiles();
    files.catch(() => {}); // boot() opens the disk again and reports what failed
    measureKernelCompile(() => compileKernel(modules));
    if (ahead.transpiler) warmTranspiler(await import('../host/transpile'));
    if (ahead.rehearse) rehearsal ??= rehearse().catch(() => {});
    if (ahead.boot && !booting) bootAhead(ahead.boot);
  },

  /** The machine this one replaces gave no disk (in time): load the stored one. */
  loadStoredDisk(): void {
    void handedDisk(); // made here if this came before boot() asked for it
    receiveDisk(null);
  },

  /**
   * Transpile and compile the reader's edits ahead of a Reboot (a spare
   * worker, while the reader pauses): the Reboot's `boot` with the same text
   * then does neither. A syntax error is left for that `boot` to report.
   */
  async pretranspile(overrides: Readonly<Record<string, string>>): Promise<void> {
    try {
      compileKernel(await kernelWith(overrides));
    } catch {
      // boot() transpiles the same text again and reports what is wrong with it.
    }
  },

  /** Send the page's watchdog this worker's beats on `port` (before `boot` or `runChecks`). */
  watch(port: MessagePort): void {
    reportLiveness(port);
  },

  /**
   * Link a machine with the reader's edits, and start it. A machine that
   * replaces another takes that one's disk, which comes on `diskPort` (see
   * `handOverDisk`) while this worker transpiles and links. The machine this
   * worker booted ahead (`bootAhead`) is adopted if it is the one asked for;
   * otherwise it is switched off first, as a Reboot would.
   */
  async boot(
    options: MachineOptions,
    sink: ReportSink,
    diskPort: MessagePort | null = null,
  ): Promise<BootResult> {
    booting = true;
    milestone('boot-asked');
    const early = bootedAhead;
    bootedAhead = null;
    if (early) {
      const result = await early.started;
      if (result.ok && diskPort === null && isBootAheadOf(early.options, options)) {
        reportTo = sink;
        driver?.wake();
        return result;
      }
      switchOff();
    }
    await rehearsal;
    reportTo = sink;
    return startMachine(options, diskPort);
  },

  async input(text: string): Promise<void> {
    if (recordingStarts) await recordingStarts;
    recording?.input(text);
    host?.type(text);
    driver?.wake();
  },

  /** A key on the page's screen, for the PS/2 keyboard (`code` as in KeyboardEvent.code). */
  keyEvent(code: string, pressed: boolean): void {
    host?.keyEvent(code, pressed);
    driver?.wake();
  },

  /**
   * The page's pointer is at (x, y) on the screen: a PS/2 mouse reports only
   * movement, so the worker sends the way from where it last put the pointer
   * (the desktop starts it at 0, 0 and keeps it on screen, as the page does).
   * Moves made before the desktop turned its mouse on are lost, so at every
   * press the pointer is first sent home to the top-left corner, where the
   * desktop's clamp holds it, and then to (x, y): a click lands where the
   * reader clicked, however the two drifted apart.
   */
  pointerTo(x: number, y: number, buttons: number): void {
    if (buttons !== 0 && pointer.buttons === 0) {
      // Home, then there with no button held (a long move is several packets), then the press.
      host?.mouseEvent(-POINTER_HOME_PIXELS, -POINTER_HOME_PIXELS, 0);
      host?.mouseEvent(x, y, 0);
      pointer = { x, y, buttons: 0 };
    }
    host?.mouseEvent(x - pointer.x, y - pointer.y, buttons);
    pointer = { x, y, buttons };
    driver?.wake();
  },

  /** The page has drawn a screen update: its buffer (the page's no more) carries a later one. */
  screenDrawn(buffer: ArrayBuffer): void {
    if (host && buffer.byteLength >= screenBytes() && screenBuffers.length < SCREEN_BUFFERS_KEPT)
      screenBuffers.push(buffer);
  },

  /** Stop the machine while the page is hidden; its disk is stored at once (the page may be going away). */
  pause(): void {
    driver?.pause();
    void disk?.persistent.flush().catch(() => {});
  },

  resume(): void {
    driver?.resume();
  },

  async startRecording(options: RecordingOptions): Promise<void> {
    const starts = import('./machine-recording').then(({ LiveRecording }) => {
      if (host) recording = new LiveRecording(host, options);
    });
    recordingStarts = starts;
    await starts;
    if (recordingStarts === starts) recordingStarts = null;
  },

  /** The recording so far as a .nex file; `stop` ends it. Null if nothing is being recorded. */
  async saveRecording(stop: boolean): Promise<Uint8Array | null> {
    if (recordingStarts) await recordingStarts;
    const bytes = recording?.save() ?? null;
    if (stop) recording = null;
    return bytes ? transfer(bytes, [bytes.buffer]) : null;
  },

  /** Store the disk's pending writes now; resolves with null, or why they could not be stored. */
  async flushDisk(): Promise<string | null> {
    try {
      await disk?.persistent.flush();
      return null;
    } catch (error) {
      return diskError(error);
    }
  },

  /** The disk's bytes as they are now (Download), after storing what is pending; null without a disk. */
  async diskImage(): Promise<Uint8Array | null> {
    if (!disk) return null;
    await disk.persistent.flush().catch(() => {});
    const bytes = disk.persistent.bytes.slice();
    return transfer(bytes, [bytes.buffer]);
  },

  /** The network capture since this machine booted, as a pcap file (Download capture). */
  networkCapture(): { bytes: Uint8Array; truncated: boolean } {
    const bytes = capture.file();
    return transfer({ bytes, truncated: capture.truncated }, [bytes.buffer]);
  },

  /**
   * Give the disk to the machine that replaces this one (a reboot), whose
   * worker holds the other end of `to`, and stop storing it (disk-store.ts);
   * null goes there if it is not this worker's to give. Says whether it gave
   * it: `resumeDisk()` takes it back if the new machine is not adopted.
   */
  handOverDisk(to: MessagePort): boolean {
    const handover = disk?.persistent.handOver() ?? null;
    const buffers = handover
      ? [...handover.chunks.values()].map((chunk) => chunk.buffer as ArrayBuffer)
      : [];
    to.postMessage(handover, buffers);
    to.close();
    return handover !== null;
  },

  /** Store what is pending, then stop storing: the page is about to replace the stored disk. */
  async suspendDisk(): Promise<string | null> {
    try {
      await disk?.persistent.suspend();
      return null;
    } catch (error) {
      return diskError(error);
    }
  },

  /** Store again: the stored disk was not replaced after all. */
  resumeDisk(): void {
    disk?.persistent.resume();
  },

  diskStatus(): DiskStatus | null {
    if (!disk) return null;
    return {
      ...disk.report,
      stats: { ...disk.persistent.stats },
      pendingChunks: disk.persistent.pendingChunks,
    };
  },

  /**
   * A view of the running kernel (src/kernel/inspect/views.ts), taken between two slices: a
   * figure's data. While a task changes what the view shows (the flusher committing, say), the
   * view is asked again after each slice, for up to SETTLE_LIMIT_NS of the machine's time.
   */
  inspect(request: ViewRequest): Promise<InspectionAnswer> {
    const inspected = host;
    const running = driver;
    const deadline = (inspected?.machine.clock.now ?? 0) + SETTLE_LIMIT_NS;
    return inspector.inspectSettled(
      request,
      async () =>
        inspected !== null &&
        host === inspected &&
        inspected.machine.clock.now < deadline &&
        (await running?.nextSlice()) === true,
    );
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
    const [{ findExercise, freshSeed, runChecks, sources }, files] = await Promise.all([
      loadChecks(),
      loadBookFiles(),
    ]);
    const exercise = findExercise(exerciseId);
    const seed = freshSeed();
    const results: CheckResult[] = [];
    for (const [index, check] of exercise.checks.entries()) {
      beat('building', 0);
      const [result] = await runChecks(
        { ...exercise, checks: [check] },
        sources,
        overrides,
        files.programs,
        { seed: seed + index, bookDisk: () => diskImage(files.disk).bytes },
      );
      results.push(result!);
      progress(result!);
    }
    return results;
  },
};

export type MachineWorkerApi = typeof api;

expose(api);
milestone('worker-ready');

// Started from the page's HTML (node/early-worker.ts): prepare now, the page's scripts are not running yet.
const named = readWorkerName(self.name);
if (named.first)
  void api.prepare({ ...FIRST_WORKER_PREPARATION, boot: named.ahead }).catch(() => {});
