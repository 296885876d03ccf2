/**
 * Text Editor: edit a file and save it through the VFS.
 *
 * Models CottonOS's multi-line editor: a toolbar (Open, Save, Save As), line
 * numbers in a gutter, the text with its cursor and selection, and the file's
 * name in the title with a "*" while there are unsaved changes. The document
 * itself (cursor, selection, undo) is a TextBuffer (./text-buffer.ts); this
 * file draws it and maps keys and clicks onto it:
 *
 *   arrows, Home, End      move (with Shift: select)
 *   Ctrl+Z, Ctrl+Y         undo, redo (Ctrl+Shift+Z also redoes)
 *   Ctrl+A                 select all
 *   Ctrl+O, Ctrl+S         open, save (save asks for a name the first time)
 *   Ctrl+Shift+S           save as
 *
 * Open and Save As ask for a path in a dialog bar along the bottom of the
 * window (Enter confirms, Escape cancels). Reading and writing the file wait
 * for the disk, so they run as jobs on the desktop thread.
 */
import type { KeyEvent } from '../../drivers/ps2-keyboard';
import { utf8Decode, utf8Encode } from '../../lib/utf8';
import type { App, AppMouseEvent } from '../app';
import type { DesktopServices } from '../desktop-services';
import { containsPoint, rect, type Rect } from '../rect';
import type { Color, Surface } from '../surface';
import { comparePositions, TextBuffer, type Movement } from './text-buffer';

export const TOOLBAR_HEIGHT = 28;
const DIALOG_HEIGHT = 26;
const PADDING = 4;
const GUTTER_DIGITS = 4;
const BUTTON_HEIGHT = TOOLBAR_HEIGHT - 8;
const BUTTONS: ReadonlyArray<{
  readonly action: 'open' | 'save' | 'save-as';
  readonly box: Rect;
  readonly label: string;
}> = [
  { action: 'open', box: rect(6, 4, 56, BUTTON_HEIGHT), label: 'Open' },
  { action: 'save', box: rect(68, 4, 56, BUTTON_HEIGHT), label: 'Save' },
  { action: 'save-as', box: rect(130, 4, 80, BUTTON_HEIGHT), label: 'Save As' },
];
const DEFAULT_DIRECTORY = '/home/reader';

const BACKGROUND: Color = 0xffffff;
const TOOLBAR: Color = 0xececec;
const BUTTON: Color = 0xd8d8d8;
const GUTTER: Color = 0xf2f2f2;
const GUTTER_TEXT: Color = 0x9a9a9a;
const TEXT: Color = 0x1a1a1a;
const SELECTION: Color = 0xb4d0ff;
const CURSOR: Color = 0x000000;
const DIALOG: Color = 0xfff6d0;
const STATUS: Color = 0x606060;

const MOVEMENTS: Readonly<Record<string, Movement>> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  Home: 'home',
  End: 'end',
};

type Dialog = { readonly kind: 'open' | 'save-as'; text: string };

export class TextEditor implements App {
  readonly preferredSize = { width: 560, height: 380 };
  readonly buffer = new TextBuffer();
  private path: string | null;
  private dialog: Dialog | null = null;
  private status = '';
  private firstLine = 0;
  private viewSize: { width: number; height: number };
  private wasModified = false;

  constructor(
    private readonly services: DesktopServices,
    path: string | null,
  ) {
    this.path = path;
    this.viewSize = { ...this.preferredSize };
    if (path) this.openFile(path);
  }

  get title(): string {
    const name = this.path ? this.path.slice(this.path.lastIndexOf('/') + 1) : 'untitled';
    return `${name}${this.buffer.modified ? ' *' : ''} - Text Editor`;
  }

  get filePath(): string | null {
    return this.path;
  }

  // ---- files ----

  openFile(path: string): void {
    this.services.perform(this, () => this.read(path));
  }

  private *read(path: string): Generator<void, void, void> {
    try {
      const bytes = yield* this.services.kernel.vfs.readFile(path);
      this.buffer.load(utf8Decode(bytes));
      this.path = path;
      this.firstLine = 0;
      this.status = `opened ${path}`;
    } catch (error) {
      this.status = `cannot open ${path}: ${(error as Error).message}`;
    }
    this.titleMayHaveChanged(true);
  }

