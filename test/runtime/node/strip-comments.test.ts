import { describe, expect, it } from 'vitest';
import { MachineHost } from '../../../src/runtime/host/machine-host';
import { transpileKernel } from '../../../src/runtime/host/kernel-loader';
import { repoKernelSources, repoUserPrograms } from '../../../src/runtime/node/node-host';
import { stripComments, trimLineEnds } from '../../../src/runtime/node/strip-comments';

const lines = (text: string): number => text.split('\n').length;
const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

describe('stripComments', () => {
  it('blanks out line and block comments, keeping lines, columns and UTF-8 length', () => {
    const js = [
      '/**',
      ' * A header.',
      ' */',
      'const a = 1; // the first',
      'const b = /* inline */ 2; // → the second',
      'f(a, b);',
    ].join('\n');
    const stripped = stripComments(js);
    expect(stripped).not.toMatch(/header|first|inline|second/);
    expect(lines(stripped)).toBe(lines(js));
    expect(utf8Length(stripped)).toBe(utf8Length(js));
    expect(stripped.split('\n')[3]!.trimEnd()).toBe('const a = 1;');
    expect(stripped.split('\n')[4]!.replace(/ +/g, ' ').trimEnd()).toBe('const b = 2;');
    expect(stripped.split('\n')[4]!.indexOf('2')).toBe(js.split('\n')[4]!.indexOf('2'));
    expect(stripped.split('\n')[5]).toBe('f(a, b);');
  });

  it('leaves comment-like text in strings, templates and regular expressions alone', () => {
    const js = [
      "const url = 'http://example.com/*x*/';",
      'const t = `// not ${url} /* a comment */`;',
      'const re = /\\/\\/ +[/*]/g;',
    ].join('\n');
    expect(stripComments(js)).toBe(js);
  });

  it('gives a kernel that boots to the same output, byte for byte, its modules at the same addresses', () => {
    const sources = repoKernelSources();
    const modules = transpileKernel(sources);
    const stripped = Object.fromEntries(
      Object.entries(modules).map(([file, js]) => [file, stripComments(js)]),
    );
    // As the book ships them: trimmed, then padded back at the end (vite-plugin-kernel.ts).
    const shipped = Object.fromEntries(
      Object.entries(stripped).map(([file, js]) => {
        const trimmed = trimLineEnds(js);
        return [file, trimmed + ' '.repeat(js.length - trimmed.length)];
      }),
    );
    for (const file of Object.keys(modules)) {
      expect(utf8Length(stripped[file]!), file).toBe(utf8Length(modules[file]!));
      expect(utf8Length(shipped[file]!), file).toBe(utf8Length(modules[file]!));
      expect(lines(shipped[file]!), file).toBe(lines(modules[file]!));
    }
    const boot = (kernel: Record<string, string>) =>
      new MachineHost({ modules: kernel, programs: repoUserPrograms() }).runUntilPrompt();
    const booted = boot(modules);
    expect(boot(stripped)).toBe(booted);
    expect(boot(shipped)).toBe(booted);
  });
});

describe('trimLineEnds', () => {
  it('drops the blanks that end lines, keeping lines and the columns of the code', () => {
    const js = stripComments(
      [
        '/**',
        ' * A header.',
        ' */',
        'const a = 1;   // the first',
        '\tif (a) {  ',
        '  f(a);',
        '}  ',
      ].join('\n'),
    );
    const trimmed = trimLineEnds(js);
    expect(trimmed.split('\n')).toEqual(['', '', '', 'const a = 1;', '\tif (a) {', '  f(a);', '}']);
  });

  it('keeps the blanks that end a line inside a template literal: they are text', () => {
    const js = ['const t = `one   ', 'two ${x}   ', 'three`;   ', "const s = 'a  ';  "].join('\n');
    expect(trimLineEnds(js).split('\n')).toEqual([
      'const t = `one   ',
      'two ${x}   ',
      'three`;',
      "const s = 'a  ';",
    ]);
  });
});
