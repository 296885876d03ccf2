/**
 * `cotton boot --disk` ends with a clean stop: what the typed commands wrote in
 * their last second reaches the image (the kernel's flusher is given its time,
 * src/cli/disk-commit.ts), and `cotton cat` reads it back. Also: the console
 * has no colours or OSC 133 marks in a pipe, and none with NO_COLOR.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNEL_FLUSH_INTERVAL_MS } from '../../src/cli/disk-commit';

const ROOT = new URL('../..', import.meta.url).pathname;

function cotton(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [join(ROOT, 'bin/cotton.mjs'), ...args],
      {
        cwd: ROOT,
        timeout: 120_000,
        env: { ...process.env, FORCE_COLOR: '', NO_COLOR: '', ...env },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('cotton boot --disk, at the end of a headless run', () => {
  it('commits what the last command wrote, so cotton cat shows it', async () => {
    const image = join(mkdtempSync(join(tmpdir(), 'cotton-commit-')), 'disk.img');
    expect((await cotton(['mkfs', image, '--size', '8M'])).code).toBe(0);
    const run = await cotton([
      'boot',
      '--disk',
      image,
      '--max-ms',
      '90000',
      '--type',
      'write /home/note.txt written just before exit\\n',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const cat = await cotton(['cat', image, '/home/note.txt']);
    expect(cat).toMatchObject({ code: 0, stdout: 'written just before exit\n' });
    expect((await cotton(['fsck', image])).code).toBe(0);
  }, 240_000);

  it('writes no colours and no OSC 133 marks into a pipe, nor with NO_COLOR', async () => {
    const piped = await cotton(['boot', '--fast', '--max-ms', '90000', '--type', 'echo hi\\n']);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/\$ echo hi\r\nhi\r\n/);
    expect(piped.stdout).not.toContain('\x1b[');
    expect(piped.stdout).not.toContain('\x1b]');
    const forced = await cotton(['boot', '--fast', '--max-ms', '90000', '--type', 'echo hi\\n'], {
      FORCE_COLOR: '1',
      NO_COLOR: '1',
    });
    expect(forced.stdout).not.toContain('\x1b]133');
  }, 240_000);

  it("waits for the kernel's own flush interval", () => {
    const init = readFileSync(join(ROOT, 'src/kernel/boot/kernel-init.ts'), 'utf8');
    expect(init).toContain(`export const FLUSH_INTERVAL_MS = ${KERNEL_FLUSH_INTERVAL_MS};`);
  });
});
