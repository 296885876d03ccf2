import { describe, expect, it } from 'vitest';
import { excerpt } from '../../../src/runtime/host/source-excerpt';

const SOURCE = [
  'import x from "y";',
  '',
  '/** Adds. */',
  'export function add(a: number, b: number): number {',
  '  // #region body',
  '  return a + b;',
  '  // #endregion body',
  '}',
  '',
  'export const LIMIT = 10;',
  '',
  'export class Counter {',
  '  count = 0;',
  '',
  '  /** One more. */',
  '  increment(): void {',
  '    this.count++;',
  '  }',
  '}',
].join('\n');

describe('source excerpts', () => {
  it('cuts a region without its markers and dedents it', () => {
    expect(excerpt('f.ts', SOURCE, { region: 'body' })).toEqual({
      code: 'return a + b;',
      firstLine: 6,
      lastLine: 6,
    });
  });

  it('cuts a top-level function with its doc comment, dropping region markers inside', () => {
    expect(excerpt('f.ts', SOURCE, { symbol: 'add' }).code).toBe(
      '/** Adds. */\nexport function add(a: number, b: number): number {\n  return a + b;\n}',
    );
  });

  it('cuts a one-line declaration', () => {
    expect(excerpt('f.ts', SOURCE, { symbol: 'LIMIT' }).code).toBe('export const LIMIT = 10;');
  });

  it('cuts a class member with its doc comment', () => {
    expect(excerpt('f.ts', SOURCE, { symbol: 'Counter.increment' }).code).toBe(
      '/** One more. */\nincrement(): void {\n  this.count++;\n}',
    );
  });

  it('cuts a line range', () => {
    expect(excerpt('f.ts', SOURCE, { lines: '10-10' }).code).toBe('export const LIMIT = 10;');
  });

  it('names the file and the missing piece when a name matches nothing', () => {
    expect(() => excerpt('f.ts', SOURCE, { region: 'nope' })).toThrow("f.ts: no region 'nope'");
    expect(() => excerpt('f.ts', SOURCE, { symbol: 'missing' })).toThrow(
      "f.ts: no top-level declaration of 'missing'",
    );
  });
});
