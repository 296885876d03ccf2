/**
 * Each folder that runs on one platform has a tsconfig.json that lets it see
 * only that platform (scripts/typecheck.mjs checks every one in `npm test`).
 * These tests compile a deliberately wrong file under each folder's options
 * and expect the compiler to refuse it, so a config that lets everything
 * through fails here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');

/** One compiler host for every compile, so the standard library is parsed once. */
const parsed = new Map<string, ts.SourceFile | undefined>();
const baseHost = ts.createCompilerHost({});
const host: ts.CompilerHost = {
  ...baseHost,
  getSourceFile(fileName, languageVersion, onError) {
    const key = `${fileName}:${JSON.stringify(languageVersion)}`;
    if (!parsed.has(key))
      parsed.set(key, baseHost.getSourceFile(fileName, languageVersion, onError));
    return parsed.get(key);
  },
};

function compile(configPath: string, source: string): string[] {
  const config = ts.readConfigFile(join(ROOT, configPath), ts.sys.readFile);
  const options = ts.parseJsonConfigFileContent(
    config.config,
    ts.sys,
    dirname(join(ROOT, configPath)),
  ).options;
  const dir = mkdtempSync(join(tmpdir(), 'platform-'));
  const file = join(dir, 'wrong-platform.ts');
  writeFileSync(file, source);
  const declarations = ts
    .parseJsonConfigFileContent(config.config, ts.sys, dirname(join(ROOT, configPath)))
    .fileNames.filter((name) => name.endsWith('.d.ts'));
  const program = ts.createProgram({ rootNames: [file, ...declarations], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const USES_THE_DOM = 'export const title: string = document.title;\n';
const USES_NODE = "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n";
const USES_NODE_GLOBALS = 'export const argv: string[] = process.argv;\n';
const PLATFORM_FREE = 'export const bytes: Uint8Array = new TextEncoder().encode("ok");\n';

describe('platform configurations', () => {
  for (const folder of ['src/kernel', 'src/emu', 'src/nex', 'src/figures', 'src/runtime/host']) {
    it(`${folder} sees neither the DOM nor Node, but has TextEncoder`, () => {
      const config = `${folder}/tsconfig.json`;
      expect(compile(config, USES_THE_DOM).join('\n')).toMatch(/Cannot find name 'document'/);
      expect(compile(config, USES_NODE).join('\n')).toMatch(/Cannot find (module|name) 'node:fs'/);
      expect(compile(config, USES_NODE_GLOBALS).join('\n')).toMatch(/Cannot find name 'process'/);
      expect(compile(config, PLATFORM_FREE)).toEqual([]);
    });
  }

  it('the worker sees no DOM and no Node', () => {
    const config = 'src/runtime/worker/tsconfig.json';
    expect(compile(config, USES_THE_DOM).join('\n')).toMatch(/Cannot find name 'document'/);
    expect(compile(config, USES_NODE).join('\n')).toMatch(/Cannot find (module|name) 'node:fs'/);
  });

  for (const folder of ['src/runtime/browser', 'src/runtime/player']) {
    it(`${folder} sees the DOM but not Node`, () => {
      const config = `${folder}/tsconfig.json`;
      expect(compile(config, USES_THE_DOM)).toEqual([]);
      expect(compile(config, USES_NODE).join('\n')).toMatch(/Cannot find (module|name) 'node:fs'/);
      expect(compile(config, USES_NODE_GLOBALS).join('\n')).toMatch(/Cannot find name 'process'/);
    });
  }

  it('src/runtime/node sees Node but not the DOM', () => {
    const config = 'src/runtime/node/tsconfig.json';
    expect(compile(config, USES_NODE)).toEqual([]);
    expect(compile(config, USES_THE_DOM).join('\n')).toMatch(/Cannot find name 'document'/);
  });
});