  save(path: string): void {
    this.services.perform(this, () => this.write(path));
  }

  private *write(path: string): Generator<void, void, void> {
    try {
      yield* this.services.kernel.vfs.writeFile(path, utf8Encode(this.buffer.text));
      this.buffer.markSaved();
      this.path = path;
      this.status = `saved ${path}`;
    } catch (error) {
      this.status = `cannot save ${path}: ${(error as Error).message}`;
    }
    this.titleMayHaveChanged(true);
  }

  private titleMayHaveChanged(force = false): void {
    const modified = this.buffer.modified;
    if (!force && modified === this.wasModified) return;
    this.wasModified = modified;
    this.services.retitle(this);
  }

  private run(action: 'open' | 'save' | 'save-as'): void {
    if (action === 'save' && this.path) return this.save(this.path);
    const start = this.path ?? `${DEFAULT_DIRECTORY}/`;
    this.dialog = { kind: action === 'open' ? 'open' : 'save-as', text: start };
  }

  // ---- layout ----

  private get lineHeight(): number {
    return this.services.font.height;
  }

  private get gutterWidth(): number {
    return (GUTTER_DIGITS + 1) * this.services.font.width;
  }

  private textArea(): Rect {
    const bottom = this.viewSize.height - (this.dialog ? DIALOG_HEIGHT : this.lineHeight + PADDING);
    return rect(
      this.gutterWidth,
      TOOLBAR_HEIGHT,
      this.viewSize.width - this.gutterWidth,
      bottom - TOOLBAR_HEIGHT,
    );
  }

  private get visibleLines(): number {
    return Math.max(1, Math.floor(this.textArea().height / this.lineHeight));
  }

  /** Scroll so that the cursor's line is on screen. */
  private revealCursor(): void {
    const { line } = this.buffer.cursor;
    if (line < this.firstLine) this.firstLine = line;
    if (line >= this.firstLine + this.visibleLines) this.firstLine = line - this.visibleLines + 1;
  }

  // ---- drawing ----

  draw(surface: Surface): void {
    this.viewSize = { width: surface.width, height: surface.height };
    this.revealCursor();
    const { font } = this.services;
    surface.fillRect(surface.bounds, BACKGROUND);
    surface.fillRect(rect(0, 0, surface.width, TOOLBAR_HEIGHT), TOOLBAR);
    for (const { box, label } of BUTTONS) {
      surface.fillRoundedRect(box, 4, BUTTON);
      const x = box.x + Math.floor((box.width - label.length * font.width) / 2);
      surface.drawText(font, x, box.y + Math.floor((box.height - font.height) / 2), label, TEXT);
    }
    const area = this.textArea();
    surface.fillRect(rect(0, area.y, this.gutterWidth, area.height), GUTTER);
    const selection = this.buffer.selection();
    for (let row = 0; row < this.visibleLines; row++) {
      const index = this.firstLine + row;
      if (index >= this.buffer.lineCount) break;
      const y = area.y + row * this.lineHeight;
      const number = String(index + 1).padStart(GUTTER_DIGITS);
      surface.drawText(font, 0, y, number, GUTTER_TEXT);
      const text = this.buffer.line(index);
      surface.setClip(area);
      if (selection) this.drawSelection(surface, index, text.length, y, selection);
      surface.drawText(font, area.x + PADDING, y, text, TEXT);
      surface.setClip(null);
    }
    this.drawCursor(surface, area);
    this.drawBottomBar(surface);
  }

  private drawSelection(
    surface: Surface,
    index: number,
    length: number,
    y: number,
    { start, end }: NonNullable<ReturnType<TextBuffer['selection']>>,
  ): void {
    if (index < start.line || index > end.line) return;
    const from = index === start.line ? start.col : 0;
    const to = index === end.line ? end.col : length + 1; // a selected line end shows as one cell
    const { width } = this.services.font;
    const x = this.textArea().x + PADDING;
    surface.fillRect(rect(x + from * width, y, (to - from) * width, this.lineHeight), SELECTION);
  }

