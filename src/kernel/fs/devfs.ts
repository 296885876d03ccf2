/**
 * DevFS: the device files under /dev.
 *
 * Models: Unix device special files (Linux's devtmpfs, Plan 9's #c). A
 * device is an inode with no data blocks: reading or writing it calls the
 * driver. DevFS is a file system of its own, mounted on /dev, whose root
 * directory lists the devices the kernel has:
 *
 *   null     reads end at once, writes vanish
 *   zero     reads give zero bytes, writes vanish
 *   random   reads give bytes from the kernel's random pool (lib/random.ts)
 *   console  the serial console, as a terminal (line editing, Ctrl-D)
 *   hda      the ATA disk, read-only while its file system is mounted
 */
import type { Console } from '../drivers/console';
import { ConsoleFile } from './console-file';
import type { RandomPool } from '../lib/random';
import { SyscallError } from '../lib/errno';
import type { BlockDevice, Io } from './block-device';
import { BLOCK_SIZE } from './block-device';
import { FixedDirectory, FixedFile } from './fixed-tree';
import type { OpenFile } from './open-file';
import { FsError } from './vfs';
import type { DirEntry, FileSystem, FsStats, Inode, Stat } from './vfs';

const ROOT_NUMBER = 1;

/** What a device does on read and write; the offset matters only to the disk. */
export interface Device {
  readonly name: string;
  read(offset: number, buffer: Uint8Array): Io<number>;
  write(offset: number, data: Uint8Array): Io<number>;
  /** Size in bytes, for stat (0 for character devices). */
  readonly size: number;
  /** A device that keeps per-open state (the console's half-read line) opens its own file. */
  open?(): OpenFile;
}

/** The devices every Cotton PC has, plus the disk if there is one. */
export function standardDevices(
  console: Console,
  random: RandomPool,
  ticks: () => number,
  disk: BlockDevice | null,
): Device[] {
  const devices: Device[] = [
    {
      name: 'null',
      size: 0,
      *read() {
        return 0;
      },
      *write(_, data) {
        return data.length;
      },
    },
    {
      name: 'zero',
      size: 0,
      *read(_, buffer) {
        buffer.fill(0);
        return buffer.length;
      },
      *write(_, data) {
        return data.length;
      },
    },
    {
      name: 'random',
      size: 0,
      *read(_, buffer) {
        random.fill(buffer, ticks());
        return buffer.length;
      },
      *write(_, data) {
        return data.length;
      },
    },
    {
      name: 'console',
      size: 0,
      open: () => new ConsoleFile(console),
      *read(_, buffer) {
        const line = yield* console.readLine(buffer.length);
        buffer.set(line);
        return line.length;
      },
      *write(_, data) {
        console.writeBytes(data);
        return data.length;
      },
    },
  ];
  if (disk) devices.push(diskDevice(disk));
  return devices;
}

/** The whole disk as a file of bytes, read block by block through the driver. */
function diskDevice(disk: BlockDevice): Device {
  const size = disk.blockCount * BLOCK_SIZE;
  return {
    name: 'hda',
    size,
    *read(offset, buffer) {
      const count = Math.max(0, Math.min(buffer.length, size - offset));
      const block = new Uint8Array(BLOCK_SIZE);
      for (let done = 0; done < count; ) {
        const at = offset + done;
        yield* disk.readBlock(Math.floor(at / BLOCK_SIZE), block);
        const from = at % BLOCK_SIZE;
        const n = Math.min(BLOCK_SIZE - from, count - done);
        buffer.set(block.subarray(from, from + n), done);
        done += n;
      }
      return count;
    },
    *write() {
      throw new SyscallError('EPERM', 'the disk is mounted: write to it through its files');
    },
  };
}

const notPermitted = (): FsError => new FsError('EPERM', "/dev holds only the kernel's devices");

class DeviceInode extends FixedFile {
  constructor(
    readonly fs: DevFs,
    readonly number: number,
    readonly device: Device,
  ) {
    super();
  }

  protected refusal(): FsError {
    return notPermitted();
  }

  *stat(): Io<Stat> {
    return {
      inode: this.number,
      type: 'device',
      mode: 0o666,
      links: 1,
      size: this.device.size,
      blocks: 0,
      accessTime: 0,
      modifyTime: 0,
      changeTime: 0,
    };
  }
  read(offset: number, buffer: Uint8Array): Io<number> {
    return this.device.read(offset, buffer);
  }
  write(offset: number, data: Uint8Array): Io<number> {
    return this.device.write(offset, data);
  }
  open(): OpenFile | undefined {
    return this.device.open?.();
  }
  *truncate(): Io<void> {} // opening a device with O_TRUNC changes nothing, as on Unix
}

class DevRoot extends FixedDirectory {
  readonly number = ROOT_NUMBER;
  constructor(readonly fs: DevFs) {
    super();
  }

  protected refusal(): FsError {
    return notPermitted();
  }

  *stat(): Io<Stat> {
    return {
      inode: ROOT_NUMBER,
      type: 'directory',
      mode: 0o755,
      links: 2,
      size: 0,
      blocks: 0,
      accessTime: 0,
      modifyTime: 0,
      changeTime: 0,
    };
  }
  *lookup(name: string): Io<Inode> {
    const inode = this.fs.devices.find((d) => d.device.name === name);
    if (!inode) throw new FsError('ENOENT', `no device /dev/${name}`);
    return inode;
  }
  *readdir(): Io<DirEntry[]> {
    return [
      { name: '.', inode: ROOT_NUMBER, type: 'directory' },
      { name: '..', inode: ROOT_NUMBER, type: 'directory' },
      ...this.fs.devices.map((d) => ({
        name: d.device.name,
        inode: d.number,
        type: 'device' as const,
      })),
    ];
  }
}

export class DevFs implements FileSystem {
  readonly name = 'devfs';
  readonly devices: DeviceInode[];
  private readonly rootInode = new DevRoot(this);

  constructor(devices: readonly Device[]) {
    this.devices = devices.map((device, i) => new DeviceInode(this, ROOT_NUMBER + 1 + i, device));
  }

  root(): Inode {
    return this.rootInode;
  }
  *sync(): Io<void> {}
  *stats(): Io<FsStats> {
    return {
      blockSize: BLOCK_SIZE,
      totalBlocks: 0,
      freeBlocks: 0,
      totalInodes: this.devices.length + 1,
      freeInodes: 0,
    };
  }
}
