/**
 * The kernel module loader: links transpiled kernel modules into a bootable kernel.
 *
 * Real kernels are linked once into an image. This one is linked at every boot:
 * each module is a separately transpiled CommonJS-style function, and linking
 * runs the module bodies afresh, so a reboot always starts from clean module
 * state and a reader's edited file simply takes the place of the original
 * (docs/architecture.md §4). Modules are evaluated with a `sourceURL` naming their repository
 * path, so stack frames read `src/kernel/shell/shell.ts:42:7`, and the wrapper
 * starts on the module's first line, so those line numbers are the TypeScript's.
 *
 * The loader links JavaScript; it does not import the transpiler. The book
 * ships its kernel transpiled at build time, so a machine worker that boots
 * the book's kernel never loads sucrase: transpile.ts installs itself here
 * (`installTranspiler`) when loaded, which Node does at once (node-host.ts)
 * and the worker only for a reader's edited files.
 */
import type { KernelEntry } from '../../emu/machine-interface';
import { KERNEL_LIBRARIES } from './kernel-libraries';

/** The module whose `kernelEntry` export the firmware calls. */
export const KERNEL_ENTRY_MODULE = 'src/kernel/boot/entry.ts';

/** Transpiled kernel modules, keyed by repository path (`src/kernel/…/x.ts`). */
export type KernelModules = Readonly<Record<string, string>>;

/** TypeScript sources of kernel modules, keyed the same way. */
export type KernelSources = Readonly<Record<string, string>>;

type ModuleFunction = (
  require: (specifier: string) => unknown,
  exports: object,
  module: { exports: object },
) => void;

/** Compiled module functions by their JavaScript text: compiling is the costly part, running a body is cheap. */
const compiled = new Map<string, ModuleFunction>();

function compile(file: string, js: string): ModuleFunction {
  let fn = compiled.get(js);
  if (!fn) {
    // Indirect eval: global scope, and the wrapper shares line 1 with the module so line numbers match.
    fn = (0, eval)(
      `(function (require, exports, module) {${js}\n})\n//# sourceURL=${file}`,
    ) as ModuleFunction;
    compiled.set(js, fn);
  }
  return fn;
}

/** Resolve `specifier` as imported from module `from` to a module path in `modules`. */
export function resolveModule(modules: KernelModules, from: string, specifier: string): string {
  if (!specifier.startsWith('.')) {
    throw new Error(
      `${from}: kernel code can only import kernel modules and kernel-libraries.ts, not '${specifier}'`,
    );
  }
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  const base = parts.join('/').replace(/\.(ts|js)$/, '');
  for (const candidate of [`${base}.ts`, `${base}/index.ts`]) {
    if (candidate in modules) return candidate;
  }
  throw new Error(`${from}: cannot find kernel module '${specifier}'`);
}

/**
 * Host code linked into a kernel beside its modules, to watch it run (the
 * exercise probe, exercise-probe.ts). The kernel image is built without it.
 */
export interface KernelTap {
  /** JavaScript run at the end of a module's body, in its scope, by file. */
  readonly epilogues: Readonly<Record<string, string>>;
  /** Objects the epilogues `require` by name. */
  readonly libraries: Readonly<Record<string, object>>;
}

/**
 * Link a kernel: instantiate its modules afresh, starting from the entry module,
 * and return the entry function.
 */
export function linkKernel(modules: KernelModules, tap?: KernelTap): KernelEntry {
  const instances = new Map<string, { exports: object }>();
  const libraries = tap ? { ...KERNEL_LIBRARIES, ...tap.libraries } : KERNEL_LIBRARIES;
  const load = (file: string): object => {
    const existing = instances.get(file);
    if (existing) return existing.exports;
    const module = { exports: {} };
    instances.set(file, module);
    const epilogue = tap?.epilogues[file];
    compile(file, epilogue ? `${modules[file]!}\n${epilogue}` : modules[file]!)(
      (specifier) => libraries[specifier] ?? load(resolveModule(modules, file, specifier)),
      module.exports,
      module,
    );
    return module.exports;
  };
  if (!(KERNEL_ENTRY_MODULE in modules))
    throw new Error(`kernel has no entry module ${KERNEL_ENTRY_MODULE}`);
  const entry = (load(KERNEL_ENTRY_MODULE) as { kernelEntry?: KernelEntry }).kernelEntry;
  if (typeof entry !== 'function')
    throw new Error(`${KERNEL_ENTRY_MODULE} does not export a kernelEntry function`);
  return entry;
}

/** The key under which a transpiled module is cached: the same file with the same text. */
export function transpileCacheKey(file: string, source: string): string {
  return `${file}\0${source}`;
}

/** Transpiles one kernel module's TypeScript into a module body (transpile.ts). */
export type ModuleTranspiler = (file: string, source: string) => string;

let transpiler: ModuleTranspiler | null = null;

/** Make `transpile` the transpiler of kernel sources (transpile.ts does, when it is loaded). */
export function installTranspiler(transpile: ModuleTranspiler): void {
  transpiler = transpile;
}

/**
 * Transpile a whole set of sources (e.g. the originals with a reader's edits
 * in place); what `cache` holds (modules transpiled at build time) needs no
 * transpiler.
 */
export function transpileKernel(
  sources: KernelSources,
  cache?: Map<string, string>,
): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const [file, source] of Object.entries(sources)) {
    const key = transpileCacheKey(file, source);
    let js = cache?.get(key);
    if (js === undefined) {
      if (!transpiler) throw new Error(`${file}: no kernel transpiler is loaded (transpile.ts)`);
      js = transpiler(file, source);
      cache?.set(key, js);
    }
    modules[file] = js;
  }
  return modules;
}

/**
 * Compile every module's function ahead of linking: the costly part of a
 * boot (a module body runs in microseconds), done once per thread, e.g.
 * while the disk loads. linkKernel reuses the compiled functions.
 */
export function compileKernel(modules: KernelModules): void {
  for (const [file, js] of Object.entries(modules)) compile(file, js);
}
