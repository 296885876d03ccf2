/**
 * Pipes: a bounded byte buffer with a reading end and a writing end.
 *
 * Models: the Unix pipe (pipe(2), xv6's pipe.c). A reader blocks while the
 * pipe is empty and some writer is open, and gets end of file (0) once every
 * writer has closed; a writer blocks while the pipe is full, and gets EPIPE if
 * no reader is left. Both ends are open files, so they survive fork and dup.
 */
import { SyscallError } from '../lib/errno';
import { WaitQueue } from '../sched/wait-queue';
import type { Io } from './block-device';
import type { OpenFile } from './open-file';
import type { Stat } from './vfs';

export const PIPE_CAPACITY = 4096;

class PipeBuffer {
  readonly data = new Uint8Array(PIPE_CAPACITY);
  start = 0;
  length = 0;
  readers = 1;
  writers = 1;
  readonly changed = new WaitQueue();
}

abstract class PipeEnd implements OpenFile {
  references = 0;
  constructor(protected readonly pipe: PipeBuffer) {}
  abstract read(buffer: Uint8Array): Io<number>;
  abstract write(data: Uint8Array): Io<number>;
  abstract release(): void;

  *seek(): Io<number> {
    throw new SyscallError('ESPIPE', 'cannot seek on a pipe');
  }

  *stat(): Io<Stat> {
    return {
      inode: 0,
      type: 'device',
      mode: 0o600,
      links: 1,
      size: this.pipe.length,
      blocks: 0,
      accessTime: 0,
      modifyTime: 0,
      changeTime: 0,
    };
  }
}

class PipeReader extends PipeEnd {
  /** Data in the pipe, or no writer left (read returns 0 at once). */
  get inputReady(): boolean {
    return this.pipe.length > 0 || this.pipe.writers === 0;
  }

  *read(buffer: Uint8Array): Io<number> {
    const pipe = this.pipe;
    while (pipe.length === 0 && pipe.writers > 0) yield* pipe.changed.wait();
    const count = Math.min(buffer.length, pipe.length);
    for (let i = 0; i < count; i++) buffer[i] = pipe.data[(pipe.start + i) % PIPE_CAPACITY]!;
    pipe.start = (pipe.start + count) % PIPE_CAPACITY;
    pipe.length -= count;
    pipe.changed.wakeAll();
    return count;
  }

  *write(): Io<number> {
    throw new SyscallError('EBADF', 'the reading end of a pipe is not writable');
  }

  release(): void {
    this.pipe.readers--;
    this.pipe.changed.wakeAll();
  }
}

class PipeWriter extends PipeEnd {
  /** Room in the pipe, or no reader left (the write fails at once with EPIPE). */
  get outputReady(): boolean {
    return this.pipe.length < PIPE_CAPACITY || this.pipe.readers === 0;
  }

  *write(data: Uint8Array): Io<number> {
    const pipe = this.pipe;
    let written = 0;
    while (written < data.length) {
      if (pipe.readers === 0) throw new SyscallError('EPIPE', 'nobody reads the pipe');
      if (pipe.length === PIPE_CAPACITY) {
        yield* pipe.changed.wait();
        continue;
      }
      const count = Math.min(data.length - written, PIPE_CAPACITY - pipe.length);
      for (let i = 0; i < count; i++)
        pipe.data[(pipe.start + pipe.length + i) % PIPE_CAPACITY] = data[written + i]!;
      pipe.length += count;
      written += count;
      pipe.changed.wakeAll();
    }
    return written;
  }

  *read(): Io<number> {
    throw new SyscallError('EBADF', 'the writing end of a pipe is not readable');
  }

  release(): void {
    this.pipe.writers--;
    this.pipe.changed.wakeAll();
  }
}

/** A new pipe: [reading end, writing end]. */
export function createPipe(): [OpenFile, OpenFile] {
  const pipe = new PipeBuffer();
  return [new PipeReader(pipe), new PipeWriter(pipe)];
}