  private drawCursor(surface: Surface, area: Rect): void {
    const { line, col } = this.buffer.cursor;
    const row = line - this.firstLine;
    if (row < 0 || row >= this.visibleLines) return;
    const x = area.x + PADDING + col * this.services.font.width;
    surface.setClip(area);
    surface.fillRect(rect(x, area.y + row * this.lineHeight, 2, this.lineHeight), CURSOR);
    surface.setClip(null);
  }

  /** The dialog bar while a dialog is open, else the status line. */
  private drawBottomBar(surface: Surface): void {
    const { font } = this.services;
    if (this.dialog) {
      const bar = rect(0, surface.height - DIALOG_HEIGHT, surface.width, DIALOG_HEIGHT);
      surface.fillRect(bar, DIALOG);
      const label = this.dialog.kind === 'open' ? 'Open: ' : 'Save as: ';
      const y = bar.y + Math.floor((DIALOG_HEIGHT - font.height) / 2);
      const end = surface.drawText(font, PADDING, y, label + this.dialog.text, TEXT);
      surface.fillRect(rect(end, y, 2, font.height), CURSOR);
      return;
    }
    const position = `Ln ${this.buffer.cursor.line + 1}, Col ${this.buffer.cursor.col + 1}`;
    const y = surface.height - font.height - 2;
    surface.drawText(font, PADDING, y, this.status, STATUS);
    surface.drawText(
      font,
      surface.width - PADDING - position.length * font.width,
      y,
      position,
      STATUS,
    );
  }

  // ---- input ----

  onKey(event: KeyEvent): boolean {
    if (!event.pressed) return false;
    const handled = this.dialog ? this.dialogKey(this.dialog, event) : this.editorKey(event);
    if (handled) this.titleMayHaveChanged();
    return handled;
  }

  private dialogKey(dialog: Dialog, event: KeyEvent): boolean {
    if (event.key === 'Escape') {
      this.dialog = null;
    } else if (event.key === 'Enter' || event.key === 'NumpadEnter') {
      this.dialog = null;
      if (dialog.kind === 'open') this.openFile(dialog.text);
      else this.save(dialog.text);
    } else if (event.key === 'Backspace') {
      dialog.text = dialog.text.slice(0, -1);
    } else if (event.char && event.char >= ' ' && !event.ctrl) {
      dialog.text += event.char;
    } else {
      return false;
    }
    return true;
  }

  private editorKey(event: KeyEvent): boolean {
    if (event.ctrl) return this.shortcut(event);
    const movement = MOVEMENTS[event.key];
    if (movement) {
      this.buffer.move(movement, event.shift);
      return true;
    }
    if (event.key === 'Backspace') this.buffer.backspace();
    else if (event.key === 'Delete') this.buffer.deleteForward();
    else if (event.char === '\n') this.buffer.insert('\n');
    else if (event.char === '\t') this.buffer.insert('  ');
    else if (event.char && event.char >= ' ') this.buffer.insert(event.char);
    else return false;
    return true;
  }

  private shortcut(event: KeyEvent): boolean {
    switch (event.key) {
      case 'KeyZ':
        return event.shift ? this.buffer.redo() : this.buffer.undo();
      case 'KeyY':
        return this.buffer.redo();
      case 'KeyA':
        this.buffer.selectAll();
        return true;
      case 'KeyO':
        this.run('open');
        return true;
      case 'KeyS':
        this.run(event.shift ? 'save-as' : 'save');
        return true;
      default:
        return false;
    }
  }

  onMouse(event: AppMouseEvent): boolean {
    if (event.kind === 'down') {
      const button = BUTTONS.find((b) => containsPoint(b.box, event.x, event.y));
      if (button) {
        this.run(button.action);
        return true;
      }
    }
    const area = this.textArea();
    if (event.kind === 'up' || !containsPoint(area, event.x, event.y) || event.buttons === 0)
      return false;
    const line = this.firstLine + Math.floor((event.y - area.y) / this.lineHeight);
    const col = Math.round((event.x - area.x - PADDING) / this.services.font.width);
    const before = this.buffer.cursor;
    this.buffer.moveTo(line, col, event.kind === 'move');
    return comparePositions(before, this.buffer.cursor) !== 0 || event.kind === 'down';
  }
}
