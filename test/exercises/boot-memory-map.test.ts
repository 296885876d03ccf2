/**
 * The boot chapter's memory-map exercise beyond what every exercise is
 * checked for (every-exercise.test.ts): a hard-coded answer fails, and a
 * panic in the reader's code is reported, not timed out.
 */
import { describe, expect, it } from 'vitest';
import { exercise } from '../../exercises/boot/memory-map/exercise';
import { runChecks, starterSource } from '../../src/runtime/host/exercise';
import { repoKernelSources } from '../../src/runtime/node/node-host';

describe('exercise boot/memory-map', () => {
  const sources = repoKernelSources();
  const reference = sources[exercise.file]!;

  it('fails on a parser that ignores entry lengths (hard-coded map)', async () => {
    const hardCoded = reference.replace(
      /(\/\/ #region exercise:memory-map\n)[\s\S]*?(\n\/\/ #endregion exercise:memory-map)/,
      `$1export function parseMemoryMap(memory: PhysicalMemory, tag: number): MemoryRegion[] {
  return [
    { base: 0, length: 0x9fc00, type: 1 }, { base: 0x9fc00, length: 0x400, type: 2 },
    { base: 0xf0000, length: 0x10000, type: 2 }, { base: 0x100000, length: 127 * 1024 * 1024, type: 1 },
  ];
}$2`,
    );
    expect(hardCoded).not.toBe(reference);
    const results = await runChecks(exercise, sources, { [exercise.file]: hardCoded });
    expect(results.map((r) => r.passed)).toEqual([true, true, false]);
  });

  it('reports a panic in the reader code instead of timing out', async () => {
    const throwing = starterSource(
      {
        ...exercise,
        starter: `export function parseMemoryMap(memory: PhysicalMemory, tag: number): MemoryRegion[] {\n  throw new Error('not yet');\n}`,
      },
      reference,
    );
    const [first] = await runChecks(exercise, sources, { [exercise.file]: throwing });
    expect(first!.passed).toBe(false);
    expect(first!.message).toMatch(/KERNEL PANIC: Error: not yet/);
    expect(first!.message).toMatch(/parseMemoryMap at src\/kernel\/arch\/multiboot2\.ts:\d+:\d+/);
  });
});
