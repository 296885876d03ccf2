import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBootArguments } from '../../src/cli/boot-command';

const ROOT = new URL('../..', import.meta.url).pathname;

function cotton(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [join(ROOT, 'bin/cotton.mjs'), ...args],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('cotton boot --save-snapshot / --snapshot', () => {
  it('parses both flags', () => {
    const args = parseBootArguments(['--snapshot', 'in.snap', '--save-snapshot', 'out.snap']);
    expect(args.snapshot).toBe('in.snap');
    expect(args.saveSnapshot).toBe('out.snap');
  });

  it('continues a saved session exactly as if it had never stopped', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cotton-snap-')), 'session.snap');
    const first = await cotton([
      'boot',
      '--fast',
      '--type',
      'echo one\\n',
      '--save-snapshot',
      file,
    ]);
    expect(first.code).toBe(0);
    expect(readFileSync(file).subarray(0, 6).toString()).toBe('CTSNAP');
    const resumed = await cotton(['boot', '--fast', '--snapshot', file, '--type', 'echo two\\n']);
    const straight = await cotton([
      'boot',
      '--fast',
      '--type',
      'echo one\\n',
      '--type',
      'echo two\\n',
    ]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe(straight.stdout);
    expect(resumed.stdout).toMatch(/one\r\n[\s\S]*two\r\n/);
  });

  it('exits 1 with the reason when the snapshot cannot be used', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cotton-snap-')), 'bad.snap');
    writeFileSync(file, 'not a snapshot');
    const { code, stderr } = await cotton(['boot', '--fast', '--snapshot', file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/not a Cotton PC snapshot/);
  });
});
