/**
 * The reader's edits to kernel files, kept in localStorage so they survive
 * reloads.
 *
 * One entry per file, keyed by its repository path: the same file edited in two
 * chapters is the same edit, as it would be in a working tree. Saving is
 * debounced (typing saves once the reader pauses) and flushed before the page
 * unloads. localStorage rather than IndexedDB because edits are small text and
 * a synchronous read lets the first boot use them without waiting.
 */
import { EDIT_KEY_PREFIX as PREFIX } from '../worker/preparation';

const SAVE_DELAY_MS = 400;

const timers = new Map<string, ReturnType<typeof setTimeout>>();
const unsaved = new Map<string, string>();

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled (privacy settings): edits then last until the page closes
  }
}

function write(file: string, text: string): void {
  try {
    storage()?.setItem(PREFIX + file, text);
  } catch {
    // quota exceeded: keep the edit in memory for this page
  }
}

/** The saved edit of `file`, or null if the reader has not changed it. */
export function loadEdit(file: string): string | null {
  return unsaved.get(file) ?? storage()?.getItem(PREFIX + file) ?? null;
}

/** The saved edits of these files, as boot overrides. */
export function loadEdits(files: readonly string[]): Record<string, string> {
  const edits: Record<string, string> = {};
  for (const file of files) {
    const text = loadEdit(file);
    if (text !== null) edits[file] = text;
  }
  return edits;
}

/** Remember an edit; it reaches storage once the reader pauses. */
export function saveEditSoon(file: string, text: string): void {
  unsaved.set(file, text);
  clearTimeout(timers.get(file));
  timers.set(
    file,
    setTimeout(() => flushEdit(file), SAVE_DELAY_MS),
  );
}

function flushEdit(file: string): void {
  clearTimeout(timers.get(file));
  timers.delete(file);
  const text = unsaved.get(file);
  unsaved.delete(file);
  if (text !== undefined) write(file, text);
}

export function flushEdits(): void {
  for (const file of [...unsaved.keys()]) flushEdit(file);
}

/** Forget the edit: the file is the original again. */
export function discardEdit(file: string): void {
  clearTimeout(timers.get(file));
  timers.delete(file);
  unsaved.delete(file);
  storage()?.removeItem(PREFIX + file);
}

addEventListener('pagehide', flushEdits);
