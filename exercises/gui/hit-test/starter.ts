/**
 * The starter for exercise gui/hit-test: the text that takes the place of the
 * `exercise:hit-test` region in src/kernel/gui/window-manager.ts.
 */
export const starter = `  /** What is at screen position (x, y): the taskbar, else the topmost visible window there. */
  hitTest(x: number, y: number): Hit | null {
    // TODO (exercise gui/hit-test): find what the pointer is on.
    //
    // this.taskbar.partAt(x, y) is the taskbar's part at (x, y), or null; the taskbar is
    // drawn above every window. this.stack holds the windows bottom first: the last one is
    // on top. window.partAt(x, y) is the part of a window at (x, y) ('title', 'client',
    // 'close', ...) or null; skip windows that are minimised (window.minimised).
    // Return { kind: 'taskbar', part } or { kind: 'window', window, part }, or null for the
    // bare desktop.
    return null;
  }`;
