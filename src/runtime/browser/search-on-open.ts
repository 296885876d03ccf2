/**
 * The book's search, loaded when the reader opens it.
 *
 * Starlight's search box (its Search component: a button, a dialog, Ctrl+K)
 * builds Pagefind's UI (`@pagefind/default-ui`, 27 KB gzipped) as soon as
 * every page is idle, so each chapter downloaded and ran it whether or not
 * the reader ever searched. vite-plugin-search-on-open.ts hands Starlight
 * this module in its place. Its PagefindUI takes the same options and waits:
 * the reader pointing at, focusing or touching the search button fetches
 * Pagefind's code (so it is usually there by the click), and the dialog
 * opening (the button, Ctrl+K) builds the real UI in it and focuses its
 * input, which Starlight tried to focus before there was one.
 */
type PagefindOptions = { readonly element: string } & Record<string, unknown>;

const INTENT_EVENTS = ['pointerenter', 'focusin', 'touchstart'] as const;

let pagefind: Promise<typeof import('@pagefind/default-ui')> | null = null;

/** Pagefind's UI code, fetched once (tried again after a failed fetch). */
function loadPagefind(): Promise<typeof import('@pagefind/default-ui')> {
  pagefind ??= import('@pagefind/default-ui').catch((error: unknown) => {
    pagefind = null;
    throw error;
  });
  return pagefind;
}

/** Calls `opened` the first time `dialog` opens (now, if it is open). */
function onFirstOpen(dialog: HTMLDialogElement, opened: () => void): void {
  if (dialog.open) return opened();
  const watch = new MutationObserver(() => {
    if (!dialog.open) return;
    watch.disconnect();
    opened();
  });
  watch.observe(dialog, { attributes: true, attributeFilter: ['open'] });
}

export class PagefindUI {
  constructor(options: PagefindOptions) {
    const target = document.querySelector<HTMLElement>(options.element);
    const dialog = target?.closest('dialog');
    if (!target || !dialog) throw new Error(`search: no dialog holds ${options.element}`);
    const button = dialog.closest('site-search')?.querySelector('button[data-open-modal]');
    for (const type of INTENT_EVENTS)
      button?.addEventListener(type, () => void loadPagefind().catch(() => {}), {
        once: true,
        passive: true,
      });
    onFirstOpen(dialog, () => void this.build(options, target));
  }

  private async build(options: PagefindOptions, target: HTMLElement): Promise<void> {
    try {
      const { PagefindUI: Real } = await loadPagefind();
      new Real(options);
      target.querySelector('input')?.focus();
    } catch (error) {
      target.textContent = `The search could not load (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`;
    }
  }
}
