/**
 * Vite plugin: serves the kernel to the book as virtual modules.
 *
 *   virtual:cotton-kernel          { modules, programs, diskFiles }  for the machine worker
 *                                  (and `sources`, for build-time figures)
 *   virtual:cotton-kernel/sources  { sources }           for the page (editor, exercises)
 *                                                       and the worker's checks
 *
 * `modules` holds every kernel file transpiled separately at build time, its
 * comments taken out with its lines kept (strip-comments.ts; shipped without
 * the blanks that end its lines, put back at its end), so a worker
 * booting the original kernel neither transpiles nor even loads the
 * transpiler or the TypeScript: only a reader's edited files are transpiled
 * in the browser, and the sources come to the worker only for checks.
 * `programs` are the committed user programs (src/userland/bin/*.elf), base64,
 * and `diskFiles` the repository's disk/ tree (the desktop's font), for
 * build-time figures; the machine worker fetches both as one binary file
 * (vite-plugin-book-files.ts), so they are marked pure and left out of it. The page gets
 * the sources alone: it needs them for Monaco and exercise starters, never the
 * JavaScript. In dev the kernel folder is watched and any change invalidates
 * both modules and reloads the page, so the book always boots the kernel on disk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin, ViteDevServer } from 'vite';
import { transpileModule } from '../host/transpile';
import { readDiskTree } from './disk-tree';
import { readKernelSources, REPO_ROOT } from './kernel-source-tree';
import { stripComments, trimLineEnds } from './strip-comments';

const KERNEL_ID = 'virtual:cotton-kernel';
const SOURCES_ID = 'virtual:cotton-kernel/sources';
const VIRTUAL_IDS = [KERNEL_ID, SOURCES_ID];
/** Vite's convention: resolved virtual ids start with NUL so no other plugin touches them. */
const resolved = (id: string): string => `\0${id}`;

/** `export const programs`: each ELF as base64, decoded once when the worker loads. */
function programsCode(): string {
  const dir = join(REPO_ROOT, 'src', 'userland', 'bin');
  const programs = readdirSync(dir)
    .filter((file) => file.endsWith('.elf'))
    .sort()
    .map((file) => ({
      name: `/bin/${file.slice(0, -'.elf'.length)}`,
      base64: readFileSync(join(dir, file)).toString('base64'),
    }));
  return [
    `const decode = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));`,
    `export const programs = /* @__PURE__ */ ${JSON.stringify(programs)}.map(({ name, base64 }) => ({ name, bytes: decode(base64) }));`,
    diskFilesCode(),
  ].join('\n');
}

/** `export const diskFiles`: the disk/ tree's files as base64 (uses `decode` from programsCode). */
function diskFilesCode(): string {
  const files = readDiskTree().map(({ path, bytes }) => ({
    path,
    base64: Buffer.from(bytes).toString('base64'),
  }));
  return `export const diskFiles = /* @__PURE__ */ ${JSON.stringify(files)}.map(({ path, base64 }) => ({ path, bytes: decode(base64) }));`;
}

/**
 * Every kernel file transpiled and without its comments (strip-comments.ts),
 * cached by file and text: a dev server rebuilds only what changed.
 */
const builtModules = new Map<string, ShippedModule>();

/** A module as shipped: its text without the blanks that ended its lines, and their count. */
type ShippedModule = readonly [js: string, blanks: number];

function transpiledKernel(): Record<string, ShippedModule> {
  const modules: Record<string, ShippedModule> = {};
  for (const [file, source] of Object.entries(readKernelSources())) {
    const key = `${file}\0${source}`;
    let shipped = builtModules.get(key);
    if (shipped === undefined) {
      const js = stripComments(transpileModule(file, source));
      const trimmed = trimLineEnds(js);
      // Only ASCII blanks go, one UTF-8 byte each: the count in characters is the count in bytes.
      shipped = [trimmed, js.length - trimmed.length];
      builtModules.set(key, shipped);
    }
    modules[file] = shipped;
  }
  return modules;
}

/** The page's module (editor, exercises), and the worker's for checks: the TypeScript. */
function sourcesModuleCode(): string {
  return `export const sources = ${JSON.stringify(readKernelSources())};`;
}

/**
 * The machine worker's module: the kernel as JavaScript, the programs, the
 * disk tree, and the sources for build-time code (figures); an unused export
 * is a plain literal, which the bundler leaves out of the worker.
 */
function kernelModuleCode(): string {
  return [
    sourcesModuleCode(),
    // Each module's lost blanks go back at its end: the same size, lines and columns as built.
    `export const modules = /* @__PURE__ */ Object.fromEntries(Object.entries(${JSON.stringify(transpiledKernel())}).map(([file, [js, blanks]]) => [file, js + ' '.repeat(blanks)]));`,
    programsCode(),
  ].join('\n');
}

function watchKernel(server: ViteDevServer): void {
  const kernelDir = join(REPO_ROOT, 'src', 'kernel');
  server.watcher.add(kernelDir);
  const onChange = (path: string): void => {
    if (!path.startsWith(kernelDir) || !path.endsWith('.ts')) return;
    for (const id of VIRTUAL_IDS) {
      const module = server.moduleGraph.getModuleById(resolved(id));
      if (module) server.moduleGraph.invalidateModule(module);
    }
    server.ws.send({ type: 'full-reload' });
  };
  server.watcher.on('change', onChange);
  server.watcher.on('add', onChange);
  server.watcher.on('unlink', onChange);
}

export function cottonKernel(): Plugin {
  return {
    name: 'cotton-kernel',
    resolveId(id) {
      return VIRTUAL_IDS.includes(id) ? resolved(id) : undefined;
    },
    load(id) {
      if (id === resolved(KERNEL_ID)) return kernelModuleCode();
      if (id === resolved(SOURCES_ID)) return sourcesModuleCode();
      return undefined;
    },
    configureServer: watchKernel,
  };
}
