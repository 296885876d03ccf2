import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBootArguments } from '../../src/cli/boot-command';
import { unescapeTyped } from '../../src/nex/escapes';

const ROOT = new URL('../..', import.meta.url).pathname;

function cotton(
  args: string[],
  cwd = ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [join(ROOT, 'bin/cotton.mjs'), ...args],
      { cwd, timeout: 60_000, env: { ...process.env, FORCE_COLOR: '1' } }, // keep the OSC 133 marks in the pipe
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('cotton boot arguments', () => {
  it('parses flags and unescapes typed text', () => {
    const args = parseBootArguments([
      '--fast',
      '--type',
      'echo a\\n',
      '--max-ms',
      '500',
      '--ram',
      '64',
      '--cmdline',
      'x=1',
    ]);
    expect(args).toMatchObject({
      fast: true,
      inputs: [{ kind: 'type', text: 'echo a\n' }],
      maxMs: 500,
      ramMiB: 64,
      commandLine: 'x=1',
      overrides: {},
      noDisk: false,
      powerCut: false,
      ramDiskFallback: false,
      help: false,
    });
    expect(unescapeTyped('\\e[A\\x41\\t\\\\')).toBe('\x1b[AA\t\\');
  });

  it('keeps desktop inputs in order with the typed text, and the screenshot file', () => {
    const args = parseBootArguments([
      '--type',
      'desktop\\n',
      '--mouse',
      'move 100 200',
      '--key',
      'ctrl+s',
      '--keys',
      'hi\\n',
      '--screenshot',
      'out.png',
    ]);
    expect(args.inputs).toEqual([
      { kind: 'type', text: 'desktop\n' },
      { kind: 'mouse', text: 'move 100 200' },
      { kind: 'key', text: 'ctrl+s' },
      { kind: 'keys', text: 'hi\n' },
    ]);
    expect(args.screenshot).toBe('out.png');
  });

  it('rejects unknown and incomplete options with the usage', () => {
    expect(() => parseBootArguments(['--bogus'])).toThrow(/unknown option --bogus[\s\S]*usage/);
    expect(() => parseBootArguments(['--type'])).toThrow(/needs a value/);
    expect(() => parseBootArguments(['--max-ms', 'soon'])).toThrow(/positive number/);
  });
});

describe('cotton boot (headless)', () => {
  it('boots, types each input at a prompt, and exits 0 at the idle prompt', async () => {
    const { code, stdout } = await cotton([
      'boot',
      '--fast',
      '--max-ms',
      '60000',
      '--type',
      'echo hello\\n',
      '--type',
      'uptime\\n',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('CottonOS');
    expect(stdout).toMatch(/echo hello\r\n\x1b\]133;C\x07hello\r\n/);
    expect(stdout).toContain('\x1b]133;D;0\x07');
    expect(stdout.endsWith('\x1b]133;B\x07')).toBe(true);
  });

  it('exits 0 when the kernel powers the machine off', async () => {
    const { code, stderr } = await cotton([
      'boot',
      '--fast',
      '--max-ms',
      '60000',
      '--type',
      'halt\\n',
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/poweroff/);
  });

  it('exits non-zero with the panic report when an edited kernel file throws', async () => {
    const edited = withEditedEcho('throw new Error("echo is broken");');
    const { code, stdout, stderr } = await cotton([
      'boot',
      '--fast',
      '--max-ms',
      '60000',
      '--override',
      `src/kernel/shell/commands.ts=${edited}`,
      '--type',
      'echo hi\\n',
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain('KERNEL PANIC');
    expect(stdout).toMatch(/src\/kernel\/shell\/commands\.ts:\d+/);
    expect(stderr).toMatch(/panicked/);
  });

  it('stops a kernel that never gives the CPU back after --max-ms', async () => {
    const edited = withEditedEcho('for (;;) {}');
    const { code, stderr } = await cotton([
      'boot',
      '--fast',
      '--max-ms',
      '3000',
      '--override',
      `src/kernel/shell/commands.ts=${edited}`,
      '--type',
      'echo hi\\n',
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/timed out after 3000 ms/);
  });
});

/** A copy of the shell's command table whose `echo` starts with `statement`. */
function withEditedEcho(statement: string): string {
  const source = readFileSync(join(ROOT, 'src/kernel/shell/commands.ts'), 'utf8');
  const edited = source.replace(/(function echo\(.*\{\n)/, `$1  ${statement}\n`);
  expect(edited).not.toBe(source);
  const file = join(mkdtempSync(join(tmpdir(), 'cotton-cli-')), 'commands.ts');
  writeFileSync(file, edited);
  return file;
}
