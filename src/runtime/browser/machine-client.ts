/**
 * The page's side of a machine worker: starts the worker, talks to it through
 * comlink, and watches it with a Watchdog fed by the beats the worker sends
 * from inside its run loop (worker/liveness.ts) on a port of their own.
 *
 * The short watchdog runs only while a machine runs: a beat saying the worker
 * builds a kernel (transpiles, links, makes a disk) disarms it, since no kernel
 * loop can run then, and a beat from a machine whose virtual clock moved feeds
 * it. A build gets a long timeout of its own, for a reader's loop at the top
 * level of a module, which runs while the kernel is linked.
 *
 * Every machine gets a fresh worker (a Reboot too): a worker stuck in a
 * reader's loop can only be terminated, never reused, and a fresh worker also
 * means fresh module state. A Reboot's worker is usually started ahead, once
 * the page is idle (`prepareSpareWorker`). A new machine runs as soon as its
 * kernel links, but its session holds its reports until `start()`, so the page
 * can keep the old machine while the new one is linked and drop the new one
 * if the reader's code does not compile; meanwhile it boots.
 *
 * The machines of a page share the reader's disk (disk-store.ts), which each
 * worker stores itself. A reboot's machine takes the disk from the machine it
 * replaces, in memory, straight from worker to worker (`handOverDisk`), while
 * it links, rather than reading it back from IndexedDB, which took most of a
 * reboot; the old machine stops storing then, and stores again if the new one
 * is not adopted. Before a new machine loads
 * the disk, every other live machine of the page stores its pending writes;
 * the same happens when the page is hidden or unloaded (`pagehide`), so a
 * reload finds what was written.
 */
import { proxy, transfer, type Remote } from 'comlink';
import type { MachineState, MachineStats } from '../../emu/machine';
import type { CheckResult } from '../host/exercise';
import type { InspectionAnswer, ViewRequest } from '../host/kernel-inspection';
import type { RecordingOptions } from '../worker/machine-recording';
import type {
  BootResult,
  DiskStatus,
  MachineOptions,
  MachineReport,
  MachineWorkerApi,
} from '../worker/machine-worker';
import { isLive } from '../host/realtime';
import type { Beat } from '../worker/liveness';
import { Watchdog } from './watchdog';
import { whenPageIdle } from './page-idle';
import { startWorker, takeFirstWorker, type WorkerHandle } from './machine-worker-start';

/**
 * A running machine that shows no progress for this long is stuck in a kernel loop. A working
 * machine beats every 100 ms; its longest slice (a check's page tables) takes about 0.4 s on a
 * loaded machine, which leaves room for a laptop several times slower.
 */
export const WATCHDOG_MS = 1500;
/** Building a kernel (transpile, link, disk) for this long: a loop at the top level of a module. */
export const BUILD_TIMEOUT_MS = 60_000;

