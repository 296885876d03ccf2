/**
 * Every command of the README, run as a newcomer would: each line of its `sh`
 * blocks, literally, in a fresh directory that holds the repository's `src`
 * and `recordings` (what the README's relative paths name), one after the
 * other (the later ones use what the earlier ones made: disk.img, s.snap,
 * out.nex). Each must exit 0. `npx cotton` is run as npx resolves it in the
 * repository (bin/cotton.mjs), and each `cotton boot` gets a --max-ms so that
 * a hang fails the test instead of stalling it. The npm scripts that install,
 * build the site, serve or run for minutes are listed in NOT_RUN with the
 * reason; a README line that is neither run nor listed fails the test, so a
 * new command cannot slip in untried.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const COTTON = `node ${join(ROOT, 'bin/cotton.mjs')}`;
/** Generous: the machines that run the tests are often busy. */
const MAX_MS = 120_000;

/** README lines not run here, by their start, and why. */
const NOT_RUN: Readonly<Record<string, string>> = {
  'npm install': 'installs from the registry (the tests run after it)',
  'npm run dev': 'a development server that runs until stopped',
  'npm test': 'the whole suite, this test included',
  'npm run build': 'builds the site (minutes); the browser tests do it',
  'npm run bench': 'the benchmarks run for minutes; src/bench has its own tests',
  'npm run recordings': 'rewrites public/recordings; test/nex/book-recordings.test.ts checks them',
  'npm run build:userland': 'needs clang and lld; the built programs are committed',
};

/** The command lines of README.md's sh blocks, without comments. */
export function readmeCommands(readme: string): string[] {
  const lines: string[] = [];
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g))
    for (const raw of block[1]!.split('\n')) {
      const line = raw.replace(/\s+#\s.*$/, '').trim();
      if (line !== '' && !line.startsWith('#')) lines.push(line);
    }
  return lines;
}

function notRunReason(line: string): string | undefined {
  const command = line.replace(/^([A-Z_]+=\S+\s+)+/, ''); // without leading VAR=value settings
  const key = Object.keys(NOT_RUN).find(
    (start) => command === start || command.startsWith(`${start} `),
  );
  return key === undefined ? undefined : NOT_RUN[key];
}

/** The line as the shell runs it here: npx cotton → the repository's bin, boot with --max-ms. */
function runnable(line: string): string {
  return line
    .replaceAll('npx cotton boot', `npx cotton boot --max-ms ${MAX_MS}`)
    .replaceAll('npx cotton', COTTON);
}

function sh(line: string, cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { cwd, timeout: MAX_MS * 2 }, (error, stdout, stderr) =>
      resolve({
        code: error ? ((error as { code?: number }).code ?? 1) : 0,
        out: `${stdout.slice(-2000)}${stderr.slice(-2000)}`,
      }),
    );
  });
}

describe("the README's commands", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const commands = readmeCommands(readme);

  it('are all either run below or listed as not run, with a reason', () => {
    expect(commands.length).toBeGreaterThan(10);
    for (const line of commands)
      expect(
        line.startsWith('npx cotton') || line.startsWith('cp ') || notRunReason(line) !== undefined,
        `README line not classified: ${line}`,
      ).toBe(true);
  });

  it('run as written, in order, in a fresh directory, each exiting 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cotton-readme-'));
    for (const name of ['src', 'recordings']) symlinkSync(join(ROOT, name), join(dir, name));
    for (const line of commands) {
      if (notRunReason(line) !== undefined) continue;
      const { code, out } = await sh(runnable(line), dir);
      expect(code, `${line}\n${out}`).toBe(0);
    }
  }, 1_800_000);
});
