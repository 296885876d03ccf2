/**
 * What a check says when the reader's code stops the machine: the last call
 * of the exercise's function, with its arguments and what it returned or
 * threw, comes first, before the check's own message and the panic's stack.
 */
import { describe, expect, it } from 'vitest';
import { exercise as memoryMap } from '../../exercises/boot/memory-map/exercise';
import { exercise as translate } from '../../exercises/paging/translate/exercise';
import { exercise as pickNext } from '../../exercises/scheduler/pick-next/exercise';
import { type Exercise, runChecks, starterSource } from '../../src/runtime/host/exercise';
import { repoKernelSources, repoUserPrograms } from '../../src/runtime/node/node-host';
import { withRegion } from './exercise-checks';

const sources = repoKernelSources();
const programs = repoUserPrograms();

/** The message of the exercise's first check on `file` (the starter when absent). */
async function firstMessage(exercise: Exercise, file?: string): Promise<string> {
  const edited = file ?? starterSource(exercise, sources[exercise.file]!);
  const [result] = await runChecks(
    { ...exercise, checks: exercise.checks.slice(0, 1) },
    sources,
    { [exercise.file]: edited },
    programs,
    { seed: 1 },
  );
  expect(result!.passed).toBe(false);
  return result!.message;
}

describe('a check that stops the machine', () => {
  it('starts with what the starter returned, before the panic', async () => {
    const message = await firstMessage(memoryMap);
    expect(message).toMatch(
      /^Your parseMemoryMap\(\) was called once; the last call, parseMemoryMap\(\w+ \{…\}, 0x[0-9a-f]+\), returned \[\]\.\n/,
    );
    expect(message.indexOf('KERNEL PANIC')).toBeGreaterThan(message.indexOf('returned []'));
  });

  it('says that the function threw, and what', async () => {
    const throwing = withRegion(
      memoryMap,
      `export function parseMemoryMap(memory: PhysicalMemory, tag: number): MemoryRegion[] {\n  throw new RangeError('tag ' + tag + ' is odd');\n}`,
    );
    const message = await firstMessage(memoryMap, throwing);
    expect(message).toMatch(
      /^Your parseMemoryMap\(\) was called once; the last call, .* threw RangeError: tag \d+ is odd\./,
    );
    expect(message).toMatch(/KERNEL PANIC: RangeError: tag \d+ is odd/);
  });

  it('names a method and its arguments (paging/translate)', async () => {
    const message = await firstMessage(translate);
    expect(message).toMatch(
      /^Your translate\(\) was called once; the last call, translate\(0x[0-9a-f]+, 0x10000\), returned null\./,
    );
  });

  it('names a function the module calls by its local name, when the machine hangs (scheduler/pick-next)', async () => {
    const message = await firstMessage(pickNext);
    expect(message).toMatch(
      /^Your pickNext\(\) was called \d+ times; the last call, pickNext\(\[.*\]\), returned null\./,
    );
    expect(message).toMatch(/timed out/);
  });

  it('is left out when the machine kept running and the check found a wrong answer', async () => {
    const hardCoded = withRegion(
      memoryMap,
      `export function parseMemoryMap(memory: PhysicalMemory, tag: number): MemoryRegion[] {
  return [
    { base: 0, length: 0x9fc00, type: 1 }, { base: 0x9fc00, length: 0x400, type: 2 },
    { base: 0xf0000, length: 0x10000, type: 2 }, { base: 0x100000, length: 127 * 1024 * 1024, type: 1 },
  ];
}`,
    );
    const [, , third] = await runChecks(memoryMap, sources, { [memoryMap.file]: hardCoded }, [], {
      seed: 1,
    });
    expect(third!.passed).toBe(false);
    expect(third!.message).not.toMatch(/^Your /);
  });
});
