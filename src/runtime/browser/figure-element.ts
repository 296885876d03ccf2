/**
 * <cotton-figure>: a figure that follows the chapter's machine (written by
 * components/Figure.astro, which renders it once at build time).
 *
 * After each prompt of the chapter's <cotton-machine> (the machine booted, or
 * a command finished) the element asks the machine for its view through the
 * worker's inspection channel, draws it with the same renderer the build used
 * (src/figures/) and swaps the SVG if it changed. A figure built after
 * `typed` commands keeps the book's picture until the reader does something
 * (runs a command or reboots): a freshly booted machine would show less.
 * Hovering or focusing a part shows its details under the figure.
 *
 * A figure follows the machine once the reader has come within a screen of
 * it (page-idle.ts whenNearView): a prompt before then only marks it behind,
 * and it takes its view when the reader comes, so a figure far down the
 * chapter costs nothing while the reader works at the machine. The renderers
 * are not part of the page's first load: the first view loads them once the
 * page's thread is idle (requestIdleCallback), so neither their code nor the
 * redraws compete with the page showing a prompt. A view taken before the
 * renderers come waits for them, and the latest is drawn then. Meanwhile the
 * figure shows the build's SVG, which is what a machine that just booted the
 * book's kernel shows too.
 *
 * For tests: `data-refreshes` counts the views drawn (or that failed),
 * `data-state` is 'built', 'live' or 'error', and the element fires
 * `cotton-figure-refresh` after each one.
 */
import type { CottonMachineElement } from './machine-element';
import { whenNearView, whenThreadIdle } from './page-idle';

type Renderers = typeof import('../../figures/index');
type Answer = NonNullable<Awaited<ReturnType<CottonMachineElement['inspect']>>>;

/** The longest the renderers wait for an idle moment of the page's thread. */
const RENDERERS_IDLE_WAIT_MS = 1000;

let renderers: Renderers | null = null;
let loading: Promise<Renderers> | null = null;

/** The figures' renderers, once the page's thread is idle (loaded once for every figure; tried again after a failed load). */
function idleRenderers(): Promise<Renderers> {
  loading ??= new Promise<void>((resolve) => whenThreadIdle(resolve, RENDERERS_IDLE_WAIT_MS))
    .then(() => import('../../figures/index'))
    .then((loaded) => (renderers = loaded))
    .catch((error: unknown) => {
      loading = null;
      throw error;
    });
  return loading;
}

export class CottonFigureElement extends HTMLElement {
  private machine: CottonMachineElement | null = null;
  /** Prompts still to skip before following the machine (1 for a figure built after typed commands). */
  private promptsToSkip = 0;
  /** The reader has come within a screen of the figure: it follows every prompt from then on. */
  private near = false;
  /** A prompt came while the reader was far: the view is taken when they come. */
  private behind = false;
  private refreshing: Promise<void> | null = null;
  private again = false;
  /** The latest view taken before the renderers came, to draw when they do. */
  private waitingView: Answer | null = null;
  /** The SVG text last drawn in the page (null: still the build's). */
  svgText: string | null = null;

  connectedCallback(): void {
    if (this.machine) return;
    this.machine = document.querySelector<CottonMachineElement>('cotton-machine');
    const typed = JSON.parse(this.dataset.typed ?? '[]') as string[];
    this.promptsToSkip = typed.length > 0 ? 1 : 0;
    this.machine?.addEventListener('cotton-prompt', () => this.onPrompt());
    whenNearView([this], () => this.onNear());
    const box = this.querySelector<HTMLElement>('.cf-box');
    box?.addEventListener('mouseover', (event) => this.showDetail(event.target));
    box?.addEventListener('focusin', (event) => this.showDetail(event.target));
  }

  private onPrompt(): void {
    if (this.promptsToSkip > 0) {
      this.promptsToSkip--;
      return;
    }
    if (this.near) void this.refresh();
    else this.behind = true;
  }

  private onNear(): void {
    this.near = true;
    if (!this.behind) return;
    this.behind = false;
    void this.refresh();
  }

  /** Take the view again and redraw; a refresh asked for while one runs runs once more after it. */
  refresh(): Promise<void> {
    if (this.refreshing !== null) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = this.takeView().finally(() => {
      this.refreshing = null;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.refreshing;
  }

  private async takeView(): Promise<void> {
    const view = this.dataset.view!;
    const args = JSON.parse(this.dataset.args ?? '{}') as Record<string, string | number | boolean>;
    let answer: Awaited<ReturnType<CottonMachineElement['inspect']>>;
    try {
      answer = (await this.machine?.inspect({ view, args })) ?? null;
    } catch (error) {
      answer = { ok: false, view, reason: messageOf(error) };
    }
    if (answer === null) return; // no machine runs (it is being replaced): the next prompt redraws
    if (renderers) this.show(answer, renderers);
    else this.showWhenRendered(answer);
  }

  /** Draw `answer` once the renderers have come, or the latest view taken by then. */
  private showWhenRendered(answer: Answer): void {
    const first = this.waitingView === null;
    this.waitingView = answer;
    if (!first) return;
    idleRenderers().then(
      (loaded) => this.show(this.takeWaitingView(), loaded),
      (error: unknown) => {
        this.takeWaitingView();
        this.showError(messageOf(error));
        this.refreshed();
      },
    );
  }

  private takeWaitingView(): Answer {
    const answer = this.waitingView!;
    this.waitingView = null;
    return answer;
  }

  private show(answer: Answer, { renderFigure }: Renderers): void {
    if (!answer.ok) this.showError(answer.reason);
    else {
      try {
        const context = { id: this.id, uptimeMicros: answer.uptimeMicros };
        this.draw(renderFigure(this.dataset.view!, answer.data, context));
      } catch (error) {
        this.showError(messageOf(error));
      }
    }
    this.refreshed();
  }

  private refreshed(): void {
    this.dataset.refreshes = String(Number(this.dataset.refreshes ?? '0') + 1);
    this.dispatchEvent(new CustomEvent('cotton-figure-refresh'));
  }

  private draw(figure: ReturnType<Renderers['renderFigure']>): void {
    if (figure.svg !== this.svgText) {
      this.child('.cf-box').innerHTML = figure.svg;
      this.svgText = figure.svg;
    }
    this.child('.cf-words p').textContent = figure.alt;
    this.child('.cf-source').textContent = `${figure.caption}, in your machine.`;
    this.dataset.state = 'live';
  }

  /** The view could not be taken (the reader's kernel may have broken it): say why, keep the last picture. */
  private showError(reason: string): void {
    this.child('.cf-source').textContent = `This figure could not follow your machine: ${reason}`;
    this.dataset.state = 'error';
  }

  private showDetail(target: EventTarget | null): void {
    const part = target instanceof Element ? target.closest('.cf-part') : null;
    const detail = part?.getAttribute('aria-label');
    if (detail) this.child('.cf-detail').textContent = detail;
  }

  private child(selector: string): HTMLElement {
    const element = this.querySelector<HTMLElement>(selector);
    if (!element) throw new Error(`<cotton-figure> is missing ${selector}`);
    return element;
  }
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

customElements.define('cotton-figure', CottonFigureElement);
