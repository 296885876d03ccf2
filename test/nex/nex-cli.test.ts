import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nexInProcess, ROOT } from '../support/cotton-cli';

describe('cotton nex', () => {
  it('records a script deterministically, then inspects, exports, converts and plays it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nex-cli-'));
    const script = join(dir, 'demo.script');
    writeFileSync(script, 'title Demo\nprompt\nrun echo hi\nrun nope\n');
    const [a, b] = [join(dir, 'a.nex'), join(dir, 'b.nex')];
    expect((await nexInProcess(['record', '--script', script, '-o', a])).code).toBe(0);
    expect((await nexInProcess(['record', '--script', script, '-o', b])).code).toBe(0);
    expect(readFileSync(a)).toEqual(readFileSync(b));

    const inspect = await nexInProcess(['inspect', a]);
    expect(inspect.stdout).toContain('"created_at":"2026-01-01T09:00:00Z"');
    expect(inspect.stdout).toMatch(/rc=127\s+nope/);
    const csv = await nexInProcess(['csv', a]);
    expect(csv.stdout.split('\n')[0]).toBe(
      'start_iso,start_t,end_t,duration_s,duration_human,cwd,cmd,rc,output_bytes,output_snippet',
    );
    expect(csv.stdout).toContain(',/,nope,127,');
    const json = join(dir, 'a.json');
    await nexInProcess(['json', a, '-o', json]);
    expect(JSON.parse(readFileSync(json, 'utf8')).map((c: { cmd: string }) => c.cmd)).toEqual([
      'echo hi',
      'nope',
    ]);
    const play = await nexInProcess(['play', a, '--speed', '100', '--idle-limit', '0.01']);
    expect(play.stdout).toContain('nope: command not found');

    const cast = join(dir, 'a.cast');
    expect((await nexInProcess(['convert', a, cast, '--to', 'v3'])).code).toBe(0);
    expect(JSON.parse(readFileSync(cast, 'utf8').split('\n')[0]!).version).toBe(3);
    const back = join(dir, 'back.nex');
    expect((await nexInProcess(['convert', cast, back])).code).toBe(0);
    expect((await nexInProcess(['csv', back])).stdout).toContain(',nope,127,');
  });

  it('reports bad usage and damaged files clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nex-cli-'));
    const bad = join(dir, 'bad.nex');
    writeFileSync(bad, 'not a zip');
    expect(await nexInProcess(['convert', bad, join(dir, 'x.cast')])).toMatchObject({
      code: 1,
      stderr: `${bad} is not a readable .nex or .cast recording: not a .nex file: it is not a ZIP archive`,
    });
    expect(await nexInProcess(['inspect', bad])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/bad\.nex is not a readable \.nex or \.cast recording/),
    });
    expect((await nexInProcess(['frobnicate'])).stderr).toMatch(
      /unknown nex command 'frobnicate'\nusage: cotton nex record/,
    );
    expect((await nexInProcess(['play', bad, '--speed', '0'])).stderr).toMatch(
      /--speed needs a positive number/,
    );
    expect((await nexInProcess(['convert', bad])).stderr).toMatch(/expected IN and OUT files/);
  });

  it('is wired into the cotton command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nex-cli-'));
    const bad = join(dir, 'bad.nex');
    writeFileSync(bad, 'not a zip');
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        'node',
        [join(ROOT, 'bin/cotton.mjs'), 'nex', 'convert', bad, join(dir, 'x.cast')],
        { cwd: ROOT, timeout: 30_000 },
        (error, _stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    expect(result).toEqual({
      code: 1,
      stderr: `cotton: ${bad} is not a readable .nex or .cast recording: not a .nex file: it is not a ZIP archive\n`,
    });
  }, 30_000);
});
