/**
 * The Record button's recording, kept in the machine worker: what the
 * machine prints and what the reader types, timed by the machine's virtual
 * clock (so a recording has the timing the machine had, however busy the
 * page was), saved as a .nex file.
 *
 * It lives next to the machine because only there are the clock and the
 * bytes at hand; per chunk it costs one copy and one array push, nothing the
 * machine would notice. A reboot starts a new worker, so a recording ends
 * with its machine.
 *
 * A recording starts with the line the shell last prompted on (from its OSC
 * 133 prompt mark), already on the screen when Record was pressed: so it
 * opens on a prompt, and the first command's line is in it.
 */
import { DEFAULT_START_TIME } from '../../emu/machine';
import { writeNex } from '../../nex/nex-format';
import { SessionRecorder } from '../../nex/recorder';
import type { MachineHost } from '../host/machine-host';

const OSC133_PROMPT_START = '\x1b]133;A';

export interface RecordingOptions {
  readonly cols: number;
  readonly rows: number;
  readonly title?: string;
  readonly chapter?: string;
}

export class LiveRecording {
  private readonly recorder: SessionRecorder;
  /** The machine's clock when recording started: event times count from here. */
  private readonly startNs: number;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly host: MachineHost,
    options: RecordingOptions,
  ) {
    this.startNs = host.machine.clock.now;
    const powerOn = host.options.startTime ?? DEFAULT_START_TIME;
    this.recorder = new SessionRecorder({
      ...options,
      startTime: powerOn + this.startNs / 1e9,
      defaultCwd: '/',
    });
    const prompt = host.output.lastIndexOf(OSC133_PROMPT_START);
    if (prompt >= 0) this.recorder.output(this.encoder.encode(host.output.slice(prompt)), 0);
  }

  private now(): number {
    return this.host.machine.clock.now - this.startNs;
  }

  output(bytes: Uint8Array): void {
    this.recorder.output(bytes, this.now());
  }

  input(text: string): void {
    this.recorder.input(this.encoder.encode(text), this.now());
  }

  /** The recording so far, as a .nex file. */
  save(): Uint8Array {
    return writeNex(this.recorder.finish(this.now()));
  }
}
