/**
 * <cotton-exercise>: the buttons and results of an exercise (components/Exercise.astro).
 *
 * "Start exercise" makes the starter the reader's version of the exercise's
 * file, in the page's machine (the one that edits that file, else the first),
 * so the reader works in the same editor and can Reboot to try their code.
 * "Check" runs the exercise's checks on the reader's edits in a fresh worker
 * under the machine's watchdog (a check's kernel that stops making progress is
 * stopped; one that runs long in virtual time fails by the check's own limit),
 * and lists each check as it finishes: a check that hangs costs a worker, never
 * the page.
 */
import type { CheckResult } from '../host/exercise';
import { loadEdit, loadEdits, saveEditSoon } from './edits-store';
import { runChecksInWorker, WatchdogError } from './machine-client';
import type { CottonMachineElement } from './machine-element';

export class CottonExerciseElement extends HTMLElement {
  private checking = false;

  connectedCallback(): void {
    this.button('start').addEventListener('click', () => void this.start());
    this.button('check').addEventListener('click', () => void this.check());
  }

  private get file(): string {
    return this.dataset.file!;
  }

  private get starter(): string {
    return this.dataset.starter!;
  }

  /** The machine whose editor holds the exercise's file. */
  private machine(): CottonMachineElement | null {
    const machines = [...document.querySelectorAll<CottonMachineElement>('cotton-machine')];
    return machines.find((machine) => machine.files?.includes(this.file)) ?? machines[0] ?? null;
  }

  private async start(): Promise<void> {
    const edit = loadEdit(this.file);
    const question = `You have edited ${this.file}. Start the exercise anyway? Your version of the file will be replaced by the starter.`;
    if (edit !== null && edit !== this.starter && !confirm(question)) return;
    const machine = this.machine();
    if (machine) await machine.replaceFile(this.file, this.starter);
    else saveEditSoon(this.file, this.starter);
    this.summary(
      `The starter is in the editor: write your code in ${this.file}, then press Check.`,
    );
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    this.button('check').disabled = true;
    this.results().replaceChildren();
    this.summary('Checking: booting the machine on your code…');
    const overrides = this.machine()?.overrides() ?? loadEdits([this.file]);
    try {
      const results = await runChecksInWorker(this.dataset.id!, overrides, (result) =>
        this.show(result),
      );
      const passed = results.filter((result) => result.passed).length;
      this.summary(
        passed === results.length
          ? `All ${passed} checks pass. Well done!`
          : `${passed} of ${results.length} checks pass.`,
      );
    } catch (error) {
      this.summary(this.failure(error));
    } finally {
      this.checking = false;
      this.button('check').disabled = false;
    }
  }

  private failure(error: unknown): string {
    if (error instanceof WatchdogError) {
      return `Watchdog: under a check, the kernel made no progress for ${error.timeoutMs / 1000} s — an infinite loop? The checks were stopped.`;
    }
    return `The checks could not run: ${error instanceof Error ? error.message : String(error)}`;
  }

  private show(result: CheckResult): void {
    const item = document.createElement('li');
    item.dataset.passed = String(result.passed);
    item.append(result.name);
    if (!result.passed) {
      const message = document.createElement('pre');
      message.textContent = result.message;
      item.append(message);
    }
    this.results().append(item);
  }

  private summary(text: string): void {
    this.querySelector('.cx-summary')!.textContent = text;
  }

  private results(): HTMLElement {
    return this.querySelector('.cx-results')!;
  }

  private button(action: string): HTMLButtonElement {
    return this.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;
  }
}

customElements.define('cotton-exercise', CottonExerciseElement);
