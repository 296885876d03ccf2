/**
 * Every exercise of the book, found by the same glob as the page's registry
 * (src/runtime/worker/exercises.ts), so a new exercise cannot ship untested:
 * its region exists, every check fails on the starter with a message, and
 * every check passes on the reference kernel.
 */
import { expect, it } from 'vitest';
import { allExercises } from '../../src/runtime/worker/exercises';
import { describeExercise } from './exercise-checks';

it('finds the book’s exercises', () => {
  expect(allExercises().length).toBeGreaterThanOrEqual(10);
});

for (const exercise of allExercises()) describeExercise(exercise);
