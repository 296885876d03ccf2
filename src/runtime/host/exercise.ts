/**
 * Exercises: the reader changes one region of one kernel file, and checks boot
 * the real machine on their code and test what it does.
 *
 * An exercise names a file and a `// #region exercise:NAME` … `// #endregion
 * exercise:NAME` in it; its starter replaces the region's body. The same checks
 * run in the page (in a worker, on the reader's edits) and in CI, where they
 * must fail on the starter and pass on the reference kernel. When the reader's
 * code stops the machine (a panic, a hang), the failure message starts with
 * the last call of the region's function(s) (exercise-probe.ts).
 */
import type { BootModule } from '../../emu/firmware';
import { ExerciseProbe, regionFunctions } from './exercise-probe';
import { PointerState } from './gui-input';
import type { KernelSources } from './kernel-loader';
import { MachineHost } from './machine-host';
import { uniformRandom } from './seeded-random';

/** Virtual time the desktop gets after each mouse event, to take it in and draw a frame. */
const MOUSE_SETTLE_MS = 20;
const NS_PER_MS = 1_000_000;

/** The machine a check drives: a fresh boot of the code under test. */
export interface ExerciseMachine {
  /**
   * Boot (again) and return the console output up to the first prompt.
   * `bookDisk` attaches a fresh copy of the book's disk (the desktop's font is
   * on it); without it the root is a RAM disk.
   */
  boot(options?: { ramMiB?: number; cmdline?: string; bookDisk?: boolean }): Promise<string>;
  /** Run one shell command and return its output. */
  run(command: string): Promise<string>;
  /**
   * Drive the desktop's PS/2 mouse (boot with cmdline `gui`): "move X Y",
   * "down left", "up left", "click X Y", as gui-input.ts reads them.
   */
  mouse(spec: string): Promise<void>;
}

export interface Check {
  readonly name: string;
  /** Throws an Error whose message tells the reader what is wrong. */
  run(machine: ExerciseMachine): Promise<void>;
}

export interface Exercise {
  readonly id: string;
  readonly title: string;
  /** The kernel file the reader edits. */
  readonly file: string;
  /** The region name in that file. */
  readonly region: string;
  /** Markdown. */
  readonly statement: string;
  /** The body that replaces the region in the starter. */
  readonly starter: string;
  readonly checks: readonly Check[];
}

export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  readonly message: string;
}

function regionPattern(region: string): RegExp {
  const name = region.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `(// #region exercise:${name}\\n)([\\s\\S]*?)(\\n[ \\t]*// #endregion exercise:${name})`,
  );
}

/** The reference file with the exercise region replaced by the starter. */
export function starterSource(exercise: Exercise, reference: string): string {
  const pattern = regionPattern(exercise.region);
  if (!pattern.test(reference))
    throw new Error(`${exercise.file} has no region exercise:${exercise.region}`);
  return reference.replace(
    pattern,
    (_, open: string, _body: string, close: string) =>
      `${open}${exercise.starter.replace(/\n$/, '')}${close}`,
  );
}

/** A check's machine, and what the runner learns from it when the check fails. */
interface ProbedMachine extends ExerciseMachine {
  /**
   * When the machine stopped (a panic, a crash, a hang) under a check: the last
   * call of each of the exercise's functions, to put before the check's message.
   */
  stoppedReport(): string | null;
}

function machineFor(
  exercise: Exercise,
  sources: KernelSources,
  overrides: Readonly<Record<string, string>>,
  programs: readonly BootModule[],
  bookDisk: (() => Uint8Array) | undefined,
): ProbedMachine {
  let host: MachineHost | null = null;
  let pointer = new PointerState();
  let probe: ExerciseProbe | null = null;
  let stopped = false;
  const targets = regionFunctions(
    overrides[exercise.file] ?? sources[exercise.file] ?? '',
    exercise.region,
  );
  /** Run `step` on the machine, remembering whether the machine failed under it. */
  const watch = <T>(step: () => T): T => {
    try {
      return step();
    } catch (error) {
      stopped = true;
      throw error;
    }
  };
  return {
    async boot(options = {}) {
      pointer = new PointerState();
      stopped = false;
      if (options.bookDisk && !bookDisk)
        throw new Error("this check needs the book's disk, and the host running it has none");
      probe = new ExerciseProbe(exercise.file, targets);
      const booted = new MachineHost({
        sources,
        overrides,
        programs,
        ramMiB: options.ramMiB,
        commandLine: options.cmdline,
        tap: probe.tap(),
        ...(options.bookDisk && bookDisk ? { disk: { bytes: bookDisk() } } : {}),
      });
      host = booted;
      return watch(() => booted.runUntilPrompt());
    },
    async run(command) {
      if (!host) throw new Error('boot the machine before running a command');
      const running = host;
      return watch(() => running.command(command));
    },
    async mouse(spec) {
      if (!host) throw new Error('boot the machine before moving the mouse');
      const running = host;
      watch(() => {
        for (const input of pointer.inputs(spec)) {
          running.send(input);
          running.runUntil(running.machine.clock.now + MOUSE_SETTLE_MS * NS_PER_MS);
        }
      });
    },
    stoppedReport() {
      return stopped ? (probe?.describeCalls() ?? null) : null;
    },
  };
}

/**
 * Checks draw their random inputs (addresses, names, sizes) from one seeded
 * generator, so no fixed answer passes and a failure can be run again exactly:
 * the failure message names the check's seed, and running that check alone
 * with `runChecks(..., { seed })` repeats it.
 */
let checkGenerator = uniformRandom(1);

/** A number in [0, 1) from the running check's seeded generator: what checks use instead of Math.random. */
export function checkRandom(): number {
  return checkGenerator();
}

/** A seed for a run that asked for none: any will do, since it is printed on failure. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

export interface CheckOptions {
  /** The generator's seed; a fresh one when absent. */
  readonly seed?: number;
  /** A fresh copy of the book's disk, for checks that boot with `bookDisk`. */
  readonly bookDisk?: () => Uint8Array;
}

/** Run every check of an exercise on the given kernel (the reader's edits as overrides) and user programs. */
export async function runChecks(
  exercise: Exercise,
  sources: KernelSources,
  overrides: Readonly<Record<string, string>> = {},
  programs: readonly BootModule[] = [],
  options: CheckOptions = {},
): Promise<CheckResult[]> {
  const seed = options.seed ?? freshSeed();
  const results: CheckResult[] = [];
  for (const [index, check] of exercise.checks.entries()) {
    const checkSeed = seed + index;
    checkGenerator = uniformRandom(checkSeed);
    const machine = machineFor(exercise, sources, overrides, programs, options.bookDisk);
    try {
      await check.run(machine);
      results.push({ name: check.name, passed: true, message: 'passed' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const report = machine.stoppedReport();
      results.push({
        name: check.name,
        passed: false,
        message: `${report ? `${report}\n\n` : ''}${message}\n(random inputs from seed ${checkSeed})`,
      });
    }
  }
  return results;
}
