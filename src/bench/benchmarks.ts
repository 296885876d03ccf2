/**
 * `npm run bench`: the speed figures the issues ask for, as JSON lines
 * {"name","value","unit"} on stdout. Measured here, never asserted in tests.
 */
import ts from 'typescript';
import { transpileModule } from '../runtime/host/transpile';
import { MachineHost } from '../runtime/host/machine-host';
import { repoKernelSources, repoUserPrograms } from '../runtime/node/node-host';
import { cpuBenchmarks } from './cpu-benchmarks';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const report = (result: Result): void => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeMs(action: () => void): number {
  const start = performance.now();
  action();
  return performance.now() - start;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** Boot to the first prompt in fast mode (kernel already transpiled once, as after page load). */
function bootFast(runs: number): Result {
  const sources = repoKernelSources();
  new MachineHost({ sources, programs: repoUserPrograms() }).runUntilPrompt();
  const times = Array.from({ length: runs }, () =>
    timeMs(() => new MachineHost({ sources, programs: repoUserPrograms() }).runUntilPrompt()),
  );
  return { name: 'boot.fast_ms', value: round(median(times)), unit: 'ms' };
}

/** A reader's edit: transpile the changed file, relink every module, boot to the prompt. */
function rebootAfterEdit(runs: number): Result {
  const sources = repoKernelSources();
  const file = 'src/kernel/boot/entry.ts';
  const times = Array.from({ length: runs }, (_, i) =>
    timeMs(() =>
      new MachineHost({
        sources,
        programs: repoUserPrograms(),
        overrides: { [file]: `${sources[file]}\n// edit ${i}\n` },
      }).runUntilPrompt(),
    ),
  );
  return { name: 'reboot.edit_ms', value: round(median(times)), unit: 'ms' };
}

/** Transpile the whole kernel with each candidate (the choice is documented in the README). */
function transpilers(runs: number): Result[] {
  const files = Object.entries(repoKernelSources());
  const candidates: [string, (file: string, source: string) => string][] = [
    ['sucrase', transpileModule],
    [
      'typescript',
      (file, source) =>
        ts.transpileModule(source, {
          fileName: file,
          compilerOptions: {
            module: ts.ModuleKind.CommonJS,
            target: ts.ScriptTarget.ES2022,
            verbatimModuleSyntax: false,
          },
        }).outputText,
    ],
  ];
  return candidates.map(([name, transpile]) => {
    transpile(files[0]![0], files[0]![1]);
    const times = Array.from({ length: runs }, () =>
      timeMs(() => files.forEach(([file, source]) => transpile(file, source))),
    );
    return { name: `transpile.kernel_${name}_ms`, value: round(median(times)), unit: 'ms' };
  });
}

export async function runBenchmarks(): Promise<number> {
  report(bootFast(20));
  report(rebootAfterEdit(20));
  transpilers(10).forEach(report);
  cpuBenchmarks().forEach(report);
  (await import('./nex-benchmarks')).nexBenchmarks().forEach(report);
  (await (await import('./nex-benchmarks')).nexSeekBenchmark()).forEach(report);
  (await (await import('./classroom-benchmarks')).classroomBenchmarks()).forEach(report);
  (await import('./fs-benchmarks')).fsBenchmarks().forEach(report);
  (await import('./fb-benchmarks')).fbBenchmarks().forEach(report);
  (await import('./gui-benchmarks')).guiBenchmarks().forEach(report);
  (await (await import('./gui-browser-benchmarks')).guiBrowserBenchmarks()).forEach(report);
  (await (await import('./browser-benchmarks')).browserBenchmarks()).forEach(report);
  (await import('./proc-benchmarks')).procBenchmarks().forEach(report);
  (await import('./net-benchmarks')).netBenchmarks().forEach(report);
  (await import('./tls-benchmarks')).tlsBenchmarks().forEach(report);
  return 0;
}
