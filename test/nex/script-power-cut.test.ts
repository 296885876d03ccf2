/**
 * Recording scripts with a disk and power cuts: `disk 8M` attaches a fresh
 * CottonFS, `power-cut` boots a new machine on the disk as the old one left
 * it, and `power-cut after N writes` cuts in the middle of what the kernel is
 * writing, so the next mount has a journal to replay. What the old machine
 * printed after the cut is not in the recording.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNex } from '../../src/nex/nex-format';
import { parseScript, ScriptError } from '../../src/nex/script';
import { recordScript } from '../../src/runtime/node/script-runner';
import type { Session } from '../../src/nex/session';
import { bootFromRepo } from '../../src/runtime/node/node-host';

function screenText(session: Session): string {
  const decoder = new TextDecoder();
  return session.events
    .filter((e) => e.kind === 'output')
    .map((e) => decoder.decode((e as { data: Uint8Array }).data, { stream: true }))
    .join('')
    .replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r\n/g, '\n');
}

describe('script settings and steps for disks and power cuts', () => {
  it('parses disk sizes and both forms of power-cut', () => {
    const script = parseScript(
      'disk 8M\nprompt\npower-cut\npower-cut after 12 writes # mid-sync\npower-cut after 1 write\n',
    );
    expect(script.settings.diskMiB).toBe(8);
    expect(script.steps.slice(1).map((s) => s.kind === 'power-cut' && s.afterWrites)).toEqual([
      0, 12, 1,
    ]);
  });

  it('refuses bad disk sizes and power-cut arguments, naming the line', () => {
    expect(() => parseScript('disk 8G\n')).toThrow(ScriptError);
    expect(() => parseScript('disk 1M\n')).toThrow(/from 2M/);
    expect(() => parseScript('prompt\npower-cut soon\n')).toThrow(
      /script line 2: .*power-cut after N writes/,
    );
    expect(() => parseScript('power-cut after 0 writes\n')).toThrow(ScriptError);
  });

  it('needs a disk to count writes', () => {
    expect(() =>
      recordScript(parseScript('prompt\npower-cut after 3 writes\n'), bootFromRepo),
    ).toThrow(/script line 2: power-cut: .*needs a disk/);
  });
});

describe('recording power cuts on a disk', () => {
  const session = recordScript(
    parseScript(`disk 8M
prompt
run write /home/reader/kept.txt synced
run sync
power-cut
prompt
run cat /home/reader/kept.txt
run fill /home/reader/big 100K
type sync\\r
power-cut after 40 writes
prompt
run crc32 /home/reader/big
run fsck
`),
    bootFromRepo,
  );
  const text = screenText(session);

  it('boots again on the same disk: a synced file survives a cut', () => {
    expect(text.match(/root: CottonFS "cottonos" on hda, mount #\d+/g)).toHaveLength(3);
    expect(text).toMatch(/cat \/home\/reader\/kept.txt\nsynced\n/);
  });

  it('cuts inside a commit, so the next mount replays the journal and the file is whole', () => {
    expect(text).toMatch(/mount #\d+, journal replayed \(\d+ blocks\)/);
    expect(text).toMatch(/[0-9a-f]{8} +102400  \/home\/reader\/big/);
    expect(text).toMatch(/fsck: clean/);
  });

  it('records nothing the old machine printed after the cut, and keeps one clock', () => {
    const syncs = session.commands.filter((c) => c.line === 'sync');
    expect(syncs.map((c) => c.exitCode)).toEqual([0, null]); // the cut sync never finished
    const times = session.events.map((e) => e.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe("the CottonFS chapter's recording of a power cut", () => {
  it('shows what the chapter says it shows: a clean mount, then a journal replay, then a clean fsck', () => {
    const text = screenText(
      readNex(new Uint8Array(readFileSync('public/recordings/cottonfs-journal.nex'))),
    );
    expect(text).toMatch(
      /mount #3, clean[\s\S]*mount #4, journal replayed \(\d+ blocks\)[\s\S]*fsck: clean/,
    );
    expect(text).toMatch(/running +3 blocks changed in the cache/);
  });
});
