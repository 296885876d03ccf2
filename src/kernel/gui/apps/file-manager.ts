/**
 * File Manager: a window onto the file tree, through the VFS.
 *
 * Models CottonOS's graphical CottonFS browser: a toolbar with a Back button
 * and the current path, then one row per directory entry with a folder or
 * page icon, the name and the size; directories first, then files, each by
 * name. A double click (two presses on the same row within
 * DOUBLE_CLICK_MS, timed by the PIT, so the same clicks behave the same on
 * every run) opens a directory, or a file in the Text Editor; Back returns to
 * where the last directory change came from. The list scrolls with the arrow
 * keys, Page Up / Page Down and the scroll bar; Enter opens the selected row,
 * Backspace goes back.
 *
 * Reading a directory may wait for the disk, so it runs as a job on the
 * desktop thread (desktop-services.ts); the window shows the listing when
 * the job has filled it in.
 */
import type { KeyEvent } from '../../drivers/ps2-keyboard';
import { formatSize } from '../../lib/format';
import { ticksNow } from '../../sched/scheduler';
import type { App, AppMouseEvent } from '../app';
import type { DesktopServices } from '../desktop-services';
import { containsPoint, rect, type Rect } from '../rect';
import type { Color, Surface } from '../surface';

export const DOUBLE_CLICK_MS = 400;
export const TOOLBAR_HEIGHT = 28;
export const ROW_HEIGHT = 22;
const PADDING = 6;
const ICON_SIZE = 16;
const SCROLLBAR_WIDTH = 12;
const BACK_BUTTON = rect(PADDING, 4, 56, TOOLBAR_HEIGHT - 8);
const SIZE_COLUMN_WIDTH = 88;

const BACKGROUND: Color = 0xffffff;
const TOOLBAR: Color = 0xececec;
const BUTTON: Color = 0xd8d8d8;
const BUTTON_DISABLED: Color = 0xe6e6e6;
const TEXT: Color = 0x202020;
const TEXT_DIM: Color = 0x8a8a8a;
const SELECTED: Color = 0xcfe0ff;
const FOLDER: Color = 0xf4c542;
const FOLDER_EDGE: Color = 0xc99a1c;
const PAGE: Color = 0xffffff;
const PAGE_EDGE: Color = 0x7a7a7a;
const TRACK: Color = 0xf0f0f0;
const THUMB: Color = 0xb8b8b8;

export interface FileEntry {
  readonly name: string;
  readonly type: 'directory' | 'file' | 'device' | 'other';
  readonly size: number;
}

/** `name` inside `directory`. */
export function childPath(directory: string, name: string): string {
  return directory === '/' ? `/${name}` : `${directory}/${name}`;
}

export class FileManager implements App {
  readonly preferredSize = { width: 460, height: 360 };
  private entries: FileEntry[] = [];
  private error: string | null = null;
  private readonly history: string[] = [];
  private selected = -1;
  private firstRow = 0;
  private lastPress: { index: number; tick: number } | null = null;
  /** The client area's size at the last draw (the window may have been resized). */
  private viewSize: { width: number; height: number };

  constructor(
    private readonly services: DesktopServices,
    private path: string,
  ) {
    this.viewSize = { ...this.preferredSize };
    this.load();
  }

  get title(): string {
    return `Files: ${this.path}`;
  }

  get currentPath(): string {
    return this.path;
  }

  get listing(): readonly FileEntry[] {
    return this.entries;
  }

  // ---- navigation ----

  /** Open directory `path`, remembering where we were for Back. */
  navigate(path: string): void {
    this.history.push(this.path);
    this.path = path;
    this.load();
  }

  back(): boolean {
    const previous = this.history.pop();
    if (previous === undefined) return false;
    this.path = previous;
    this.load();
    return true;
  }

  /** Read the directory as a job: entries with their sizes, directories first. */
  private load(): void {
    const path = this.path;
    this.services.retitle(this);
    this.services.perform(this, () => this.readDirectory(path));
  }

