// Type-checks each folder that runs on one platform only, with its own
// tsconfig.json (the kernel, the emulator and NEX see no DOM and no Node; the
// page sees no Node; ...), in one process so that the folders share parsed
// files. The whole repository, .astro files included, is checked by
// `astro check` against tsconfig.json (npm run typecheck runs both). Exits 1 on
// any error.
import ts from 'typescript';
import { dirname, join } from 'node:path';

const PROJECTS = [
  'src/kernel/tsconfig.json',
  'src/emu/tsconfig.json',
  'src/nex/tsconfig.json',
  'src/figures/tsconfig.json',
  'src/runtime/host/tsconfig.json',
  'src/runtime/worker/tsconfig.json',
  'src/runtime/browser/tsconfig.json',
  'src/runtime/player/tsconfig.json',
  'src/runtime/node/tsconfig.json',
];

const parsed = new Map();
const baseHost = ts.createCompilerHost({});
const host = {
  ...baseHost,
  getSourceFile(fileName, languageVersion, onError) {
    const key = `${fileName}:${typeof languageVersion === 'object' ? languageVersion.languageVersion : languageVersion}`;
    if (!parsed.has(key))
      parsed.set(key, baseHost.getSourceFile(fileName, languageVersion, onError));
    return parsed.get(key);
  },
};

export function checkProject(configPath) {
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error) return [config.error];
  const options = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath));
  const program = ts.createProgram({
    rootNames: options.fileNames,
    options: options.options,
    host,
  });
  return [...options.errors, ...ts.getPreEmitDiagnostics(program)];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = 0;
  for (const project of PROJECTS) {
    const started = Date.now();
    const diagnostics = checkProject(join(process.cwd(), project));
    failed += diagnostics.length;
    if (diagnostics.length > 0) {
      console.error(
        ts.formatDiagnosticsWithColorAndContext(diagnostics, {
          getCanonicalFileName: (f) => f,
          getCurrentDirectory: () => process.cwd(),
          getNewLine: () => '\n',
        }),
      );
    }
    console.log(`typecheck ${project}: ${diagnostics.length} errors (${Date.now() - started} ms)`);
  }
  process.exit(failed > 0 ? 1 : 0);
}
