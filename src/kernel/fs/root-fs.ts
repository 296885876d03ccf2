/**
 * Mounting the root file system, /bin and /dev at boot.
 *
 * Models: what Linux's kernel_init does before it starts /sbin/init —
 * mount the root device, falling back to the initramfs — reduced to the
 * Cotton PC's parts:
 *
 *   /     the ATA disk, if it holds a CottonFS (its journal is replayed as it
 *         mounts); otherwise a RAM disk, so the machine still boots without a
 *         disk or with a blank one, and says why in the log;
 *   /bin  the user programs, which the boot loader brought as Multiboot2
 *         modules named by their paths ("/bin/hello"), read where they lie
 *         (./boot-fs.ts), so the programs always match the kernel, whatever
 *         the disk holds (as an initramfs does);
 *   /dev  DevFS (./devfs.ts).
 *
 * Each CottonFS is mounted behind its lock (./locked-fs.ts), since tasks
 * now share it.
 * The RAM disk holds real CottonFS structures, the same code as on the ATA
 * disk, only kept in kernel memory. Everything here may wait for the disk, so
 * it runs in the first kernel thread, not in `bringUp`.
 */
import type { MachineInterface } from '../../emu/machine-interface';
import { installIrqHandler } from '../arch/interrupts';
import type { BootModule } from '../arch/multiboot2';
import type { Console } from '../drivers/console';
import { AtaDisk, ATA_PRIMARY_IRQ } from '../drivers/ata-disk';
import type { Pic8259Pair } from '../arch/pic8259';
import type { KernelLog } from '../lib/klog';
import type { RandomPool } from '../lib/random';
import { formatSize } from '../lib/format';
import { AtaBlockDevice } from './ata-block-device';
import { BLOCK_SIZE, MemoryBlockDevice } from './block-device';
import type { BlockDevice, Io } from './block-device';
import { CottonFs, format } from './cottonfs/cottonfs';
import type { Clock } from './cottonfs/cottonfs';
import { BootFs } from './boot-fs';
import { DevFs, standardDevices } from './devfs';
import { LockedFs } from './locked-fs';
import { FsError, Vfs } from './vfs';

/** 8 MiB: the root when there is no disk — room for a reader's files in /tmp. */
export const RAM_ROOT_BLOCKS = 2048;
const RAM_ROOT_DIRECTORIES = ['/tmp', '/home', '/etc'];

/** What mounting needs of the booted kernel. */
export interface RootFsContext {
  readonly cpu: MachineInterface;
  readonly pic: Pic8259Pair;
  readonly log: KernelLog;
  readonly console: Console;
  readonly random: RandomPool;
  readonly modules: readonly BootModule[];
  readonly clock: Clock;
  readonly ticks: () => number;
}

/** Mount /, /bin and /dev; returns the VFS. */
export function* mountFileSystems(context: RootFsContext): Io<Vfs> {
  const disk = probeDisk(context);
  const root = (disk && (yield* mountDisk(context, disk))) ?? (yield* ramRoot(context));
  const vfs = new Vfs(new LockedFs(root));
  yield* vfs.mkdirs('/bin');
  yield* vfs.mount('/bin', new BootFs(context.cpu, context.modules, context.clock()));
  context.log.log('fs', `/bin: ${context.modules.length} programs from boot modules (read-only)`);
  yield* vfs.mkdirs('/dev');
  yield* vfs.mount(
    '/dev',
    new DevFs(standardDevices(context.console, context.random, context.ticks, disk)),
  );
  return vfs;
}

/** The primary ATA disk, with its interrupt handler installed, or null if there is none. */
function probeDisk({ cpu, pic, log }: RootFsContext): BlockDevice | null {
  const disk = AtaDisk.probe(cpu);
  if (!disk) {
    log.log('ata', 'no disk on the primary channel');
    return null;
  }
  installIrqHandler(cpu, pic, ATA_PRIMARY_IRQ, () => disk.handleInterrupt());
  log.log(
    'ata',
    `hda: "${disk.identity.model}", ${disk.sectors} sectors (${formatSize(disk.sectors * 512)}), irq ${ATA_PRIMARY_IRQ}`,
  );
  return new AtaBlockDevice(disk);
}

/** Mount the disk's CottonFS as the root, or return null (and say why) if it has none. */
function* mountDisk({ log, clock }: RootFsContext, device: BlockDevice): Io<CottonFs | null> {
  try {
    const fs = yield* CottonFs.mount(device, clock);
    const replayed =
      fs.replayedBlocks > 0 ? `, journal replayed (${fs.replayedBlocks} blocks)` : ', clean';
    const orphans =
      fs.releasedOrphans > 0 ? `, ${fs.releasedOrphans} files unlinked while open freed` : '';
    log.log(
      'fs',
      `root: CottonFS "${fs.superblock.label}" on hda, mount #${fs.superblock.mountCount}${replayed}${orphans}`,
    );
    return fs;
  } catch (error) {
    if (!(error instanceof FsError)) throw error;
    log.log('fs', `hda holds no mountable CottonFS (${error.message})`);
    return null;
  }
}

function* ramRoot({ log, clock }: RootFsContext): Io<CottonFs> {
  const device = MemoryBlockDevice.ofSize(RAM_ROOT_BLOCKS);
  yield* format(device, { clock, label: 'ramdisk' });
  const fs = yield* CottonFs.mount(device, clock);
  for (const directory of RAM_ROOT_DIRECTORIES) yield* new Vfs(fs).mkdirs(directory);
  log.log(
    'fs',
    `root: CottonFS on a ${formatSize(RAM_ROOT_BLOCKS * BLOCK_SIZE)} RAM disk (nothing written survives a reboot)`,
  );
  return fs;
}
