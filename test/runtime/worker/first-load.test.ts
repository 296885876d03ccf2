/**
 * What the machine worker loads before its first prompt: the modules its
 * entry imports statically, followed through the repository. The book ships
 * the kernel transpiled, so that graph must hold neither the transpiler
 * (sucrase) nor the kernel's TypeScript nor the exercises: those come in
 * `import()`s, on a reader's edit or a check. Nor the recorder (on Record),
 * nor the programs as base64: they come as a binary file (book-files.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const WORKER = 'src/runtime/worker/machine-worker.ts';

/** The specifiers a module imports statically (type-only imports are erased, so they do not count). */
function staticImports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly)
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly)
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
  }
  return specifiers;
}

function resolveLocal(from: string, specifier: string): string {
  const base = join(dirname(from), specifier).replace(/\.(ts|js)$/, '');
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // not this one: try the next
    }
  }
  throw new Error(`${relative(ROOT, from)}: cannot resolve '${specifier}'`);
}

/** Every repository module and package the worker's entry reaches through static imports. */
function firstLoadGraph(): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const pending = [join(ROOT, WORKER)];
  while (pending.length > 0) {
    const path = pending.pop()!;
    if (modules.has(relative(ROOT, path))) continue;
    modules.add(relative(ROOT, path));
    for (const specifier of staticImports(path)) {
      if (specifier.startsWith('.')) pending.push(resolveLocal(path, specifier));
      else packages.add(specifier);
    }
  }
  return { modules, packages };
}

describe("the machine worker's first load", () => {
  const { modules, packages } = firstLoadGraph();

  it('is followed through the modules that boot a machine', () => {
    expect(modules).toContain('src/runtime/host/machine-host.ts');
    expect(modules).toContain('src/runtime/host/kernel-loader.ts');
    expect(packages).toContain('virtual:cotton-kernel');
  });

  it('does not load the transpiler', () => {
    expect(packages).not.toContain('sucrase');
    expect(modules).not.toContain('src/runtime/host/transpile.ts');
  });

  it("does not load the kernel's TypeScript, the exercises or their checks", () => {
    expect(packages).not.toContain('virtual:cotton-kernel/sources');
    expect(modules).not.toContain('src/runtime/worker/exercises.ts');
    expect(modules).not.toContain('src/runtime/host/exercise.ts');
  });

  it('does not load the recorder until the reader presses Record', () => {
    expect(modules).not.toContain('src/runtime/worker/machine-recording.ts');
    expect([...modules].filter((module) => module.startsWith('src/nex/'))).toEqual([]);
  });

  it('fetches the programs as one binary file, not base64 in its script', () => {
    expect(packages).toContain('virtual:cotton-book-files');
    expect(modules).toContain('src/runtime/host/book-files.ts');
  });
});
