import { describe, expect, it } from 'vitest';
import { MachineHost } from '../../../src/runtime/host/machine-host';
import {
  bootFromRepo,
  repoKernelSources,
  repoUserPrograms,
} from '../../../src/runtime/node/node-host';
import { SnapshotMismatchError } from '../../../src/runtime/host/snapshot';
import { decodeSnapshot, encodeSnapshot } from '../../../src/runtime/host/snapshot-format';

/**
 * One step of a scripted session. Steps cover what a reader does: commands,
 * a command that sleeps, a line typed in two halves with idle time between,
 * key and mouse events (which reach the PS/2 controller), and a reboot.
 */
type Step = (host: MachineHost) => void;

const STEPS: Step[] = [
  (host) => host.runUntilPrompt(),
  (host) => void host.command('echo hello'),
  (host) => void host.command('sleep 25ms'),
  (host) => {
    host.type('ech');
    host.runUntil(host.machine.clock.now + 3_000_000);
  },
  (host) => {
    host.keyEvent('KeyA', true);
    host.keyEvent('KeyA', false);
    host.mouseEvent(5, -3, 1);
    host.type('o typed in halves\r');
    host.runUntilPrompt();
  },
  (host) => void host.command('uptime'),
  (host) => {
    host.type('reboot\r');
    host.runUntilPrompt(); // the rebooted machine's first prompt
  },
  (host) => void host.command('date'),
  (host) => void host.command('mem'),
];

/** Run the whole session, snapshotting after each step; return the output, final digest and the snapshots. */
function uninterrupted(): {
  output: string;
  digest: string;
  snapshots: { blob: Uint8Array; digest: string }[];
} {
  const host = bootFromRepo();
  const snapshots = STEPS.map((step) => {
    step(host);
    return { blob: host.snapshot(), digest: host.stateDigest() };
  });
  return { output: host.output, digest: host.stateDigest(), snapshots };
}

const reference = uninterrupted();

describe('snapshot/restore determinism', () => {
  it('takes the same session to the same bytes every time', () => {
    expect(reference.output).toContain('typed in halves');
    expect(reference.output).toContain('reboot: resetting the machine');
    expect(reference.snapshots.map((s) => s.digest)).toEqual(
      uninterrupted().snapshots.map((s) => s.digest),
    );
  });

  it.each(STEPS.map((_, n) => n).filter((n) => n % 2 === 0 || n === 3))(
    'restores the snapshot taken after step %i and continues exactly as the original',
    (n) => {
      const { blob, digest } = reference.snapshots[n]!;
      const host = MachineHost.restore(blob, repoKernelSources(), { programs: repoUserPrograms() });
      expect(host.stateDigest()).toBe(digest);
      STEPS.slice(n + 1).forEach((step, i) => {
        step(host);
        expect(host.stateDigest()).toBe(reference.snapshots[n + 1 + i]!.digest);
      });
      expect(host.output).toBe(reference.output);
      expect(host.stateDigest()).toBe(reference.digest);
    },
  );

  it('snapshots a restored machine again, to the same blob', () => {
    const { blob } = reference.snapshots[4]!;
    expect(
      MachineHost.restore(blob, repoKernelSources(), { programs: repoUserPrograms() }).snapshot(),
    ).toEqual(blob);
  });

  it('replays the console output through onOutput', () => {
    const chunks: Uint8Array[] = [];
    MachineHost.restore(reference.snapshots[2]!.blob, repoKernelSources(), {
      programs: repoUserPrograms(),
      onOutput: (bytes) => chunks.push(bytes),
    });
    const text = new TextDecoder().decode(Buffer.concat(chunks));
    expect(text).toContain('hello');
  });

  it('is compact: no RAM, a few kilobytes', () => {
    for (const { blob } of reference.snapshots) expect(blob.length).toBeLessThan(8 * 1024);
  });
});