  private *readDirectory(path: string): Generator<void, void, void> {
    const { vfs } = this.services.kernel;
    try {
      const listed = (yield* vfs.readdir(path)).filter((e) => e.name !== '.' && e.name !== '..');
      const entries: FileEntry[] = [];
      for (const entry of listed) {
        const stat = yield* vfs.stat(childPath(path, entry.name));
        entries.push({ name: entry.name, type: entryType(stat.type), size: stat.size });
      }
      entries.sort(compareEntries);
      this.entries = entries;
      this.error = null;
    } catch (error) {
      this.entries = [];
      this.error = (error as Error).message;
    }
    this.selected = -1;
    this.firstRow = 0;
  }

  private open(index: number): void {
    const entry = this.entries[index];
    if (!entry) return;
    const path = childPath(this.path, entry.name);
    if (entry.type === 'directory') this.navigate(path);
    else if (entry.type === 'file') this.services.launch('editor', path);
  }

  // ---- layout ----

  private get visibleRows(): number {
    return Math.max(1, Math.floor((this.viewSize.height - TOOLBAR_HEIGHT) / ROW_HEIGHT));
  }

  private rowAt(y: number): number {
    if (y < TOOLBAR_HEIGHT) return -1;
    const index = this.firstRow + Math.floor((y - TOOLBAR_HEIGHT) / ROW_HEIGHT);
    return index < this.entries.length ? index : -1;
  }

  private scrollTo(firstRow: number): void {
    const last = Math.max(0, this.entries.length - this.visibleRows);
    this.firstRow = Math.max(0, Math.min(last, firstRow));
  }

  private select(index: number): void {
    if (this.entries.length === 0) return;
    this.selected = Math.max(0, Math.min(this.entries.length - 1, index));
    if (this.selected < this.firstRow) this.scrollTo(this.selected);
    if (this.selected >= this.firstRow + this.visibleRows)
      this.scrollTo(this.selected - this.visibleRows + 1);
  }

  // ---- drawing ----

  draw(surface: Surface): void {
    this.viewSize = { width: surface.width, height: surface.height };
    this.scrollTo(this.firstRow);
    const { font } = this.services;
    surface.fillRect(surface.bounds, BACKGROUND);
    surface.fillRect(rect(0, 0, surface.width, TOOLBAR_HEIGHT), TOOLBAR);
    const canGoBack = this.history.length > 0;
    surface.fillRoundedRect(BACK_BUTTON, 4, canGoBack ? BUTTON : BUTTON_DISABLED);
    const textY = (box: Rect) => box.y + Math.floor((box.height - font.height) / 2);
    surface.drawText(
      font,
      BACK_BUTTON.x + 8,
      textY(BACK_BUTTON),
      '< Back',
      canGoBack ? TEXT : TEXT_DIM,
    );
    const pathX = BACK_BUTTON.x + BACK_BUTTON.width + PADDING * 2;
    surface.drawText(font, pathX, textY(BACK_BUTTON), this.path, TEXT);
    if (this.error !== null) {
      surface.drawText(font, PADDING, TOOLBAR_HEIGHT + PADDING, this.error, TEXT_DIM);
      return;
    }
    const listWidth = surface.width - SCROLLBAR_WIDTH;
    for (let row = 0; row < this.visibleRows; row++) {
      const index = this.firstRow + row;
      const entry = this.entries[index];
      if (!entry) break;
      const box = rect(0, TOOLBAR_HEIGHT + row * ROW_HEIGHT, listWidth, ROW_HEIGHT);
      if (index === this.selected) surface.fillRect(box, SELECTED);
      drawIcon(surface, PADDING, box.y + (ROW_HEIGHT - ICON_SIZE) / 2, entry.type === 'directory');
      const nameX = PADDING + ICON_SIZE + PADDING;
      surface.setClip(rect(nameX, box.y, listWidth - nameX - SIZE_COLUMN_WIDTH, ROW_HEIGHT));
      surface.drawText(font, nameX, textY(box), entry.name, TEXT);
      surface.setClip(null);
      const size = entry.type === 'directory' ? '--' : formatSize(entry.size);
      const sizeX = listWidth - PADDING - size.length * font.width;
      surface.drawText(font, sizeX, textY(box), size, TEXT_DIM);
    }
    this.drawScrollbar(surface);
  }

