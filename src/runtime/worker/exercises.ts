/**
 * The book's exercises, by id: every exercises/<chapter>/<name>/exercise.ts.
 *
 * Imported eagerly through Vite's glob import, so the page (statement, starter)
 * and the machine worker (checks) see the same registry without a list to keep
 * up to date. An exercise module may export its Exercise under any name.
 */
import type { Exercise } from '../host/exercise';

const modules = import.meta.glob<Record<string, unknown>>('/exercises/**/exercise.ts', {
  eager: true,
});

function isExercise(value: unknown): value is Exercise {
  const candidate = value as Partial<Exercise> | null;
  return typeof candidate?.id === 'string' && Array.isArray(candidate.checks);
}

const registry = new Map<string, Exercise>(
  Object.values(modules)
    .flatMap((exports) => Object.values(exports).filter(isExercise))
    .map((exercise) => [exercise.id, exercise]),
);

/** Every exercise of the book, in the order of their files. */
export function allExercises(): Exercise[] {
  return [...registry.values()];
}

export function findExercise(id: string): Exercise {
  const exercise = registry.get(id);
  if (!exercise)
    throw new Error(`no exercise '${id}' (known: ${[...registry.keys()].join(', ') || 'none'})`);
  return exercise;
}
