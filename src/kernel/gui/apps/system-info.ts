/**
 * System Info: the kernel's vital signs in a window, updated live.
 *
 * Shows what the shell's `info`, `mem`, `df`, `ps` and `uptime` print, read
 * from the same places: the version constants, the frame allocator and the
 * kernel heap, each mounted file system's statistics, the scheduler's task
 * table and the PIT. Once a second (the desktop's clock tick) it reads them
 * again; the file system statistics may have to read the disk, so they are
 * fetched as a job on the desktop thread, not inside the tick.
 */
import type { KeyEvent } from '../../drivers/ps2-keyboard';
import { formatDuration, formatSize } from '../../lib/format';
import { KERNEL_EDITION, KERNEL_NAME, KERNEL_VERSION } from '../../lib/version';
import { FRAME_SIZE } from '../../mm/frame-allocator';
import { allTasks } from '../../sched/scheduler';
import type { App, AppMouseEvent } from '../app';
import type { DesktopServices } from '../desktop-services';
import type { Surface } from '../surface';

const PADDING = 12;
const LINE_SPACING = 4;
const LABEL_COLUMNS = 14;
const BACKGROUND = 0xfafafa;
const LABEL_COLOUR = 0x505050;
const VALUE_COLOUR = 0x101010;
const MICROS_PER_SECOND = 1_000_000;

export class SystemInfo implements App {
  readonly title = 'System Info';
  readonly preferredSize = { width: 440, height: 250 };
  private fileSystems: string[] = [];
  private shownSecond = -1;

  constructor(private readonly services: DesktopServices) {
    this.refreshFileSystems();
  }

  /** Label and value rows, read now. */
  rows(): Array<[string, string]> {
    const { memory, pit } = this.services.kernel;
    const frames = memory.frames;
    const heap = memory.heap.stats();
    const tasks = allTasks();
    const user = tasks.filter((task) => task.kind === 'user').length;
    return [
      ['Kernel', `${KERNEL_NAME} ${KERNEL_VERSION} (${KERNEL_EDITION})`],
      [
        'Memory',
        `${formatSize(frames.usedFrames * FRAME_SIZE)} used of ${formatSize(frames.totalFrames * FRAME_SIZE)}`,
      ],
      ['Kernel heap', `${formatSize(heap.usedBytes)} of ${formatSize(heap.sizeBytes)}`],
      ...this.fileSystems.map((line, i): [string, string] => [i === 0 ? 'File systems' : '', line]),
      ['Processes', `${tasks.length} tasks (${user} user, ${tasks.length - user} kernel)`],
      ['Uptime', formatDuration(pit.uptimeMicros())],
    ];
  }

  draw(surface: Surface): void {
    const { font } = this.services;
    surface.fillRect(surface.bounds, BACKGROUND);
    this.rows().forEach(([label, value], i) => {
      const y = PADDING + i * (font.height + LINE_SPACING);
      surface.drawText(font, PADDING, y, label, LABEL_COLOUR);
      surface.drawText(font, PADDING + LABEL_COLUMNS * font.width, y, value, VALUE_COLOUR);
    });
  }

  /** A new second of uptime: everything may have changed. */
  onTick(): boolean {
    const second = Math.floor(this.services.kernel.pit.uptimeMicros() / MICROS_PER_SECOND);
    if (second === this.shownSecond) return false;
    this.shownSecond = second;
    this.refreshFileSystems();
    return true;
  }

  private refreshFileSystems(): void {
    const vfs = this.services.kernel.vfs;
    this.services.perform(this, () => this.readFileSystems(vfs.mountTable()));
  }

  private *readFileSystems(
    mounts: ReturnType<DesktopServices['kernel']['vfs']['mountTable']>,
  ): Generator<void, void, void> {
    const lines: string[] = [];
    for (const { path, fs } of mounts) {
      const s = yield* fs.stats();
      const used = formatSize((s.totalBlocks - s.freeBlocks) * s.blockSize);
      lines.push(`${path} ${fs.name}: ${used} of ${formatSize(s.totalBlocks * s.blockSize)}`);
    }
    this.fileSystems = lines;
  }

  onKey(_event: KeyEvent): boolean {
    return false;
  }

  onMouse(_event: AppMouseEvent): boolean {
    return false;
  }
}
