/**
 * Differential testing against Linux: a seeded generator writes a list of
 * file-system operations (opens with every flag, reads, writes, seeks,
 * unlink while open, rename over directories, rmdir of open directories…);
 * the `fsdiff` user program runs it on the machine, and this test runs the
 * same list on the host's real file system in a temporary directory, then
 * compares every result and errno. Differences we keep on purpose are in
 * docs/posix-differences.md; this test's generator does not make them.
 *
 * FSDIFF_OPS sets the operations per seed (default 2000), FSDIFF_SEEDS the
 * seeds ("1,2,3"). Runs only on Linux hosts (errno names and /proc/self/fd).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryBlockDevice, runToCompletion } from '../../../src/kernel/fs/block-device';
import { CottonFs, format } from '../../../src/kernel/fs/cottonfs/cottonfs';
import { fsck } from '../../../src/kernel/fs/cottonfs/fsck';
import { Vfs } from '../../../src/kernel/fs/vfs';
import { bootFromRepo } from '../../../src/runtime/node/node-host';
import { uniformRandom } from '../../../src/runtime/host/seeded-random';

const CLOCK = () => 1_767_258_000;
const OPS = Number(process.env.FSDIFF_OPS ?? 2000);
const SEEDS = (process.env.FSDIFF_SEEDS ?? '1,2').split(',').map(Number);
const SANDBOX = '/sb';
const HOME = 'h'; // made before the run, never removed or renamed: the other working directory
const FILE_SLOTS = 4; // slots 0-3 hold files, 4-5 directories
const DIRECTORY_SLOTS = 2;

// ---- the generator ----

function generate(seed: number, count: number): string[] {
  const random = uniformRandom(seed);
  const below = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
  const names = ['a', 'b', 'c', 'd'];
  const place = (): string => {
    const roll = below(10);
    if (roll < 5) return pick(names);
    if (roll < 7) return `${pick(names)}/${pick(names)}`;
    if (roll < 8) return `${pick(names)}/${pick(names)}/${pick(names)}`;
    return `${HOME}/${pick(names)}`;
  };
  /** A path for a call that removes, makes or moves a name: now and then "." or "..". */
  const target = (): string => (below(30) === 0 ? pick(['.', '..']) : place());
  const fileSlot = (): number => below(FILE_SLOTS);
  const anySlot = (): number => below(FILE_SLOTS + DIRECTORY_SLOTS);
  // O_CREAT with O_DIRECTORY is EINVAL only since Linux 6.4 (CottonOS answers so): never both here.
  const openFlags = (): string => {
    const create = below(10) < 6;
    return (
      pick(['r', 'w', 'b']) +
      (create ? 'c' : '') +
      (below(7) === 0 ? 'x' : '') +
      (below(7) === 0 ? 't' : '') +
      (below(7) === 0 ? 'a' : '') +
      (!create && below(6) === 0 ? 'd' : '')
    );
  };
  const makers: [number, () => string][] = [
    [15, () => `open ${fileSlot()} ${place()} ${openFlags()}`],
    [3, () => `open ${FILE_SLOTS + below(DIRECTORY_SLOTS)} ${pick([place(), '.'])} rd`],
    [10, () => `read ${anySlot()} ${1 + below(40)}`],
    [12, () => `write ${anySlot()} ${1 + below(40)}`],
    [6, () => `seek ${fileSlot()} ${below(5) === 0 ? -below(10) : below(9000)} ${below(3)}`],
    [8, () => `close ${anySlot()}`],
    [4, () => `fstat ${anySlot()}`],
    [3, () => `readdirfd ${FILE_SLOTS + below(DIRECTORY_SLOTS)}`],
    [7, () => `unlink ${target()}`],
    [4, () => `link ${place()} ${target()}`],
    [8, () => `rename ${target()} ${target()}`],
    [8, () => `mkdir ${target()}`],
    [7, () => `rmdir ${target()}`],
    [4, () => `truncate ${place()} ${below(6000)}`],
    [2, () => `chdir ${pick(['.', HOME])}`],
    [5, () => `stat ${place()}`],
    [4, () => `readdir ${pick([place(), '.'])}`],
  ];
  const total = makers.reduce((sum, [weight]) => sum + weight, 0);
  const ops: string[] = [];
  while (ops.length < count) {
    let roll = below(total);
    const maker = makers.find(([weight]) => (roll -= weight) < 0)!;
    const op = maker[1]();
    if (op.split(' ').slice(1).includes(HOME)) continue; // the home directory stays
    ops.push(op);
  }
  return ops;
}

// ---- the same operations on Linux ----

interface HostSlot {
  fd: number;
  position: number;
  append: boolean;
}

