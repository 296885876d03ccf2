/**
 * Bundled for Chromium by gui-screen-digest.test.ts: the GUI chapter's
 * machine as the book's worker makes it (the user programs, the book's disk
 * built in the browser from the disk/ tree), restored from a snapshot taken in
 * Node: the same kernel command line and the same inputs at the same virtual
 * moments, replayed in fast mode. The kernel is transpiled here from the
 * sources, as Node does: the book ships it with its comments blanked, which
 * leaves what the machine prints the same (test/runtime/node/strip-comments
 * .test.ts) but not the bytes of the kernel image in RAM, which a snapshot's
 * restore checks.
 *
 * `screenAfter` answers with two digests of the screen: the display adapter's
 * framebuffer, and what the page's canvas shows once ScreenView has drawn
 * the framebuffer's update, the way a chapter's page draws it.
 */
import '../../src/runtime/host/transpile';
import { diskFiles, programs, sources } from 'virtual:cotton-kernel';
import { sha256, toHex } from '../../src/emu/sha256';
import { ScreenView } from '../../src/runtime/browser/screen-view';
import { buildBookDisk } from '../../src/runtime/host/book-disk';
import { MachineHost } from '../../src/runtime/host/machine-host';
import { screenDigest } from '../../src/runtime/host/screen-capture';

let bookDisk: Uint8Array | null = null;

export interface ScreenDigests {
  readonly framebuffer: string;
  readonly canvas: string;
}

/** Restore the snapshot (replay, then the machine's state digests checked) and digest its screen. */
export function screenAfter(snapshot: Uint8Array): ScreenDigests {
  bookDisk ??= buildBookDisk(programs, { files: diskFiles });
  const host = MachineHost.restore(snapshot, sources, {
    programs,
    disk: { bytes: bookDisk.slice() },
  });
  const canvas = document.createElement('canvas');
  const view = new ScreenView(canvas, { key() {}, pointer() {}, drawn() {} });
  view.draw(host.machine.takeFramebufferUpdate());
  const { width, height } = canvas;
  const shown = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
  return {
    framebuffer: screenDigest(host.machine),
    canvas: toHex(sha256(new Uint8Array(shown.buffer, shown.byteOffset, shown.length))),
  };
}