  private drawScrollbar(surface: Surface): void {
    surface.fillRect(this.trackRect(), TRACK);
    surface.fillRect(this.thumbRect(), THUMB);
  }

  private trackRect(): Rect {
    const { width, height } = this.viewSize;
    return rect(width - SCROLLBAR_WIDTH, TOOLBAR_HEIGHT, SCROLLBAR_WIDTH, height - TOOLBAR_HEIGHT);
  }

  /** The thumb: as tall, and as far down the track, as the visible rows are of all rows. */
  private thumbRect(): Rect {
    const track = this.trackRect();
    const total = Math.max(this.entries.length, this.visibleRows);
    const height = Math.max(8, Math.floor((track.height * this.visibleRows) / total));
    const y = track.y + Math.floor((track.height * this.firstRow) / total);
    return rect(track.x + 2, y, track.width - 4, height);
  }

  // ---- input ----

  onMouse(event: AppMouseEvent): boolean {
    if (event.kind !== 'down') return false;
    if (containsPoint(BACK_BUTTON, event.x, event.y)) return this.back();
    if (event.x >= this.trackRect().x) return this.pageFromScrollbar(event.y);
    const index = this.rowAt(event.y);
    const now = ticksNow();
    const last = this.lastPress;
    const double =
      last !== null &&
      last.index === index &&
      now - last.tick <= this.services.kernel.pit.ticksFor(DOUBLE_CLICK_MS);
    this.lastPress = double ? null : { index, tick: now };
    if (index < 0) {
      this.selected = -1;
      return true;
    }
    this.selected = index;
    if (double) this.open(index);
    return true;
  }

  /** A press on the scroll bar's track pages up (above the thumb) or down (below it). */
  private pageFromScrollbar(y: number): boolean {
    const thumb = this.thumbRect();
    const before = this.firstRow;
    if (y < thumb.y) this.scrollTo(this.firstRow - this.visibleRows);
    else if (y >= thumb.y + thumb.height) this.scrollTo(this.firstRow + this.visibleRows);
    return this.firstRow !== before;
  }

  onKey(event: KeyEvent): boolean {
    if (!event.pressed) return false;
    switch (event.key) {
      case 'ArrowDown':
        this.select(this.selected + 1);
        return true;
      case 'ArrowUp':
        this.select(this.selected - 1);
        return true;
      case 'PageDown':
        this.select(this.selected + this.visibleRows);
        return true;
      case 'PageUp':
        this.select(this.selected - this.visibleRows);
        return true;
      case 'Enter':
        this.open(this.selected);
        return true;
      case 'Backspace':
        return this.back();
      default:
        return false;
    }
  }
}

function entryType(type: string): FileEntry['type'] {
  return type === 'directory' || type === 'file' || type === 'device' ? type : 'other';
}

function compareEntries(a: FileEntry, b: FileEntry): number {
  const aDir = a.type === 'directory' ? 0 : 1;
  const bDir = b.type === 'directory' ? 0 : 1;
  if (aDir !== bDir) return aDir - bDir;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A folder (a tab over a body) or a page (with a folded corner), ICON_SIZE square. */
function drawIcon(surface: Surface, x: number, y: number, folder: boolean): void {
  if (folder) {
    surface.fillRect(rect(x, y + 1, 7, 3), FOLDER_EDGE);
    surface.fillRect(rect(x, y + 3, ICON_SIZE, ICON_SIZE - 4), FOLDER);
    surface.strokeRect(rect(x, y + 3, ICON_SIZE, ICON_SIZE - 4), FOLDER_EDGE);
    return;
  }
  const page = rect(x + 2, y, ICON_SIZE - 4, ICON_SIZE);
  surface.fillRect(page, PAGE);
  surface.strokeRect(page, PAGE_EDGE);
  surface.drawLine(page.x + page.width - 5, page.y, page.x + page.width - 1, page.y + 4, PAGE_EDGE);
  for (let line = 0; line < 3; line++) {
    const lineY = page.y + 5 + line * 3;
    surface.drawLine(page.x + 2, lineY, page.x + page.width - 3, lineY, PAGE_EDGE);
  }
}
