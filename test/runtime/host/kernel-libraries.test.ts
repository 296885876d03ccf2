/**
 * The libraries the kernel links (src/runtime/host/kernel-libraries.ts): the
 * table holds exactly what the kernel's modules import from @noble, each the
 * package's own export, and kernel code that reads a name the table does not
 * link stops with an error naming what it links.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as sha2 from '@noble/hashes/sha2.js';
import * as ed25519 from '@noble/curves/ed25519.js';
import {
  KERNEL_LIBRARIES,
  LINKED_EXPORTS,
  UnlinkedExportError,
} from '../../../src/runtime/host/kernel-libraries';
import { KERNEL_ENTRY_MODULE, linkKernel } from '../../../src/runtime/host/kernel-loader';
import { readKernelSources } from '../../../src/runtime/node/kernel-source-tree';

/** Every value imported by name from a library in the kernel's sources: specifier → names. */
function kernelLibraryImports(): Map<string, Set<string>> {
  const imports = new Map<string, Set<string>>();
  for (const [path, text] of Object.entries(readKernelSources())) {
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    for (const statement of file.statements) {
      if (!ts.isImportDeclaration(statement) || statement.importClause?.isTypeOnly) continue;
      const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      if (specifier.startsWith('.')) continue;
      const bindings = statement.importClause?.namedBindings;
      expect(bindings && ts.isNamedImports(bindings), `${path} imports ${specifier} by name`).toBe(
        true,
      );
      const names = imports.get(specifier) ?? new Set<string>();
      for (const element of (bindings as ts.NamedImports).elements)
        if (!element.isTypeOnly) names.add((element.propertyName ?? element.name).text);
      imports.set(specifier, names);
    }
  }
  return imports;
}

describe('the libraries the kernel links', () => {
  it("are exactly the @noble exports the kernel's modules import", () => {
    const linked = Object.fromEntries(
      Object.entries(LINKED_EXPORTS).map(([specifier, exports]) => [
        specifier,
        Object.keys(exports).sort(),
      ]),
    );
    const imported = Object.fromEntries(
      [...kernelLibraryImports()]
        .filter(([, names]) => names.size > 0)
        .map(([specifier, names]) => [specifier, [...names].sort()]),
    );
    expect(linked).toEqual(imported);
  });

  it("hand kernel code each package's own export", () => {
    const sha = KERNEL_LIBRARIES['@noble/hashes/sha2.js'] as typeof sha2;
    expect(sha.sha256).toBe(sha2.sha256);
    expect((KERNEL_LIBRARIES['@noble/curves/ed25519.js'] as typeof ed25519).x25519).toBe(
      ed25519.x25519,
    );
    expect((sha as { __esModule?: boolean }).__esModule).toBeUndefined();
  });

  it('stop kernel code that reads a name they do not link, saying what they link', () => {
    const modules = {
      [KERNEL_ENTRY_MODULE]: [
        "const _sha2 = require('@noble/hashes/sha2.js');",
        'exports.kernelEntry = () => (0, _sha2.sha224)(new Uint8Array(1));',
      ].join('\n'),
    };
    const entry = linkKernel(modules) as unknown as () => unknown;
    expect(entry).toThrow(UnlinkedExportError);
    expect(entry).toThrow(
      "the kernel does not link 'sha224' from '@noble/hashes/sha2.js': it links sha256, sha384, sha512",
    );
  });
});
