/**
 * The kernel image the firmware loads: a Multiboot2 header, then every
 * module's text in UTF-8 (non-ASCII text included), the entry address at the
 * entry module's text.
 */
import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../../src/emu/multiboot2';
import { buildKernelImage, KERNEL_LOAD_ADDRESS } from '../../../src/runtime/host/kernel-image';
import { KERNEL_ENTRY_MODULE } from '../../../src/runtime/host/kernel-loader';

const MODULES = {
  'src/kernel/lib/ansi.ts': 'exports.dim = "\\x1b[2m";',
  [KERNEL_ENTRY_MODULE]: 'exports.kernelEntry = () => "boot — ✓ ok";',
  'src/kernel/lib/date.ts': 'exports.day = "lundi, 1ᵉʳ décembre";',
};

describe('the kernel image', () => {
  it('holds every module as UTF-8 after the header, and enters at the entry module', () => {
    const image = buildKernelImage(MODULES);
    const texts = Object.entries(MODULES).map(([file, js]) => `//# ${file}\n${js}\n`);
    const body = new TextEncoder().encode(texts.join(''));
    expect(image.length).toBe(64 + body.length);
    expect(Buffer.from(image.subarray(64)).equals(Buffer.from(body))).toBe(true);
    const layout = parseHeader(image);
    expect(layout.loadAddr).toBe(KERNEL_LOAD_ADDRESS);
    const entryText = new TextEncoder().encode(`//# ${KERNEL_ENTRY_MODULE}\n`);
    const at = layout.entryAddr - KERNEL_LOAD_ADDRESS;
    expect(
      Buffer.from(image.subarray(at, at + entryText.length)).equals(Buffer.from(entryText)),
    ).toBe(true);
  });
});