export class WatchdogError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the kernel made no progress for ${timeoutMs / 1000} s`);
    this.name = 'WatchdogError';
  }
}

export class BuildTimeoutError extends Error {
  constructor() {
    super(
      `the kernel was still being built after ${BUILD_TIMEOUT_MS / 1000} s: a loop at the top level of a module?`,
    );
    this.name = 'BuildTimeoutError';
  }
}

export interface SessionEvents {
  report(report: MachineReport): void;
  /** The worker went silent and was terminated. */
  watchdog(): void;
}

/** How long a reboot waits for the old machine to store its disk (a hung worker never answers). */
const DISK_FLUSH_WAIT_MS = 2000;

/** The page's machines that hold the reader's disk. */
const liveSessions = new Set<MachineSession>();
/** The book-disk version the workers last reported (the page's Reset and Upload name the stored disk by it). */
let diskVersion: string | null = null;

export function knownDiskVersion(): string | null {
  return diskVersion;
}

/** Have every live machine of the page (but those in `except`) store its disk's pending writes. */
export async function flushLiveDisks(...except: (MachineSession | null)[]): Promise<void> {
  const waits = [...liveSessions]
    .filter((session) => !except.includes(session))
    .map((session) => session.flushDisk());
  await Promise.all(waits);
}

if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => void flushLiveDisks());
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) void flushLiveDisks();
  });
}

/**
 * A worker started ahead, while the page is idle, for the next machine (a
 * Reboot): its script loaded and its kernel compiled, and the transpiler too
 * when the reader edits, with the reader's edits transpiled as they come
 * (`noteEdits`), so a reboot waits only for its own disk and boot.
 */
let spare: WorkerHandle | null = null;

function takeWorker(): WorkerHandle {
  const handle = spare ?? takeFirstWorker() ?? startWorker();
  spare = null;
  return handle;
}

/** Whether the spare loads the transpiler too (the reader edits). */
let spareWithTranspiler = false;
/** Whether the spare started outside the book's service worker (see below). */
let spareUncontrolled = false;

/** Have a spare worker ready for the next Reboot, started once the page is idle (page-idle.ts). */
export function prepareSpareWorker(withTranspiler: boolean): void {
  spareWithTranspiler = withTranspiler;
  const prepare = (): void => {
    if (!spare) {
      spare = startWorker();
      spareUncontrolled = 'serviceWorker' in navigator && !navigator.serviceWorker.controller;
    }
    void spare.api
      .prepare({ transpiler: withTranspiler, disk: false, rehearse: true })
      .catch(() => {});
    if (withTranspiler) pretranspile();
  };
  whenPageIdle(prepare);
}

/** How long after the reader's last change the spare worker transpiles the edits. */
const PRETRANSPILE_DELAY_MS = 200;
/** The reader's edits, as `noteEdits` last got them. */
let latestEdits: () => Readonly<Record<string, string>> = () => ({});
let editsTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * The reader changed an edit (`edits` gives them all): once they pause, the
 * spare worker transpiles and compiles them ahead, so a Reboot with the same
 * text does neither (the worker keeps them by file and text; an edit that
 * does not compile is left for the Reboot to report).
 */
export function noteEdits(edits: () => Readonly<Record<string, string>>): void {
  latestEdits = edits;
  if (editsTimer !== null) clearTimeout(editsTimer);
  editsTimer = setTimeout(() => {
    editsTimer = null;
    pretranspile();
  }, PRETRANSPILE_DELAY_MS);
}

function pretranspile(): void {
  const edits = latestEdits();
  if (spare && Object.keys(edits).length > 0) void spare.api.pretranspile(edits).catch(() => {});
}

/**
 * A spare started before the book's service worker (browser/offline.ts) took
 * the page is outside it: what it loads later (the transpiler, for a Reboot
 * with edits) would come from the network, perhaps gone by then. Once the
 * service worker takes the page, the spare is started again under it.
 */
if (typeof navigator !== 'undefined' && 'serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!spare || !spareUncontrolled) return;
    spare.worker.terminate();
    spare = null;
    prepareSpareWorker(spareWithTranspiler);
  });
}

/**
 * The two watchdogs over a worker, fed by its beats: `stuck` when a running
 * machine stops making progress, `buildTimedOut` when a build never ends.
 */
class Liveness {
  private readonly running: Watchdog;
  private readonly building: Watchdog;
  private lastVirtualNs = -1;
  private enabled = true;

  constructor(api: Remote<MachineWorkerApi>, stuck: () => void, buildTimedOut: () => void) {
    this.running = new Watchdog(WATCHDOG_MS, stuck);
    this.building = new Watchdog(BUILD_TIMEOUT_MS, buildTimedOut);
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<Beat>) => this.onBeat(event.data);
    void api.watch(transfer(channel.port2, [channel.port2]));
  }

  /** The machine made progress (or is about to run): the short watchdog counts from now. */
  progress(): void {
    if (!this.enabled) return;
    this.building.disarm();
    this.running.feed();
  }

  /** Stop watching (paused, stopped, disposed) until `enable()`. */
  disable(): void {
    this.enabled = false;
    this.running.disarm();
    this.building.disarm();
  }

  enable(): void {
    this.enabled = true;
  }

  private onBeat(beat: Beat): void {
    if (!this.enabled) return;
    if (beat.activity === 'building') {
      this.running.disarm();
      this.building.feed();
    } else if (beat.virtualNs !== this.lastVirtualNs || !this.running.armed) {
      this.progress();
    }
    this.lastVirtualNs = beat.virtualNs;
  }
}

export class MachineSession {
  private readonly handle: WorkerHandle;
  private readonly api: Remote<MachineWorkerApi>;
  private readonly liveness: Liveness;
  private disposed = false;
  private paused = false;
  private state: MachineState = 'off';
  /** What the machine reported before the page adopted it (`start`); null after. */
  private held: MachineReport[] | null = [];
  /** Rejects when the worker fails or the watchdog stops it: no pending call will ever answer then. */
  private readonly lost: Promise<never>;
  private loseWorker!: (error: Error) => void;

  constructor(private readonly events: SessionEvents) {
    this.handle = takeWorker();
    this.api = this.handle.api;
    this.liveness = new Liveness(
      this.api,
      () => this.bark(new WatchdogError(WATCHDOG_MS)),
      () => this.bark(new BuildTimeoutError()),
    );
    this.lost = new Promise<never>((_, reject) => {
      this.loseWorker = reject;
      this.handle.failed.catch(reject);
    });
    this.lost.catch(() => {});
  }

  /**
   * Transpile and link the kernel with these edits, and boot it; the page sees
   * nothing of it until `start()`. The machine takes its disk from `replaces`,
   * the machine it is to replace, if that one gives it; if this one is not to
   * be adopted (it fails to build), `replaces` keeps it. Rejects with a
   * WatchdogError or BuildTimeoutError if the new kernel hangs (the worker is
   * then terminated). With no machine to replace or store, the worker is asked
   * at once, before the caller goes on (a page's first machine boots while the
   * page sets up its terminal).
   */
  async boot(options: MachineOptions, replaces: MachineSession | null = null): Promise<BootResult> {
    const sink = proxy((report: MachineReport) => this.onReport(report));
    // Without a machine to take the disk from, it is loaded from storage: the others store first.
    if (!replaces && liveSessions.size > 0) await flushLiveDisks(this);
    // With one, the worker transpiles and links while the disk comes, from worker to worker.
    const channel = replaces ? new MessageChannel() : null;
    const diskPort = channel && transfer(channel.port2, [channel.port2]);
    const booting = this.api.boot(options, sink, diskPort);
    const handedOver = replaces && channel ? await this.passDisk(replaces, channel.port1) : false;
    const result = await Promise.race([booting, this.lost]).catch((error: unknown) => {
      if (handedOver) replaces?.resumeDisk();
      throw error;
    });
    if (handedOver && !(result.ok && result.disk.source === 'handed over')) replaces?.resumeDisk();
    if (!result.ok) this.liveness.disable();
    else {
      diskVersion = result.disk.version;
      const { source, bytes, openMs, persistent, problem } = result.disk;
      console.debug(
        `cotton disk: ${source} (${bytes} bytes) in ${openMs} ms${persistent ? '' : ', not persistent'}${problem ? `: ${problem}` : ''}`,
      );
      if (!this.disposed) liveSessions.add(this);
    }
    return result;
  }

  /** The page adopted the machine: show what it reported so far, and all it reports from now on. */
  start(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const report of held) this.events.report(report);
  }

  /**
   * Have `replaces` pass its disk to this machine's worker on `port`, once
   * every other live machine of the page has stored its writes (if none
   * comes, this one loads the stored disk); whether it was passed.
   */
  private async passDisk(replaces: MachineSession, port: MessagePort): Promise<boolean> {
    await flushLiveDisks(this, replaces);
    const given = await replaces.handOverDisk(port);
    if (!given) void this.api.loadStoredDisk();
    return given;
  }

  /** Store the disk's pending writes; resolves with null, or a message (never waits on a hung worker for long). */
  flushDisk(): Promise<string | null> {
    const timeout = new Promise<string>((resolve) =>
      setTimeout(() => resolve('the machine did not answer'), DISK_FLUSH_WAIT_MS),
    );
    return Promise.race([this.api.flushDisk(), this.lost, timeout]).catch(
      (error: Error) => error.message,
    );
  }

  /**
   * Give this machine's disk to the one that replaces it, whose worker holds
   * the other end of `to`; whether it gave it (false if it has none to give,
   * or does not answer soon).
   */
  handOverDisk(to: MessagePort): Promise<boolean> {
    const timeout = new Promise<boolean>((resolve) =>
      setTimeout(() => resolve(false), DISK_FLUSH_WAIT_MS),
    );
    return Promise.race([this.api.handOverDisk(transfer(to, [to])), this.lost, timeout]).catch(
      () => false,
    );
  }

  /** The disk's bytes now (Download); null without a disk. */
  diskImage(): Promise<Uint8Array | null> {
    return Promise.race([this.api.diskImage(), this.lost]);
  }

  /** The machine's network frames since it booted, as a pcap file (Download capture). */
  networkCapture(): Promise<{ bytes: Uint8Array; truncated: boolean }> {
    return Promise.race([this.api.networkCapture(), this.lost]);
  }

  /** Store what is pending and stop storing (Reset and Upload replace the stored disk next); null or why it failed. */
  suspendDisk(): Promise<string | null> {
    return Promise.race([this.api.suspendDisk(), this.lost]);
  }

  /** Store the disk again (the stored disk was not replaced). */
  resumeDisk(): void {
    void this.api.resumeDisk();
  }

  /** Where the disk came from and what was stored so far. */
  diskStatus(): Promise<DiskStatus | null> {
    return Promise.race([this.api.diskStatus(), this.lost]);
  }

  /** A view of the running kernel, a figure's data (src/kernel/inspect/views.ts). */
  inspect(request: ViewRequest): Promise<InspectionAnswer> {
    return Promise.race([this.api.inspect(request), this.lost]);
  }

  /** The machine's counters (virtual time, timer ticks, interrupts, console bytes). */
  stats(): Promise<MachineStats | null> {
    return this.api.stats();
  }

  input(text: string): void {
    void this.api.input(text);
  }

  /** A key pressed or released on the screen, for the PS/2 keyboard. */
  keyEvent(code: string, pressed: boolean): void {
    void this.api.keyEvent(code, pressed);
  }

  /** The pointer is at (x, y) on the screen (framebuffer pixels) with these buttons, for the PS/2 mouse. */
  pointerTo(x: number, y: number, buttons: number): void {
    void this.api.pointerTo(x, y, buttons);
  }

  /** A screen update's pixels are on the canvas: the worker may fill their buffer again. */
  screenDrawn(buffer: ArrayBuffer): void {
    void this.api.screenDrawn(transfer(buffer, [buffer]));
  }

  /** Record what the machine prints and the reader types, from now on (the Record button). */
  startRecording(options: RecordingOptions): void {
    void this.api.startRecording(options);
  }

  /** The recording so far as .nex bytes (null if none); `stop` ends it. */
  saveRecording(stop: boolean): Promise<Uint8Array | null> {
    return Promise.race([this.api.saveRecording(stop), this.lost]);
  }

  pause(): void {
    this.paused = true;
    this.liveness.disable();
    void this.api.pause();
  }

  resume(): void {
    if (!this.paused || this.disposed) return;
    this.paused = false;
    if (isLive(this.state)) {
      this.liveness.enable();
      this.liveness.progress();
    }
    void this.api.resume();
  }

  dispose(): void {
    this.disposed = true;
    liveSessions.delete(this);
    this.liveness.disable();
    this.handle.worker.terminate();
  }

  private onReport(report: MachineReport): void {
    if (this.disposed) return;
    this.state = report.state;
    if (!isLive(report.state)) this.liveness.disable();
    else if (!this.paused) this.liveness.progress();
    if (this.held) this.held.push(report);
    else this.events.report(report);
  }

  private bark(error: Error): void {
    this.dispose();
    this.loseWorker(error);
    if (error instanceof WatchdogError) this.events.watchdog();
  }
}

/**
 * Run an exercise's checks in a fresh worker, under the same watchdogs as a
 * machine (a check's machine beats as it runs, in fast mode); `progress`
 * receives each result as it comes. Rejects with WatchdogError if a check's
 * kernel hangs; a check that only runs long in virtual time fails by its own
 * virtual-time limit instead.
 */
export function runChecksInWorker(
  exerciseId: string,
  overrides: Readonly<Record<string, string>>,
  progress: (result: CheckResult) => void,
): Promise<CheckResult[]> {
  const { worker, api, failed } = startWorker();
  return new Promise<CheckResult[]>((resolve, reject) => {
    failed.catch(reject);
    const stop = (error: Error): void => {
      worker.terminate();
      reject(error);
    };
    const liveness = new Liveness(
      api,
      () => stop(new WatchdogError(WATCHDOG_MS)),
      () => stop(new BuildTimeoutError()),
    );
    api
      .runChecks(exerciseId, overrides, proxy(progress))
      .then(resolve, reject)
      .finally(() => {
        liveness.disable();
        worker.terminate();
      });
  });
}
