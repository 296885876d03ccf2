/**
 * What every exercise's test proves: the exercise marks a region that its
 * starter replaces, fails every check on the starter with a message, and
 * passes every check on the reference kernel.
 */
import { describe, expect, it } from 'vitest';
import type { Exercise } from '../../src/runtime/host/exercise';
import { freshSeed, runChecks, starterSource } from '../../src/runtime/host/exercise';
import {
  freshBookDisk,
  repoKernelSources,
  repoUserPrograms,
} from '../../src/runtime/node/node-host';

const sources = repoKernelSources();
const programs = repoUserPrograms();
/** For checks that boot on the book's disk (the desktop's font is on it). */
const bookDisk = () => freshBookDisk().disk!.bytes;

/** The checks' seed: EXERCISE_SEED to repeat a run, otherwise a fresh one, printed. */
export const CHECK_SEED = Number(process.env.EXERCISE_SEED ?? freshSeed());
console.log(`exercise checks: seed ${CHECK_SEED} (EXERCISE_SEED=${CHECK_SEED} repeats this run)`);

/** The reference file with the exercise's region replaced by `body`. */
export function withRegion(exercise: Exercise, body: string): string {
  return starterSource({ ...exercise, starter: body }, sources[exercise.file]!);
}

export function describeExercise(exercise: Exercise, extra?: () => void): void {
  describe(`exercise ${exercise.id}`, () => {
    const reference = sources[exercise.file]!;

    it('marks a region in the kernel file that the starter replaces', () => {
      const starter = starterSource(exercise, reference);
      expect(starter).not.toBe(reference);
      expect(starter).toContain(`TODO (exercise ${exercise.id})`);
    });

    it('passes every check on the reference kernel', async () => {
      const results = await runChecks(exercise, sources, {}, programs, {
        seed: CHECK_SEED,
        bookDisk,
      });
      expect(results.filter((r) => !r.passed)).toEqual([]);
    });

    it('fails every check on the starter, with a message', async () => {
      const results = await runChecks(
        exercise,
        sources,
        { [exercise.file]: starterSource(exercise, reference) },
        programs,
        { seed: CHECK_SEED, bookDisk },
      );
      for (const result of results) {
        expect(result.passed, `${result.name}: ${result.message}`).toBe(false);
        expect(result.message.length).toBeGreaterThan(20);
      }
    });

    extra?.();
  });
}
