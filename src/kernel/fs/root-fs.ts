/**
 * The root file system until the disk is mounted: CottonFS on a RAM disk,
 * filled with the programs the boot loader brought as modules.
 *
 * Models: Linux's initramfs. The boot loader loads the user programs next to
 * the kernel as Multiboot2 modules, each named by the path it should have
 * ("/bin/hello"); the kernel formats a RAM disk, mounts it as "/", and copies
 * each module to its path, so that `exec` finds programs in the file system
 * like on any Unix. The RAM disk holds real CottonFS structures, the same
 * code as on the ATA disk, only kept in kernel memory.
 */
import type { MachineInterface } from '../../emu/machine-interface';
import type { BootModule } from '../boot/multiboot2';
import { MemoryBlockDevice, runToCompletion } from './block-device';
import { CottonFs, format } from './cottonfs';
import type { Clock } from './cottonfs';
import { Vfs } from './vfs';

/** 8 MiB: the programs, and room for a reader's files in /tmp. */
export const RAM_DISK_BLOCKS = 2048;
const DIRECTORIES = ['/bin', '/tmp', '/home', '/etc'];

/** The path a module is installed at: its name if that is a path, else /bin/NAME. */
function modulePath(module: BootModule): string {
  return module.name.startsWith('/') ? module.name : `/bin/${module.name}`;
}

/** Format and mount the RAM disk, and install the boot modules; returns the VFS and the paths installed. */
export function createRootFs(cpu: MachineInterface, modules: readonly BootModule[], clock: Clock): { vfs: Vfs; installed: string[] } {
  const device = MemoryBlockDevice.ofSize(RAM_DISK_BLOCKS);
  runToCompletion(format(device, { clock, label: 'ramdisk' }));
  const vfs = new Vfs(runToCompletion(CottonFs.mount(device, clock)));
  for (const directory of DIRECTORIES) runToCompletion(vfs.mkdirs(directory));
  const installed = modules.map((module) => {
    const path = modulePath(module);
    runToCompletion(vfs.writeFile(path, cpu.readBytes(module.start, module.end - module.start)));
    return path;
  });
  runToCompletion(vfs.rootFs.sync());
  return { vfs, installed };
}
