/**
 * Speed of the display path from a kernel's stores to the page's canvas,
 * host-side: how many full-screen redraws per second reach the host.
 *
 *   fb.fill_fps  a whole 1024×768×32 frame written into the linear
 *                framebuffer (0xFD000000) row by row through physical memory,
 *                as a kernel's blit does, then `takeFramebufferUpdate()` turns
 *                the dirty tiles into RGBA patches for the page; frames per
 *                second over about a second
 *
 * The frame changes colour each time, so every tile is dirty and converted.
 * The worker-to-page transfer and putImageData are not part of it.
 */
import { CottonPC, DEFAULT_FRAMEBUFFER } from '../emu/machine';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const DURATION_MS = 1000;

const round = (n: number): number => Math.round(n * 1000) / 1000;

function fillFps(): Result {
  const pc = new CottonPC({
    kernel: { entry: function* () {}, image: new Uint8Array(0) },
    ramBytes: 4 << 20,
  });
  const { addr, pitch, width, height } = DEFAULT_FRAMEBUFFER;
  const row = new Uint32Array(width);
  const rowBytes = new Uint8Array(row.buffer);
  pc.takeFramebufferUpdate(); // the power-on screen
  const drawFrame = (frame: number): void => {
    row.fill(0xff000000 | ((frame * 0x010203) & 0xffffff));
    for (let y = 0; y < height; y++) pc.memory.writeBytes(addr + y * pitch, rowBytes);
    if (pc.takeFramebufferUpdate().patches.length === 0)
      throw new Error('fb.fill_fps: the frame reached no patch');
  };
  drawFrame(0);
  const start = performance.now();
  let frames = 0;
  while (performance.now() - start < DURATION_MS) drawFrame(++frames);
  return {
    name: 'fb.fill_fps',
    value: round((frames * 1000) / (performance.now() - start)),
    unit: 'frames/s',
  };
}

export function fbBenchmarks(): Result[] {
  return [fillFps()];
}
