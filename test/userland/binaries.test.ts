/**
 * The committed user programs (src/userland/bin/*.elf): every one a static
 * ELF32 RISC-V executable whose loadable segments lie in user space, never
 * writable and executable at once; one for each program build.sh builds; and,
 * when clang and ld.lld are installed and clang is the version that built
 * them (bin/TOOLCHAIN), exactly the bytes a fresh build gives (so the
 * committed binaries are the sources' and the build is reproducible).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseElf32, PF_W, PF_X } from '../../src/emu/rv32/elf32';

const USERLAND = fileURLToPath(new URL('../../src/userland/', import.meta.url));
const BIN = join(USERLAND, 'bin');
const USER_FIRST = 0x0001_0000; // below: unmapped, so that null pointers fault
const USER_END = 0x8000_0000; // the kernel's half starts here
const PAGE = 4096;

const committed = readdirSync(BIN)
  .filter((name) => name.endsWith('.elf'))
  .sort();
const built = /^PROGRAMS="([^"]*)"/m
  .exec(readFileSync(join(USERLAND, 'build.sh'), 'utf8'))![1]!
  .split(/\s+/)
  .map((p) => `${p}.elf`)
  .sort();

const onPath = (tool: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
const committedCompiler = readFileSync(join(BIN, 'TOOLCHAIN'), 'utf8').trim();
const localCompiler = onPath('clang')
  ? spawnSync('clang', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]!.trim()
  : '';
// Another clang version makes other (equally good) bytes, so only the same compiler is compared.
const skipReason =
  !onPath('clang') || !onPath('ld.lld')
    ? 'clang and ld.lld are not on PATH; apt-get install clang lld'
    : localCompiler !== committedCompiler
      ? `the committed binaries were built by "${committedCompiler}", this is "${localCompiler}"`
      : '';

describe('src/userland/bin', () => {
  it('holds one ELF file for each program build.sh builds', () => {
    expect(committed).toEqual(built);
    expect(committed).toContain('init.elf');
  });

  it.each(committed)('%s is a RISC-V ELF32 executable loaded in user space', (name) => {
    const bytes = readFileSync(join(BIN, name));
    const program = parseElf32(bytes); // checks magic, class, endianness, ET_EXEC, EM_RISCV
    expect(program.segments.length).toBeGreaterThanOrEqual(2);
    for (const segment of program.segments) {
      expect(segment.vaddr % PAGE).toBe(0);
      expect(segment.vaddr).toBeGreaterThanOrEqual(USER_FIRST);
      expect(segment.vaddr + segment.memsz).toBeLessThanOrEqual(USER_END);
      expect(segment.flags & (PF_W | PF_X)).not.toBe(PF_W | PF_X);
    }
    const text = program.segments.find((s) => s.flags & PF_X)!;
    expect(program.entry).toBe(text.vaddr); // _start comes first (link.ld)
  });
});

describe('a fresh build of src/userland', () => {
  it.skipIf(skipReason !== '')(
    `gives the committed bytes${skipReason ? ` (skipped: ${skipReason})` : ''}`,
    () => {
      const out = mkdtempSync(join(tmpdir(), 'cotton-userland-'));
      try {
        const build = spawnSync('sh', [join(USERLAND, 'build.sh'), out], {
          encoding: 'utf8',
          env: { ...process.env, CC: 'clang' },
        });
        expect(build.stderr).toBe('');
        expect(build.status).toBe(0);
        const fresh = readdirSync(out)
          .filter((name) => name.endsWith('.elf'))
          .sort();
        expect(fresh).toEqual(committed);
        const differing = fresh.filter(
          (name) => !readFileSync(join(out, name)).equals(readFileSync(join(BIN, name))),
        );
        expect(
          differing,
          'rebuild with `npm run build:userland` and commit src/userland/bin',
        ).toEqual([]);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
