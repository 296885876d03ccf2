/**
 * The starter for exercise gui/clamp-drag: the text that takes the place of
 * the `exercise:clamp-drag` region in src/kernel/gui/window-manager.ts.
 */
export const starter = `  /** Move a window's top-left corner, keeping part of its title bar on the desktop. */
  moveTo(window: Window, x: number, y: number): void {
    const { width, height } = window.frame;
    // TODO (exercise gui/clamp-drag): keep the title bar within reach.
    //
    // this.desktopArea is the screen above the taskbar. Clamp (the clamp(value, low, high)
    // function below) x so that at least KEEP_VISIBLE pixels of the window stay on the
    // desktop on the left and on the right, and y so that the title bar (TITLE_BAR_HEIGHT
    // high) is neither above the top of the desktop nor below its bottom.
    this.setFrame(window, rect(x, y, width, height));
  }`;