function runOnHost(ops: string[]): string[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fsdiff-'));
  const sandbox = path.join(root, 'sb');
  fs.mkdirSync(path.join(sandbox, HOME), { recursive: true });
  let cwd = sandbox;
  const slots: (HostSlot | null)[] = new Array(8).fill(null);
  const at = (p: string): string => `${cwd}/${p}`; // not normalized: "." and ".." reach Linux as written
  const { constants: C } = fs;
  const results: string[] = [];
  const statLine = (st: fs.Stats): string =>
    st.isDirectory() ? `ok d ${st.nlink}` : `ok f ${st.size} ${st.nlink}`;
  const names = (list: string[]): string => ['ok', list.sort().join(',')].filter(Boolean).join(' ');
  const slot = (word: string): HostSlot | null => slots[Number(word)] ?? null;
  const operations: Record<string, (w: string[], line: number) => string> = {
    open: ([s, p, letters]) => {
      const index = Number(s);
      if (slots[index]) fs.closeSync(slots[index]!.fd);
      slots[index] = null;
      let flags = letters![0] === 'w' ? C.O_WRONLY : letters![0] === 'b' ? C.O_RDWR : C.O_RDONLY;
      const extra: Record<string, number> = {
        c: C.O_CREAT,
        x: C.O_EXCL,
        t: C.O_TRUNC,
        a: C.O_APPEND,
        d: C.O_DIRECTORY,
      };
      for (const letter of letters!.slice(1)) flags |= extra[letter]!;
      const fd = fs.openSync(at(p!), flags, 0o644);
      slots[index] = { fd, position: 0, append: (flags & C.O_APPEND) !== 0 };
      return 'ok';
    },
    read: ([s, n]) => {
      const open = slot(s!);
      if (!open) return 'EBADF';
      const buffer = Buffer.alloc(Math.min(Number(n), 79));
      const got = fs.readSync(open.fd, buffer, 0, buffer.length, open.position);
      open.position += got;
      return `ok ${got} ${buffer.subarray(0, got).toString('latin1').replaceAll('\0', '.')}`;
    },
    write: ([s, n], line) => {
      const open = slot(s!);
      if (!open) return 'EBADF';
      const buffer = Buffer.alloc(Math.min(Number(n), 80), 97 + (line % 26));
      const at = open.append ? fs.fstatSync(open.fd).size : open.position;
      const wrote = fs.writeSync(open.fd, buffer, 0, buffer.length, at);
      open.position = at + wrote;
      return `ok ${wrote}`;
    },
    seek: ([s, offset, whence]) => {
      const open = slot(s!);
      if (!open) return 'EBADF';
      const base = [0, open.position, fs.fstatSync(open.fd).size][Number(whence)]!;
      const target = base + Number(offset);
      if (target < 0) return 'EINVAL';
      open.position = target;
      return `ok ${target}`;
    },
    close: ([s]) => {
      const open = slot(s!);
      if (!open) return 'EBADF';
      fs.closeSync(open.fd);
      slots[Number(s)] = null;
      return 'ok';
    },
    fstat: ([s]) => {
      const open = slot(s!);
      return open ? statLine(fs.fstatSync(open.fd)) : 'EBADF';
    },
    readdirfd: ([s]) => {
      const open = slot(s!);
      return open ? names(fs.readdirSync(`/proc/self/fd/${open.fd}`)) : 'EBADF';
    },
    stat: ([p]) => statLine(fs.statSync(at(p!))),
    readdir: ([p]) => names(fs.readdirSync(at(p!))),
    chdir: ([p]) => {
      cwd = `${sandbox}/${p}`;
      return 'ok';
    },
    unlink: ([p]) => (fs.unlinkSync(at(p!)), 'ok'),
    mkdir: ([p]) => (fs.mkdirSync(at(p!)), 'ok'),
    rmdir: ([p]) => (fs.rmdirSync(at(p!)), 'ok'),
    truncate: ([p, n]) => (fs.truncateSync(at(p!), Number(n)), 'ok'),
    link: ([p, q]) => (fs.linkSync(at(p!), at(q!)), 'ok'),
    rename: ([p, q]) => (fs.renameSync(at(p!), at(q!)), 'ok'),
  };
  try {
    ops.forEach((op, line) => {
      const [name, ...words] = op.split(' ');
      try {
        results.push(operations[name!]!(words, line));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (!code || !/^E[A-Z]+$/.test(code)) throw error;
        results.push(code);
      }
    });
  } finally {
    for (const open of slots) if (open) fs.closeSync(open.fd);
    fs.rmSync(root, { recursive: true, force: true });
  }
  return results;
}

// ---- the operations on the machine ----

function runOnMachine(ops: string[]): { results: string[]; disk: Uint8Array } {
  const device = new MemoryBlockDevice(new Uint8Array(16 << 20));
  runToCompletion(format(device, { clock: CLOCK, label: 'fsdiff' }));
  const vfs = new Vfs(runToCompletion(CottonFs.mount(device, CLOCK)));
  runToCompletion(vfs.mkdirs(`${SANDBOX}/${HOME}`));
  runToCompletion(vfs.writeFile('/ops', new TextEncoder().encode(`${ops.join('\n')}\n`)));
  runToCompletion(vfs.syncAll());
  const host = bootFromRepo({ disk: { bytes: device.bytes, onWrite: () => {} } });
  host.runUntilPrompt();
  const out = host.command(`fsdiff /ops /results ${SANDBOX}`, 600_000);
  expect(out).toContain(`fsdiff: ${ops.length} operations`);
  const after = runToCompletion(CottonFs.mount(new MemoryBlockDevice(device.bytes.slice()), CLOCK));
  const text = new TextDecoder().decode(runToCompletion(new Vfs(after).readFile('/results')));
  return { results: text.split('\n').slice(0, -1), disk: device.bytes };
}

describe.runIf(process.platform === 'linux')('file-system calls against Linux', () => {
  it.each(SEEDS)(
    `agree on every result and errno of ${OPS} operations (seed %i)`,
    (seed) => {
      const ops = generate(seed, OPS);
      const linux = runOnHost(ops);
      const { results, disk } = runOnMachine(ops);
      const differences = ops
        .map((op, line) => ({ line, op, linux: linux[line], cotton: results[line] }))
        .filter(({ linux, cotton }) => linux !== cotton);
      if (differences.length > 0)
        console.log(`seed ${seed}: first differences`, differences.slice(0, 5));
      expect(differences.slice(0, 5)).toEqual([]);
      expect(results.length).toBe(ops.length);
      const report = runToCompletion(fsck(new MemoryBlockDevice(disk.slice()), { repair: false }));
      expect(report.problems).toEqual([]);
    },
    60_000 + OPS * 10,
  );
});
