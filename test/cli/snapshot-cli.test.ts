import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBootArguments } from '../../src/cli/boot-command';
import { cottonProcess } from '../support/cotton-cli';

describe('cotton boot --save-snapshot / --snapshot', () => {
  it('parses both flags', () => {
    const args = parseBootArguments(['--snapshot', 'in.snap', '--save-snapshot', 'out.snap']);
    expect(args.snapshot).toBe('in.snap');
    expect(args.saveSnapshot).toBe('out.snap');
  });

  it('continues a saved session exactly as if it had never stopped', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cotton-snap-')), 'session.snap');
    const first = await cottonProcess([
      'boot',
      '--fast',
      '--type',
      'echo one\\n',
      '--save-snapshot',
      file,
    ]);
    expect(first.code).toBe(0);
    expect(readFileSync(file).subarray(0, 6).toString()).toBe('CTSNAP');
    const resumed = await cottonProcess([
      'boot',
      '--fast',
      '--snapshot',
      file,
      '--type',
      'echo two\\n',
    ]);
    const straight = await cottonProcess([
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
  }, 120_000); // three boots in new processes

  it('exits 1 with the reason when the snapshot cannot be used', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cotton-snap-')), 'bad.snap');
    writeFileSync(file, 'not a snapshot');
    const { code, stderr } = await cottonProcess(['boot', '--fast', '--snapshot', file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/not a Cotton PC snapshot/);
  });
});
