/**
 * The page machine's network capture, for the toolbar's Download capture:
 * every Ethernet frame since power-on as a pcap file (the virtual network's
 * tap, src/emu/net/pcap-writer.ts), kept in memory up to a limit. Past the
 * limit, later frames are left out whole, so the file stays readable and
 * ends where the limit was reached.
 */
import type { CottonPC } from '../../emu/machine';
import { DEFAULT_START_TIME } from '../../emu/machine';

/** The most a capture keeps: a few 1 MiB downloads. */
export const CAPTURE_LIMIT_BYTES = 8 * 1024 * 1024;

export class CaptureBuffer {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private started = false;
  /** Frames were left out because the capture was full. */
  truncated = false;

  constructor(private readonly limit = CAPTURE_LIMIT_BYTES) {}

  /**
   * Capture `machine`'s network from now on, timestamps from the RTC's start
   * date. After a reset the machine is new but the file goes on: its pcap
   * header is written only once.
   */
  attach(machine: CottonPC, startTimeSeconds = DEFAULT_START_TIME): void {
    let skipHeader = this.started;
    this.started = true;
    machine.network.capture((bytes) => {
      if (skipHeader) skipHeader = false;
      else this.add(bytes);
    }, startTimeSeconds);
  }

  private add(bytes: Uint8Array): void {
    if (this.truncated || this.size + bytes.length > this.limit) {
      this.truncated = true;
      return;
    }
    this.chunks.push(bytes.slice());
    this.size += bytes.length;
  }

  /** The pcap file so far. */
  file(): Uint8Array {
    const file = new Uint8Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) {
      file.set(chunk, at);
      at += chunk.length;
    }
    return file;
  }
}
