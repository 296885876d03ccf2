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

/**
 * Each module's text as image bytes, by file and text: a thread that boots
 * again (a spare worker's rehearsal, then its boot; the tests) encodes only
 * what changed, as a linker relinks only what was recompiled.
 */
const encoded = new Map<string, Uint8Array>();
const encoder = new TextEncoder();

function moduleBytes(file: string, js: string): Uint8Array {
  const text = `//# ${file}\n${js}\n`;
  let bytes = encoded.get(text);
  if (!bytes) {
    bytes = encoder.encode(text);
    encoded.set(text, bytes);
  }
  return bytes;
}

export function buildKernelImage(modules: KernelModules): Uint8Array {
  const texts = Object.entries(modules).map(([file, js]) => ({
    file,
    bytes: moduleBytes(file, js),
  }));
  const size = HEADER_BYTES + texts.reduce((n, t) => n + t.bytes.length, 0);
  const image = new Uint8Array(size);
  let offset = HEADER_BYTES;
  let entryOffset = HEADER_BYTES;
  for (const { file, bytes } of texts) {
    if (file === KERNEL_ENTRY_MODULE) entryOffset = offset;
    image.set(bytes, offset);
    offset += bytes.length;
  }
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
