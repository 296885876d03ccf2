/**
 * Vite plugin: serves the kernel's sources to the book as virtual modules.
 *
 *   virtual:cotton-kernel          { sources, modules, programs, diskFiles }  for the machine worker
 *   virtual:cotton-kernel/sources  { sources }           for the page (editor, exercises)
 *
 * `modules` holds every kernel file transpiled separately at build time, so a
 * worker booting the original kernel transpiles nothing (primeTranspileCache);
 * only a reader's edited files are transpiled in the browser. `programs` are
 * the committed user programs (src/userland/bin/*.elf), base64 in the bundle,
 * which the worker hands to the firmware as boot modules; `diskFiles` the
 * repository's disk/ tree (the desktop's font), which the worker's book disk
 * carries at the same paths (disk-tree.ts). The page gets
 * the sources alone: it needs them for Monaco and exercise starters, never the
 * JavaScript. In dev the kernel folder is watched and any change invalidates
 * both modules and reloads the page, so the book always boots the kernel on disk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin, ViteDevServer } from 'vite';
import { transpileKernel } from '../host/kernel-loader';
import { readDiskTree } from './disk-tree';
import { readKernelSources, REPO_ROOT } from './kernel-source-tree';

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
    `export const programs = ${JSON.stringify(programs)}.map(({ name, base64 }) => ({ name, bytes: decode(base64) }));`,
    diskFilesCode(),
  ].join('\n');
}

/** `export const diskFiles`: the disk/ tree's files as base64 (uses `decode` from programsCode). */
function diskFilesCode(): string {
  const files = readDiskTree().map(({ path, bytes }) => ({
    path,
    base64: Buffer.from(bytes).toString('base64'),
  }));
  return `export const diskFiles = ${JSON.stringify(files)}.map(({ path, base64 }) => ({ path, bytes: decode(base64) }));`;
}

function kernelModuleCode(withModules: boolean): string {
  const sources = readKernelSources();
  const lines = [`export const sources = ${JSON.stringify(sources)};`];
  if (withModules)
    lines.push(
      `export const modules = ${JSON.stringify(transpileKernel(sources))};`,
      programsCode(),
    );
  return lines.join('\n');
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
      if (id === resolved(KERNEL_ID)) return kernelModuleCode(true);
      if (id === resolved(SOURCES_ID)) return kernelModuleCode(false);
      return undefined;
    },
    configureServer: watchKernel,
  };
}
