/**
 * sw.js for the built book: the service worker
 * (src/runtime/worker/service-worker.ts) stripped of its types, after the
 * constants it takes from the build: the files to precache, the editor's
 * scripts (kept together once the editor opens) and a version.
 *
 * The precache is what a reader needs to read, boot, edit a kernel file's
 * copy and reboot offline: every page and every bundled file, except
 * - the recordings (kept by the worker when a visited chapter loads them),
 * - the editor's own files (Monaco, its language services and workers: large,
 *   and kept, all of them, when the reader first opens the editor),
 * - the pre-compressed copies (the browser asks for the file and the server
 *   picks the encoding), source maps, the sitemap.
 * The version is a hash of those files' contents, so any change to the
 * book gives a new sw.js, which is how browsers notice an update.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'sucrase';
import { listFiles } from './precompress';

export const SERVICE_WORKER_FILE = 'sw.js';
const SOURCE = fileURLToPath(new URL('../worker/service-worker.ts', import.meta.url));

/** Files never precached (see the header). */
const LEFT_OUT = /(^recordings\/|\.(br|gz|map)$|^sitemap|^sw\.js$)/;

/**
 * The scripts that belong to the editor: Monaco, its workers and language
 * services, loaded when the editor opens. Vite names a chunk after its entry
 * module, so they are recognisable by name. (The editor's stylesheet is linked
 * by every page with a machine, so it is precached with the pages.)
 */
const EDITOR_SCRIPT =
  /^_astro\/(editor|editor\.worker|ts\.worker|tsMode|typescript)[.-][\w-]+\.js$/;

/** Whether the built file at `path` (relative to the book's base) is one of the editor's scripts. */
export const isEditorScript = (path: string): boolean => EDITOR_SCRIPT.test(path);

/** A page's URL for `dir/index.html` is `dir/`; the front page's is the scope itself. */
function pageUrl(path: string): string {
  return path === 'index.html' ? './' : path.replace(/index\.html$/, '');
}

/** The built book's files that are published (not the compressed copies, source maps, ...). */
async function publishedFiles(dir: string): Promise<string[]> {
  return (await listFiles(dir)).filter((path) => !LEFT_OUT.test(path)).sort();
}

/** The precache list, relative to the book's base: pages as their directory URLs. */
export async function precacheList(dir: string): Promise<string[]> {
  return (await publishedFiles(dir))
    .filter((path) => !isEditorScript(path))
    .map((path) => (path.endsWith('.html') ? pageUrl(path) : path))
    .sort();
}

/** The editor's scripts, relative to the book's base. */
export async function editorScripts(dir: string): Promise<string[]> {
  return (await publishedFiles(dir)).filter(isEditorScript);
}

async function versionOf(dir: string, files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    const path = file.endsWith('/') ? `${file}index.html` : file;
    hash.update(file).update(await readFile(join(dir, path)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Write sw.js into the built book at `dir`; returns the precache list. */
export async function writeServiceWorker(dir: string): Promise<string[]> {
  const files = await precacheList(dir);
  const editor = await editorScripts(dir);
  const version = await versionOf(dir, [...files, ...editor]);
  const { code } = transform(await readFile(SOURCE, 'utf8'), { transforms: ['typescript'] });
  const header =
    `// The CottonOS book's service worker, version ${version} (built from src/runtime/worker/service-worker.ts).\n` +
    `const BOOK_VERSION = ${JSON.stringify(version)};\n` +
    `const BOOK_PRECACHE = ${JSON.stringify(files, null, 1)};\n` +
    `const BOOK_EDITOR = ${JSON.stringify(editor, null, 1)};\n`;
  await writeFile(join(dir, SERVICE_WORKER_FILE), header + code);
  return files;
}
