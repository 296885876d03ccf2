/**
 * The machine's editing panel: the file tabs, the lazily loaded Monaco editor,
 * and the reader's edits behind them.
 *
 * The edits live in edits-store.ts, not in the editor: the machine boots from
 * the stored edits whether or not the editor was ever opened. Monaco
 * (megabytes of code) is not part of the page: it loads while the reader
 * reads, once the machine has booted, or when the pointer comes to Edit, and
 * is created on the first Edit. A tab shows a dot while its file differs from
 * the book's original.
 */
import type { KernelEditor } from './editor';
import { discardEdit, flushEdits, loadEdit, loadEdits, saveEditSoon } from './edits-store';
import { whenPageIdle } from './page-idle';

export class EditorPanel {
  private editor: Promise<KernelEditor> | null = null;
  private current: string;

  constructor(
    private readonly panel: HTMLElement,
    readonly files: string[],
    /** Called when the set of edited files may have changed. */
    private readonly onEditsChanged: () => void,
  ) {
    this.current = files[0] ?? '';
    for (const file of files) this.addTab(file);
    this.markEdited();
  }

  get open(): boolean {
    return !this.panel.hidden;
  }

  /** Show or hide the editor; the first call loads Monaco. */
  async toggle(): Promise<void> {
    if (this.open) {
      this.panel.hidden = true;
      return;
    }
    await this.show(this.current);
  }

  async show(file: string): Promise<KernelEditor> {
    this.panel.hidden = false;
    this.current = file;
    for (const tab of this.tabs())
      tab.setAttribute('aria-selected', String(tab.dataset.file === file));
    const editor = await this.load();
    editor.show(file);
    return editor;
  }

  /** The reader's edits of this machine's files, as boot overrides (saved first). */
  overrides(): Record<string, string> {
    flushEdits();
    return loadEdits(this.files);
  }

  hasEdits(): boolean {
    return Object.keys(loadEdits(this.files)).length > 0;
  }

  /** Put `text` in the file as the reader's edit (an exercise's starter) and show it. */
  async replace(file: string, text: string): Promise<void> {
    if (!this.files.includes(file)) this.addFile(file);
    saveEditSoon(file, text);
    this.markEdited();
    const editor = await this.show(file);
    editor.setText(file, text);
  }

  /** Forget every edit of this machine's files. */
  async resetAll(): Promise<void> {
    for (const file of this.files) discardEdit(file);
    this.markEdited();
    if (!this.editor) return;
    const editor = await this.editor;
    for (const file of this.files) editor.setText(file, editor.original(file));
  }

  /**
   * Start fetching Monaco (the reader is about to press Edit: the pointer is on
   * the button, or the keyboard focus); nothing is created until `show`.
   */
  preload(): void {
    void import('./editor').catch(() => {});
  }

  /**
   * Load Monaco while the reader reads, once the machine has booted and the
   * page is idle (page-idle.ts), so that Edit opens the editor at once; not
   * on a phone or a data saver, where its 3 MB wait for the button.
   */
  preloadWhenIdle(): void {
    const saveData = (navigator as { connection?: { saveData?: boolean } }).connection?.saveData;
    if (saveData || matchMedia('(pointer: coarse)').matches) return;
    whenPageIdle(() => this.preload());
  }

  private load(): Promise<KernelEditor> {
    this.editor ??= import('./editor').then(({ createKernelEditor }) =>
      createKernelEditor(this.panel.querySelector<HTMLElement>('.cm-monaco')!, {
        files: this.files,
        edited: loadEdit,
        onChange: (file, text) => this.changed(file, text),
      }),
    );
    return this.editor;
  }

  private async changed(file: string, text: string): Promise<void> {
    const editor = await this.editor!;
    if (text === editor.original(file)) discardEdit(file);
    else saveEditSoon(file, text);
    this.markEdited();
  }

  private addFile(file: string): void {
    this.files.push(file);
    this.addTab(file);
  }

  private addTab(file: string): void {
    const tab = document.createElement('button');
    tab.type = 'button';
    tab.role = 'tab';
    tab.className = 'cm-tab';
    tab.dataset.file = file;
    tab.title = file;
    tab.textContent = file.replace(/^src\/kernel\//, '');
    tab.addEventListener('click', () => void this.show(file));
    this.panel.querySelector('.cm-tabs')!.append(tab);
  }

  private tabs(): HTMLElement[] {
    return [...this.panel.querySelectorAll<HTMLElement>('.cm-tab')];
  }

  private markEdited(): void {
    for (const tab of this.tabs())
      tab.toggleAttribute('data-edited', loadEdit(tab.dataset.file!) !== null);
    this.onEditsChanged();
  }
}
