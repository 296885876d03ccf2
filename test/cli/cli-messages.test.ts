/**
 * The CLI's plain words: errno codes turned into sentences, colours stripped
 * from a stream that is not a terminal (even when a sequence is split between
 * two writes), and --help on every command and subcommand (exit 0).
 */
import { describe, expect, it, vi } from 'vitest';
import { plainMessage } from '../../src/cli/cli-errors';
import { main } from '../../src/cli/main';
import { EscapeStripper, wantsColour } from '../../src/cli/terminal-colour';
import { cottonProcess } from '../support/cotton-cli';

describe('plainMessage', () => {
  it("names the file and says what is wrong in words, for Node's errors", () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open 'my.ts'"), {
      code: 'ENOENT',
      path: 'my.ts',
    });
    expect(plainMessage(error)).toBe('my.ts: no such file or directory');
    const port = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 8080 });
    expect(plainMessage(port)).toMatch(/^port 8080 is already in use/);
  });

  it("drops the leading code of the kernel's file system errors", () => {
    expect(plainMessage(new Error("ENOENT: no entry 'x' in directory 4"))).toBe(
      "no such file or directory (no entry 'x' in directory 4)",
    );
    expect(plainMessage(new Error('EWEIRD: something'))).toBe('something');
    expect(plainMessage(new Error('plain words'))).toBe('plain words');
  });
});

describe('colour only on a terminal', () => {
  const strip = (chunks: string[]): string => {
    const stripper = new EscapeStripper();
    return chunks
      .map((c) => Buffer.from(stripper.push(new TextEncoder().encode(c))).toString())
      .join('');
  };

  it('removes SGR and OSC sequences, also when split between writes, and keeps the rest', () => {
    const text =
      '\x1b]133;A\x07\x1b[1m\x1b[32mcotton\x1b[0m:/$ \x1b]133;B\x07ls\r\n\x1b[2Jok\x1b]7;file://h/\x1b\\';
    expect(strip([text])).toBe('cotton:/$ ls\r\n\x1b[2Jok');
    for (let cut = 0; cut <= text.length; cut++)
      expect(strip([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toBe(
        'cotton:/$ ls\r\n\x1b[2Jok',
      );
  });

  it('keeps them on a terminal, never with NO_COLOR, and in a pipe only with FORCE_COLOR', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(wantsColour({}, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColour({}, { FORCE_COLOR: '0' })).toBe(false);
  });
});

describe('--help', () => {
  /** Run main() in this process, capturing what it writes to stdout and stderr. */
  async function inProcess(
    args: string[],
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    try {
      return { code: await main(args), stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('works on every command and subcommand, exit 0, usage on stdout', async () => {
    const commands = [
      ['--help'],
      ['boot', '--help'],
      ['mkfs', '--help'],
      ['fsck', '--help'],
      ['ls', '--help'],
      ['cat', '--help'],
      ['put', '--help'],
      ['classroom', '--help'],
      ['bench', '--help'],
      ['nex', '--help'],
      ['nex', 'record', '--help'],
      ['nex', 'play', '--help'],
      ['nex', 'inspect', '--help'],
      ['nex', 'csv', '--help'],
      ['nex', 'json', '--help'],
      ['nex', 'convert', '--help'],
      ['nex', 'build-recordings', '--help'],
    ];
    for (const args of commands) {
      const result = await inProcess(args);
      const name = args.join(' ');
      expect(result.code, name).toBe(0);
      expect(result.stdout, name).toMatch(/usage|cotton —/);
      expect(result.stderr, name).toBe('');
    }
    const top = await inProcess(['--help']);
    expect(top.stdout).toContain('--no-disk');
    expect(top.stdout).toContain('build-recordings');
  }, 120_000);

  it('cotton --help through the bin script', async () => {
    const result = await cottonProcess(['boot', '--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^usage: cotton boot/);
  }, 60_000);

  it('fsck pasted from a usage line says what the brackets mean, with only its own usage', async () => {
    const result = await cottonProcess(['fsck', 'disk.img', '[--repair]']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the brackets in a usage line mark what is optional/);
    expect(result.stderr).toMatch(/usage: cotton fsck IMAGE \[--repair\]\n$/);
    expect(result.stderr).not.toMatch(/cotton mkfs/);
  }, 60_000);

  it('--override with a missing file says how to make it', async () => {
    const result = await cottonProcess([
      'boot',
      '--override',
      'src/kernel/shell/commands.ts=no-such-copy.ts',
      '--type',
      'help\\n',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'cotton: --override: there is no file no-such-copy.ts; start from a copy of the kernel file: cp src/kernel/shell/commands.ts no-such-copy.ts\n',
    );
  }, 60_000);
});
