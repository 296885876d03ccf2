import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBootArguments } from '../../src/cli/boot-command';
import { sha256, toHex } from '../../src/emu/sha256';
import { bootFromRepo, freshBookDisk, repoBookDisk } from '../../src/runtime/node/node-host';

const ROOT = new URL('../..', import.meta.url).pathname;

function cottonBoot(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [join(ROOT, 'bin/cotton.mjs'), 'boot', '--fast', ...args],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The console without colours and OSC 133 marks. */
const plain = (text: string): string => text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;]*m/g, '');

describe("cotton boot without --disk: the book's disk, fresh each time", () => {
  it('parses --no-disk, and refuses it with --disk', () => {
    expect(parseBootArguments([]).noDisk).toBe(false);
    expect(parseBootArguments(['--no-disk']).noDisk).toBe(true);
    expect(() => parseBootArguments(['--no-disk', '--disk', 'a.img'])).toThrow(
      /exclude each other/,
    );
  });

  it("boots on a copy of the book's disk, whose writes last only as long as the command", async () => {
    const first = await cottonBoot(
      '--type',
      'write /home/reader/note hello\r',
      '--type',
      'cat /home/reader/note\r',
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const out = plain(first.stdout);
    expect(out).toMatch(/hda: "Cotton PC ATA disk", 65536 sectors \(32 MiB\)/);
    expect(out).toMatch(/root: CottonFS "cottonos" on hda/);
    expect(out).toMatch(/cat \/home\/reader\/note\r?\nhello/);
    const second = plain((await cottonBoot('--type', 'ls /home/reader\r')).stdout);
    expect(second).toContain('welcome.txt');
    expect(second).not.toContain('note');
  });

  it('boots without a disk with --no-disk', async () => {
    const result = await cottonBoot('--no-disk');
    expect(result.code).toBe(0);
    expect(plain(result.stdout)).not.toMatch(/hda:/);
  });

  it('changes the copy it attached, never the book disk of the process', () => {
    const pristine = toHex(sha256(repoBookDisk()));
    const fresh = freshBookDisk();
    const host = bootFromRepo({ ...fresh });
    host.runUntilPrompt();
    expect(plain(host.command('write /home/reader/note hello'))).not.toMatch(/error|no such/i);
    host.command('sync');
    expect(toHex(sha256(fresh.disk!.bytes))).not.toBe(pristine);
    expect(toHex(sha256(repoBookDisk()))).toBe(pristine);
    expect(toHex(host.snapshot().length > 0 ? fresh.diskDigest!() : new Uint8Array())).toBe(
      pristine,
    );
  });
});
