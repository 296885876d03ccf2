/**
 * The machine's Disk menu: Reset disk, Download disk, Download file, Upload disk.
 *
 * The reader's disk is one per site, shared by every chapter's machine and
 * stored in IndexedDB by the machine's worker (disk-store.ts). These controls
 * work on that stored disk from the page:
 *
 * - Reset disk asks first, then forgets the stored disk and reboots: the new
 *   machine finds none and starts from the book's disk.
 * - Download disk saves the running machine's disk as cottonos-disk.img, as
 *   it is now (its pending writes stored first).
 * - Download file asks for a path (the TLS key log by default, for
 *   Wireshark) and saves that one file of the disk as it is now, read with
 *   the kernel's own file system code (host/disk-file.ts).
 * - Upload disk checks the file (disk-image-check.ts) before anything is
 *   touched, so a file that is no CottonFS disk is refused with the reason and
 *   the reader's disk is kept. A good one is stored whole and the machine
 *   reboots on it.
 *
 * Before replacing the stored disk the running machine stores what is pending
 * and stops storing (`suspendDisk`), or it would write its own disk back over
 * the new one; if replacing fails it stores again and nothing is lost.
 */
import { readDiskFile } from '../host/disk-file';
import { diskImageProblem, diskSizeProblem } from '../host/disk-image-check';
import { storeWholeImage } from '../worker/disk-store';
import { IndexedDbChunkStorage } from '../worker/indexeddb-storage';
import { knownDiskVersion, type MachineSession } from './machine-client';

export const DISK_FILE_NAME = 'cottonos-disk.img';
/** What Download file offers first: the TLS key log (kernel/net/tls-key-log.ts). */
export const DEFAULT_DOWNLOAD_PATH = '/var/log/tls-keys.log';

const RESET_QUESTION =
  "Reset disk restores the book's disk: every file you wrote on the machine's disk, in every chapter, is lost. Reset the disk?";

/** What the controls need from their <cotton-machine>. */
export interface DiskControlsHost {
  /** The machine running now, if any. */
  session(): MachineSession | null;
  reboot(): Promise<void>;
  notice(text: string, tone?: 'error' | 'info'): void;
}

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

function storage(): IndexedDbChunkStorage | null {
  return IndexedDbChunkStorage.available() ? new IndexedDbChunkStorage() : null;
}

/** Wire the Disk menu's buttons inside `root` (those missing from the markup are skipped). */
export function installDiskControls(root: HTMLElement, host: DiskControlsHost): void {
  const find = <T extends HTMLElement>(selector: string): T | null =>
    root.querySelector<T>(selector);
  const input = find<HTMLInputElement>('.cm-disk-file');
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('[data-action^="disk-"]')];
  /** Run one disk action at a time, with the buttons disabled meanwhile. */
  const exclusive = (action: () => Promise<void>) => async (): Promise<void> => {
    if (buttons.some((button) => button.disabled)) return;
    for (const button of buttons) button.disabled = true;
    try {
      await action();
    } catch (error) {
      host.notice(
        `The disk action failed: ${error instanceof Error ? error.message : String(error)}`,
        'error',
      );
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  };
  find('[data-action="disk-reset"]')?.addEventListener(
    'click',
    exclusive(() => resetDisk(host)),
  );
  find('[data-action="disk-download"]')?.addEventListener(
    'click',
    exclusive(() => downloadDisk(host)),
  );
  find('[data-action="disk-download-file"]')?.addEventListener(
    'click',
    exclusive(() => downloadFile(host)),
  );
  find('[data-action="disk-upload"]')?.addEventListener('click', () => input?.click());
  input?.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = ''; // choosing the same file again is a new choice
    if (file) void exclusive(() => uploadDisk(host, file))();
  });
}

/**
 * Replace the stored disk by running `replace` on it, with the running machine
 * suspended from storing meanwhile; reboot on success. Returns false (and
 * says why) if the stored disk was kept.
 */
async function replaceStoredDisk(
  host: DiskControlsHost,
  what: string,
  replace: (store: IndexedDbChunkStorage) => Promise<void>,
): Promise<boolean> {
  const store = storage();
  if (!store) {
    host.notice(
      `Could not ${what}: this browser gives the page no IndexedDB, so the disk lives only in the machine's memory.`,
      'error',
    );
    return false;
  }
  const session = host.session();
  const problem = (await session?.suspendDisk()) ?? null;
  if (problem) {
    session?.resumeDisk();
    host.notice(`Could not ${what}: ${problem}. Your disk is unchanged.`, 'error');
    return false;
  }
  try {
    await replace(store);
  } catch (error) {
    session?.resumeDisk();
    host.notice(
      `Could not ${what}: ${error instanceof Error ? error.message : String(error)}. Your disk is unchanged.`,
      'error',
    );
    return false;
  }
  await host.reboot();
  return true;
}

async function resetDisk(host: DiskControlsHost): Promise<void> {
  if (!confirm(RESET_QUESTION)) return;
  // Every version's stored disk: the next machine starts from the book's disk.
  if (await replaceStoredDisk(host, 'reset the disk', (store) => store.clear(null))) {
    host.notice("The disk was reset to the book's disk.");
  }
}

async function downloadDisk(host: DiskControlsHost): Promise<void> {
  const bytes = (await host.session()?.diskImage()) ?? null;
  if (!bytes) {
    host.notice(
      'There is no running machine whose disk could be downloaded. Press Reboot, then Download disk.',
      'error',
    );
    return;
  }
  saveAs(bytes, DISK_FILE_NAME);
}

async function downloadFile(host: DiskControlsHost): Promise<void> {
  const session = host.session();
  if (!session) {
    host.notice('There is no running machine to read a file from. Press Reboot first.', 'error');
    return;
  }
  const path = window.prompt("Path of the file on the machine's disk", DEFAULT_DOWNLOAD_PATH);
  if (!path) return;
  const image = await session.diskImage();
  if (!image) {
    host.notice('This machine has no disk.', 'error');
    return;
  }
  saveAs(readDiskFile(image, path), path.slice(path.lastIndexOf('/') + 1) || 'file');
}

/** Let the browser save `bytes` as `name`. */
function saveAs(bytes: Uint8Array, name: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
  );
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

async function uploadDisk(host: DiskControlsHost, file: File): Promise<void> {
  const refuse = (why: string): void =>
    host.notice(`${file.name} was not used as the disk: ${why}. Your disk is unchanged.`, 'error');
  const sizeProblem = diskSizeProblem(file.size);
  if (sizeProblem) return refuse(sizeProblem);
  const image = new Uint8Array(await file.arrayBuffer());
  const problem = diskImageProblem(image);
  if (problem) return refuse(problem);
  const version = knownDiskVersion();
  if (!version) return refuse('the machine has not started yet; try again once it runs');
  if (
    await replaceStoredDisk(host, `use ${file.name} as the disk`, (store) =>
      storeWholeImage(store, version, image),
    )
  ) {
    host.notice(`The disk is now ${file.name} (${mib(image.length)}).`);
  }
}