describe('snapshots carry the kernel they ran', () => {
  it('brings a reader’s edited file along', () => {
    const file = 'src/kernel/shell/commands.ts';
    const edited = repoKernelSources()[file]!.replace(
      /(function echo\(.*\{\n)/,
      '$1  sh.println("edited echo");\n',
    );
    expect(edited).not.toBe(repoKernelSources()[file]);
    const host = bootFromRepo({ overrides: { [file]: edited } });
    host.runUntilPrompt();
    expect(host.command('echo x')).toContain('edited echo');
    const restored = MachineHost.restore(host.snapshot(), repoKernelSources(), {
      programs: repoUserPrograms(),
    });
    expect(restored.command('echo y')).toContain('edited echo');
  });

  it('refuses other kernel sources, naming the folders that differ', () => {
    const sources = { ...repoKernelSources() };
    sources['src/kernel/shell/commands.ts'] += '\n// changed\n';
    const blob = reference.snapshots[1]!.blob;
    expect(() => MachineHost.restore(blob, sources)).toThrow(SnapshotMismatchError);
    expect(() => MachineHost.restore(blob, sources)).toThrow(
      /different kernel sources \(changed: src\/kernel\/shell\)/,
    );
    const { ['src/kernel/shell/commands.ts']: _, ...without } = repoKernelSources();
    expect(() => MachineHost.restore(blob, without)).toThrow(/changed: src\/kernel\/shell\)/);
    const withoutShell = Object.fromEntries(
      Object.entries(repoKernelSources()).filter(([path]) => !path.startsWith('src/kernel/shell/')),
    );
    expect(() => MachineHost.restore(blob, withoutShell)).toThrow(
      /missing here: src\/kernel\/shell\)/,
    );
  });

  it('reports a machine that does not come out the same as nondeterminism, naming the parts', () => {
    const contents = decodeSnapshot(reference.snapshots[1]!.blob);
    const state = contents.state.map((entry) =>
      entry.name === 'ram' ? { ...entry, digest: new Uint8Array(32) } : entry,
    );
    expect(() =>
      MachineHost.restore(encodeSnapshot({ ...contents, state }), repoKernelSources(), {
        programs: repoUserPrograms(),
      }),
    ).toThrow(/differs from the snapshot's in: ram \(nondeterminism detected/);
  });

  it('reports a reset that does not happen when recorded as a divergence', () => {
    const contents = decodeSnapshot(reference.snapshots[1]!.blob);
    const moved = { ...contents, resets: [5_000_000], moment: { boot: 1, atNs: 0 } };
    expect(() =>
      MachineHost.restore(encodeSnapshot(moved), repoKernelSources(), {
        programs: repoUserPrograms(),
      }),
    ).toThrow(
      /diverged from the original run[\s\S]*reset 1 was due in boot 0 at 5000000 ns, but the machine is (idle|running) in boot 0/,
    );
  });
});

describe('snapshots with a disk', () => {
  const image = (): Uint8Array => new Uint8Array(64 * 512).fill(0x5a);

  it('need the same disk image to restore', () => {
    const host = bootFromRepo({ disk: { bytes: image() } });
    host.runUntilPrompt();
    const blob = host.snapshot();
    expect(
      MachineHost.restore(blob, repoKernelSources(), {
        programs: repoUserPrograms(),
        disk: { bytes: image() },
      }).stateDigest(),
    ).toBe(host.stateDigest());
    expect(() =>
      MachineHost.restore(blob, repoKernelSources(), { programs: repoUserPrograms() }),
    ).toThrow(/taken with a disk attached/);
    const other = image();
    other[100] = 1;
    expect(() =>
      MachineHost.restore(blob, repoKernelSources(), { disk: { bytes: other } }),
    ).toThrow(/disk image differs/);
    expect(() =>
      MachineHost.restore(reference.snapshots[0]!.blob, repoKernelSources(), {
        disk: { bytes: image() },
      }),
    ).toThrow(/taken without a disk/);
  });
});
