/**
 * The launcher: the small window the taskbar's "Apps" button opens, one row
 * per desktop program. Clicking a row starts the program and closes the
 * launcher, as a start menu does.
 */
import type { KeyEvent } from '../drivers/ps2-keyboard';
import type { App, AppMouseEvent } from './app';
import type { AppName, DesktopServices } from './desktop-services';
import { rect } from './rect';
import type { Surface } from './surface';

export const LAUNCHER_ENTRIES: ReadonlyArray<{ readonly name: AppName; readonly label: string }> = [
  { name: 'terminal', label: 'Terminal' },
  { name: 'files', label: 'File Manager' },
  { name: 'editor', label: 'Text Editor' },
  { name: 'sysinfo', label: 'System Info' },
];
export const LAUNCHER_ROW_HEIGHT = 28;
const TEXT_LEFT = 12;
const BACKGROUND = 0xf4f4f4;
const HOVER = 0xdce6ff;
const TEXT = 0x202020;

export class Launcher implements App {
  readonly title = 'Apps';
  private hovered = -1;

  constructor(private readonly services: DesktopServices) {}

  draw(surface: Surface): void {
    surface.fillRect(surface.bounds, BACKGROUND);
    const font = this.services.font;
    LAUNCHER_ENTRIES.forEach((entry, index) => {
      const row = rect(0, index * LAUNCHER_ROW_HEIGHT, surface.width, LAUNCHER_ROW_HEIGHT);
      if (index === this.hovered) surface.fillRect(row, HOVER);
      const y = row.y + Math.floor((LAUNCHER_ROW_HEIGHT - font.height) / 2);
      surface.drawText(font, TEXT_LEFT, y, entry.label, TEXT);
    });
  }

  onKey(_event: KeyEvent): boolean {
    return false;
  }

  onMouse(event: AppMouseEvent): boolean {
    const index = Math.floor(event.y / LAUNCHER_ROW_HEIGHT);
    const entry = LAUNCHER_ENTRIES[index];
    if (event.kind === 'up' && entry) {
      this.services.close(this);
      this.services.launch(entry.name);
      return false;
    }
    const hovered = entry ? index : -1;
    if (hovered === this.hovered) return false;
    this.hovered = hovered;
    return true;
  }
}
