/**
 * The page's weight apart from the editor's (src/bench/page-weight.ts): a
 * file counts by what it is, so the page's own code loaded when idle stays
 * the page's, and the editor's code fetched ahead of Edit stays the editor's.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { byRole, isEditorCode, totalKb, unhashedName, weightOf } from '../../src/bench/page-weight';

const DIST = '/srv/book';
const at = (name: string): string => join(DIST, '_astro', name);

/** A visit's files as a build names them: the page's, then the editor's. */
const PAGE = [
  at('machine-worker-DJXY8eah.js'),
  at('book-files-CCU17tVb.bin'),
  at('page-theme.B1a2C3d4.js'),
  at('figures.DWecDSbw.js'),
  at('player-element.DfNu-t4H.js'),
  at('editor.Qw3rTy12.css'),
  join(DIST, 'boot', 'index.html'),
];
const EDITOR = [
  at('editor.DyU_9RN7.js'),
  at('editor.worker-a-pwmLvg.js'),
  at('ts.worker-DXlyBqxy.js'),
  at('tsMode.pZHvws-U.js'),
  at('typescript.C953S1zH.js'),
  at('transpile-DE9MMYt7.js'),
];

describe("the page's weight and the editor's", () => {
  it('names a built file without its hash, however Vite joined it', () => {
    expect(unhashedName(at('editor.worker-a-pwmLvg.js'))).toBe('editor.worker.js');
    expect(unhashedName(at('tsMode.pZHvws-U.js'))).toBe('tsMode.js');
    expect(unhashedName(at('book-files-CCU17tVb.bin'))).toBe('book-files.bin');
  });

  it("counts Monaco, its workers and the transpiler as the editor's, and nothing else", () => {
    expect(EDITOR.filter((file) => !isEditorCode(DIST, file))).toEqual([]);
    // The editor's stylesheet is linked by every page with a machine: the page's.
    expect(PAGE.filter((file) => isEditorCode(DIST, file))).toEqual([]);
  });

  it('tells them apart whenever they were fetched, a file fetched twice once', () => {
    const visit = [PAGE[0]!, EDITOR[0]!, PAGE[3]!, EDITOR[5]!, PAGE[0]!, PAGE[4]!];
    const { page, editor } = byRole(DIST, visit);
    expect(new Set(page)).toEqual(new Set([PAGE[0], PAGE[3], PAGE[4]]));
    expect(editor).toEqual([EDITOR[0], EDITOR[5]]);
  });

  it('weighs each distinct file gzipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cotton-weight-'));
    mkdirSync(join(dir, '_astro'));
    const script = join(dir, '_astro', 'figures.DWecDSbw.js');
    writeFileSync(script, 'export const figure = 1;\n'.repeat(4096));
    const weights = weightOf([script, script]);
    expect(weights).toHaveLength(1);
    expect(weights[0]!.rawBytes).toBe(25 * 4096);
    expect(weights[0]!.gzipBytes).toBeLessThan(weights[0]!.rawBytes / 50);
    expect(totalKb(weights)).toBeGreaterThan(0);
  });
});
