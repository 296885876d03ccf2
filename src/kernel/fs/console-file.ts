/**
 * The console as an open file: descriptors 0, 1 and 2 of the programs the
 * shell starts, and /dev/console.
 *
 * Models: the file side of a Unix tty. The driver (drivers/console.ts) owns
 * the UART, the input buffer and the line discipline; this file turns it into
 * something `read` and `write` can use, so it sits in the file system layer,
 * above the driver.
 */
import type { Console } from '../drivers/console';
import { SyscallError } from '../lib/errno';
import type { Io } from './block-device';
import type { OpenFile } from './open-file';
import type { Stat } from './vfs';

export class ConsoleFile implements OpenFile {
  references = 0;
  private pending: Uint8Array = new Uint8Array(0);

  constructor(private readonly console: Console) {}

  *read(buffer: Uint8Array): Io<number> {
    if (this.pending.length === 0)
      this.pending = yield* this.console.readLine(Math.max(1, buffer.length));
    const count = Math.min(buffer.length, this.pending.length);
    buffer.set(this.pending.subarray(0, count));
    this.pending = this.pending.subarray(count);
    return count;
  }

  /** Whether a key waits for read (poll); read still waits for the rest of its line. */
  get inputReady(): boolean {
    return this.pending.length > 0 || this.console.hasInput;
  }

  *write(data: Uint8Array): Io<number> {
    this.console.writeBytes(data);
    return data.length;
  }

  *seek(): Io<number> {
    throw new SyscallError('ESPIPE', 'cannot seek on the console');
  }

  *stat(): Io<Stat> {
    return {
      inode: 0,
      type: 'device',
      mode: 0o620,
      links: 1,
      size: 0,
      blocks: 0,
      accessTime: 0,
      modifyTime: 0,
      changeTime: 0,
    };
  }

  release(): void {}
}
