/**
 * Kernels for checks that run inside the machine: the repository's kernel with
 * its shell thread replaced by a check thread from an extra kernel module (an
 * override, as the book's editor makes). The check prints lines starting with
 * its name, which the test reads back from the console.
 */
import { expect } from 'vitest';
import { repoKernelSources } from '../../src/runtime/node/node-host';

const ENTRY = 'src/kernel/boot/kernel-init.ts';

/** Overrides that boot `threadFunction(kernel)` from `module` (a path under src/kernel/) instead of the shell. */
export function checkKernel(
  module: string,
  threadFunction: string,
  source: string,
): Record<string, string> {
  const entry = repoKernelSources()[ENTRY]!;
  const spawnShell = "spawn('shell', shellThread(kernel, commands));";
  expect(entry).toContain(spawnShell);
  const importPath = `../${module.replace(/^src\/kernel\//, '').replace(/\.ts$/, '')}`;
  const edited = entry
    .replace(spawnShell, `spawn('${threadFunction}', ${threadFunction}(kernel));`)
    .replace(
      "import { shellThread } from '../shell/shell';",
      `import { ${threadFunction} } from '${importPath}';`,
    );
  return { [ENTRY]: edited, [module]: source };
}
