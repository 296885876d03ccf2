/**
 * Interactive `cotton boot`: the machine in real time on this terminal.
 *
 * The terminal is put in raw mode and every key goes to the serial line, as
 * with QEMU's `-serial stdio`; Ctrl-A X quits (Ctrl-A Ctrl-A sends a Ctrl-A).
 * The machine runs on this thread, paced by the real-time driver. Quitting
 * with --disk first gives the kernel's flusher its time (./disk-commit.ts),
 * unless --power-cut.
 */
import type { MachineState } from '../emu/machine';
import type { BootArguments } from './boot-command';
import { RealtimeDriver } from '../runtime/host/realtime';
import { bootFromRepo, chooseDisk, restoreFromFile } from '../runtime/node/node-host';
import { commitBeforeExit } from './disk-commit';
import { networkConfig, networkSetUp } from './net-options';
import { colourFilter } from './terminal-colour';

const CTRL_A = 0x01;
/** Wall time the kernel gets to commit at Ctrl-A X. */
const COMMIT_WALL_MS = 3000;

const FINAL_WORDS: Partial<Record<MachineState, string>> = {
  poweroff: 'the machine powered off',
  panicked: 'the kernel panicked',
  stopped: 'the CPU halted with interrupts disabled',
  crashed: 'the machine crashed',
};

export function runInteractive(args: BootArguments): Promise<number> {
  const disk = chooseDisk(args.disk, args.noDisk, args.snapshot);
  const toStdout = colourFilter(process.stdout);
  const onOutput = (bytes: Uint8Array): boolean => process.stdout.write(toStdout(bytes));
  const onPowerOn = networkSetUp(args.net);
  const host =
    args.snapshot === undefined
      ? bootFromRepo({
          ramMiB: args.ramMiB,
          commandLine: args.commandLine,
          overrides: args.overrides,
          network: networkConfig(args.net),
          onPowerOn,
          ...disk,
          onOutput,
        })
      : restoreFromFile(args.snapshot, { ...disk, onOutput, onPowerOn });
  process.stderr.write('cotton: interactive machine; Ctrl-A X quits\r\n');
  return new Promise((resolve) => {
    const finish = (code: number, message: string): void => {
      driver.stop();
      process.stdin.setRawMode(false);
      process.stdin.pause();
      process.stderr.write(`\r\ncotton: ${message}\r\n`);
      resolve(code);
    };
    const quit = (): void => {
      driver.stop();
      if (args.disk === undefined || args.powerCut) return finish(0, 'quit');
      const committed = commitBeforeExit(host, Date.now() + COMMIT_WALL_MS);
      finish(
        committed ? 0 : 1,
        committed
          ? 'quit (the kernel committed its writes to the disk image)'
          : 'quit before the kernel could commit its last writes',
      );
    };
    const driver = new RealtimeDriver(host, {
      onSlice: (state) => {
        const words = FINAL_WORDS[state];
        if (words)
          finish(
            state === 'poweroff' ? 0 : 1,
            state === 'crashed' ? `${words}: ${host.machine.crash?.message}` : words,
          );
      },
    });
    let escape = false;
    process.stdin.setRawMode(true);
    process.stdin.on('data', (chunk: Buffer) => {
      const typed: number[] = [];
      for (const byte of chunk) {
        if (escape) {
          escape = false;
          if (byte === 0x78 || byte === 0x58) return quit();
          if (byte !== CTRL_A) continue;
        } else if (byte === CTRL_A) {
          escape = true;
          continue;
        }
        typed.push(byte);
      }
      if (typed.length > 0) host.send({ kind: 'serial', bytes: Uint8Array.from(typed) });
      driver.wake();
    });
    driver.start();
  });
}
