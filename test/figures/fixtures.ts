/**
 * The data the golden figures are drawn from: views captured from the
 * chapters' machines in Node (test/figures/fixtures/*.json), and the shape
 * of a view, to check that a fixture still has the shape today's kernel
 * produces.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fixture `name` (fixtures/<name>.json). */
export function readFixture<T>(name: string): T {
  return JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8'),
  ) as T;
}

/** The keys of a JSON value and the types of its leaves, arrays by their first item. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shapeOf(value[0])] : [];
  if (value === null || typeof value !== 'object') return value === null ? 'null' : typeof value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shapeOf(item)]));
}
