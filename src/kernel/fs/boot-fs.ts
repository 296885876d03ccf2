/**
 * BootFS: the boot modules as a read-only file system, mounted on /bin.
 *
 * Models: an initramfs, in its simplest form. The boot loader has already
 * put each user program in physical memory as a Multiboot2 module named by
 * its path ("/bin/hello"), and those frames stay reserved for good (see
 * mm/kernel-memory.ts), so the files need no disk and no copy: reading one
 * reads the module's bytes where they lie. Nothing can be written, which is
 * also what keeps the programs exactly those that came with the kernel.
 */
import type { MachineInterface } from '../../emu/machine-interface';
import type { BootModule } from '../arch/multiboot2';
import type { Io } from './block-device';
import { BLOCK_SIZE } from './block-device';
import { FixedDirectory, FixedFile } from './fixed-tree';
import { FsError } from './vfs';
import type { DirEntry, FileSystem, FsStats, Inode, Stat } from './vfs';

const ROOT_NUMBER = 1;
export const BOOT_FILE_MODE = 0o555;

/** The file name of a module: "/bin/hello" → "hello". */
export function moduleFileName(module: BootModule): string {
  return module.name.slice(module.name.lastIndexOf('/') + 1);
}

const readOnly = (): FsError => new FsError('EROFS', 'the boot modules are read-only');

class ModuleInode extends FixedFile {
  constructor(
    readonly fs: BootFs,
    readonly number: number,
    private readonly module: BootModule,
  ) {
    super();
  }

  protected refusal(): FsError {
    return readOnly();
  }

  private get size(): number {
    return this.module.end - this.module.start;
  }

  *stat(): Io<Stat> {
    const blocks = Math.ceil(this.size / BLOCK_SIZE);
    return {
      inode: this.number,
      type: 'file',
      mode: BOOT_FILE_MODE,
      links: 1,
      size: this.size,
      blocks,
      accessTime: this.fs.bootTime,
      modifyTime: this.fs.bootTime,
      changeTime: this.fs.bootTime,
    };
  }

  *read(offset: number, buffer: Uint8Array): Io<number> {
    const count = Math.max(0, Math.min(buffer.length, this.size - offset));
    if (count > 0) buffer.set(this.fs.cpu.readBytes(this.module.start + offset, count));
    return count;
  }

  write(): Io<number> {
    throw readOnly();
  }

  truncate(): Io<void> {
    throw readOnly();
  }
}

class BootRoot extends FixedDirectory {
  readonly number = ROOT_NUMBER;
  constructor(readonly fs: BootFs) {
    super();
  }

  protected refusal(): FsError {
    return readOnly();
  }

  *stat(): Io<Stat> {
    return {
      inode: ROOT_NUMBER,
      type: 'directory',
      mode: BOOT_FILE_MODE,
      links: 2,
      size: 0,
      blocks: 0,
      accessTime: this.fs.bootTime,
      modifyTime: this.fs.bootTime,
      changeTime: this.fs.bootTime,
    };
  }

  *lookup(name: string): Io<Inode> {
    const file = this.fs.files.get(name);
    if (!file) throw new FsError('ENOENT', `no program ${name}`);
    return file;
  }

  *readdir(): Io<DirEntry[]> {
    return [
      { name: '.', inode: ROOT_NUMBER, type: 'directory' },
      { name: '..', inode: ROOT_NUMBER, type: 'directory' },
      ...[...this.fs.files].map(([name, file]) => ({
        name,
        inode: file.number,
        type: 'file' as const,
      })),
    ];
  }
}

export class BootFs implements FileSystem {
  readonly name = 'bootfs';
  readonly readOnly = true;
  readonly files = new Map<string, ModuleInode>();
  private readonly rootInode = new BootRoot(this);

  constructor(
    readonly cpu: MachineInterface,
    modules: readonly BootModule[],
    /** Unix time of the boot, the files' times. */
    readonly bootTime: number,
  ) {
    modules.forEach((module, i) =>
      this.files.set(moduleFileName(module), new ModuleInode(this, ROOT_NUMBER + 1 + i, module)),
    );
  }

  root(): Inode {
    return this.rootInode;
  }

  *sync(): Io<void> {}

  *stats(): Io<FsStats> {
    let blocks = 0;
    for (const file of this.files.values()) blocks += (yield* file.stat()).blocks;
    return {
      blockSize: BLOCK_SIZE,
      totalBlocks: blocks,
      freeBlocks: 0,
      totalInodes: this.files.size + 1,
      freeInodes: 0,
    };
  }
}
