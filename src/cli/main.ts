/**
 * The `cotton` command line: the book's machine and tools in a terminal.
 */
import { bootCommand } from './boot-command';
import { plainMessage } from './cli-errors';

const HELP = `cotton — the CottonOS book's machine in your terminal

  cotton boot [--fast] [--type TEXT]... [--max-ms N] [--ram MiB] [--cmdline TEXT]
              [--override src/kernel/FILE.ts=LOCAL_FILE]... [--disk IMAGE [--power-cut] | --no-disk]
              [--snapshot FILE] [--save-snapshot FILE] (and desktop and network flags: cotton boot --help)
      Boot the Cotton PC with the kernel in src/kernel (and edited files in place of some),
      or start from a snapshot; --save-snapshot saves one after the last --type.
  cotton nex record --script FILE -o OUT.nex | play FILE [--speed X] [--idle-limit S]
            | inspect FILE | csv FILE [-o OUT] | json FILE [-o OUT] | convert IN OUT [--to v2|v3]
            | build-recordings [--check]
      Terminal recordings (.nex, as the NEX tool's; asciicast .cast): record a script
      on the headless machine, replay, summarise, export commands, convert; regenerate
      the book's recordings (public/recordings).
  cotton mkfs IMAGE --size 64M [--from DIR] [--label TEXT] [--time T]
      Write a CottonFS disk image: the book's default disk, or a copy of DIR.
  cotton fsck IMAGE [--repair]
      Check a CottonFS image (exit 0 clean, 1 repaired, 4 problems left, 8 not checked).
  cotton ls IMAGE [PATH] | cat IMAGE PATH | put IMAGE HOSTFILE PATH [--time T]
      List a directory (types, sizes), print a file, copy a host file into the image.
  cotton classroom [--port N] [--lan | --host ADDRESS] [--dist DIR] [--base PATH]
      Serve the built book and the classroom relay (Share a machine with a room of students);
      localhost only unless --lan.
  cotton bench
      Run the benchmarks; prints JSON lines {"name","value","unit"}.

Every command takes --help. Colours only on a terminal, never with NO_COLOR.
`;

const BENCH_HELP = `usage: cotton bench
Run the benchmarks; prints JSON lines {"name","value","unit"} (npm run bench).`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'boot':
        return await bootCommand(rest);
      case 'nex':
        return await (await import('./nex-command')).nexCommand(rest);
      case 'mkfs':
      case 'fsck':
      case 'ls':
      case 'cat':
      case 'put':
        return (await import('./fs-command')).fsCommand(command, rest);
      case 'classroom':
        return await (await import('../classroom/server')).classroomCommand(rest);
      case 'bench': {
        if (rest.length > 0) {
          const help = rest[0] === '--help' || rest[0] === '-h';
          (help ? process.stdout : process.stderr).write(`${BENCH_HELP}\n`);
          return help ? 0 : 1;
        }
        const { runBenchmarks } = await import('../bench/benchmarks');
        return await runBenchmarks();
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return command === undefined ? 1 : 0;
      default:
        process.stderr.write(`cotton: unknown command '${command}'\n\n${HELP}`);
        return 1;
    }
  } catch (error) {
    process.stderr.write(`cotton: ${plainMessage(error)}\n`);
    return 1;
  }
}
