/**
 * Runs a recording script on the book's machine and records it: a headless
 * Cotton PC in fast mode, keys typed at virtual times, output timed by the
 * virtual clock. The same script on the same kernel gives the same session,
 * byte for byte, however fast or loaded the host is.
 *
 * The machine is booted by the caller's `boot` function (Node: bootFromRepo;
 * the browser: its own kernel sources), so this file runs in both.
 */
import { DEFAULT_START_TIME } from '../emu/machine';
import { MachineStoppedError, OSC133_PROMPT_END, type BootOptions, type MachineHost } from '../runtime/machine-host';
import { SessionRecorder } from './recorder';
import { ScriptError, type RecordingScript, type ScriptStep } from './script';
import type { Session } from './session';

export type BootFunction = (options: Omit<BootOptions, 'sources'>) => MachineHost;

const NS_PER_MS = 1_000_000;
const STOPPED = new Set(['stopped', 'panicked', 'poweroff', 'crashed']);

/** Keys as a terminal sends them: one character, or a whole escape sequence (an arrow key is ESC [ A, sent at once). */
export function splitKeys(text: string): string[] {
  return text.match(/\x1b\[[0-?]*[ -\/]*[@-~]|\x1bO.|\x1b.|[\s\S]/gu) ?? [];
}

/** A machine and its recorder, with one clock that keeps counting across reboots. */
class RecordedMachine {
  readonly recorder: SessionRecorder;
  readonly host: MachineHost;
  private machine: MachineHost['machine'] | null = null;
  private base = 0;
  private lastNs = 0;
  /** Where in host.output to look for the next prompt. */
  promptFrom = 0;
  typingDelayNs = 0;

  constructor(script: RecordingScript, boot: BootFunction) {
    const { settings } = script;
    const startTime = settings.startTime ?? DEFAULT_START_TIME;
    this.recorder = new SessionRecorder({
      startTime,
      cols: settings.cols,
      rows: settings.rows,
      title: settings.title,
      chapter: settings.chapter,
      defaultCwd: '/', // the kernel has no file system yet and sends no OSC 7
    });
    this.host = boot({ startTime, onOutput: (bytes) => this.recorder.output(bytes, this.now()) });
  }

  /** Recording time in ns: the machine's clock, plus the time before each reboot. */
  now(): number {
    const machine = (this.host as MachineHost | undefined)?.machine;
    if (!machine) return 0;
    if (machine !== this.machine) {
      if (this.machine) this.base += this.lastNs;
      this.machine = machine;
    }
    this.lastNs = machine.clock.now;
    return this.base + this.lastNs;
  }

  /** Run the machine for `ns` of virtual time. */
  advance(ns: number): void {
    const target = this.host.machine.clock.now + ns;
    const machine = this.host.machine;
    while (this.host.machine === machine && machine.clock.now < target) {
      const state = this.host.runUntil(target);
      if (STOPPED.has(state)) throw new MachineStoppedError(state, this.host.output, this.host.machine.crash);
    }
    this.now();
  }

  /** Type text one key at a time, `typingDelayNs` apart; prompts are looked for after the last key. */
  type(text: string): void {
    const keys = splitKeys(text);
    keys.forEach((key, i) => {
      if (i > 0 && this.typingDelayNs > 0) this.advance(this.typingDelayNs);
      this.recorder.input(new TextEncoder().encode(key), this.now());
      this.promptFrom = this.host.output.length;
      this.host.type(key);
    });
  }

  waitForPrompt(timeoutMs: number): void {
    let found = -1;
    this.host.runUntilIdleAnd(() => (found = this.host.output.indexOf(OSC133_PROMPT_END, this.promptFrom)) >= 0, timeoutMs);
    this.promptFrom = found + OSC133_PROMPT_END.length;
    this.now();
  }

  step(step: ScriptStep): void {
    switch (step.kind) {
      case 'prompt': return this.waitForPrompt(step.timeoutMs);
      case 'typing': this.typingDelayNs = step.delayMs * NS_PER_MS; return;
      case 'type': return this.type(step.text);
      case 'run':
        this.type(`${step.text}\r`);
        return this.waitForPrompt(step.timeoutMs);
      case 'wait': return this.advance(step.ms * NS_PER_MS);
      case 'marker': return this.recorder.marker(step.label, this.now());
      case 'resize': return this.recorder.resize(step.cols, step.rows, this.now());
    }
  }
}

/** Boot a machine, run the script on it, and return the recording. Errors name the script line. */
export function recordScript(script: RecordingScript, boot: BootFunction): Session {
  const machine = new RecordedMachine(script, boot);
  for (const step of script.steps) {
    try {
      machine.step(step);
    } catch (error) {
      if (error instanceof ScriptError) throw error;
      throw new ScriptError(`${step.kind}: ${(error as Error).message}`, step.line);
    }
  }
  return machine.recorder.finish(machine.now());
}
