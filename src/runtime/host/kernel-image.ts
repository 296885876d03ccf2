/**
 * Builds the kernel image the firmware loads: a Multiboot2 header, then the
 * kernel's modules as text, as a linker script would lay out a real kernel.
 *
 * The image is what occupies the kernel's physical memory from 1 MiB on (so the
 * frame allocator has a real extent to keep free), and its header is checked by
 * the firmware exactly as GRUB checks CottonOS's. The entry address points at
 * the entry module's text. The code that runs is the linked module functions
 * (kernel-loader.ts); the image is their load-time footprint.
 */
import { buildHeader } from '../../emu/multiboot2';
import { KERNEL_ENTRY_MODULE, type KernelModules } from './kernel-loader';

export const KERNEL_LOAD_ADDRESS = 0x100000;
/** Room reserved after the image for the kernel's BSS (boot stack, early tables). */
const BSS_BYTES = 64 * 1024;
const HEADER_BYTES = 64;

const encoder = new TextEncoder();

/** A module as it lies in the image: a comment line naming its file, then its text. */
const moduleText = (file: string, js: string): string => `//# ${file}\n${js}\n`;

/**
 * The image of these modules: the header, then each module's text in UTF-8,
 * encoded straight into place (a browser's TextEncoder.encode makes a new
 * array per call and is about twice as slow as encodeInto for the kernel's
 * megabyte).
 */
export function buildKernelImage(modules: KernelModules): Uint8Array {
  const texts = Object.entries(modules).map(([file, js]) => ({ file, text: moduleText(file, js) }));
  // Room for the worst case, 3 bytes of UTF-8 per UTF-16 unit; only what is written is used.
  const room = new Uint8Array(HEADER_BYTES + texts.reduce((n, t) => n + 3 * t.text.length, 0));
  let size = HEADER_BYTES;
  let entryOffset = HEADER_BYTES;
  for (const { file, text } of texts) {
    if (file === KERNEL_ENTRY_MODULE) entryOffset = size;
    size += encoder.encodeInto(text, room.subarray(size)).written;
  }
  const image = room.subarray(0, size);
  const loadEnd = KERNEL_LOAD_ADDRESS + size;
  image.set(
    buildHeader({
      headerAddr: KERNEL_LOAD_ADDRESS,
      loadAddr: KERNEL_LOAD_ADDRESS,
      loadEndAddr: loadEnd,
      bssEndAddr: loadEnd + BSS_BYTES,
      entryAddr: KERNEL_LOAD_ADDRESS + entryOffset,
    }),
  );
  return image;
}
