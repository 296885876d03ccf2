/**
 * The machine's worker, started by the page's HTML: a build step that puts,
 * at the top of every built page with a machine, an inline script that
 * creates the page's first machine worker.
 *
 * A machine worker's script takes longer to load, compile and evaluate than
 * anything else before the first prompt, and the page's own scripts are
 * module scripts: they run only once the whole page is parsed, which on a
 * long chapter is a few hundred milliseconds after its first bytes. An
 * inline classic script at the top of the head runs while the page is still
 * being parsed, so the worker gets ready on the other core meanwhile (the way
 * a bootloader starts loading the kernel before the firmware has finished
 * drawing its menu). Its name, FIRST_WORKER_NAME, tells the worker it is a
 * page's first machine, which prepares at once (worker/preparation.ts);
 * browser/machine-worker-start.ts adopts it from `self.cottonFirstWorker`.
 *
 * The script also tells the worker which machine the page will ask for, so
 * that it boots without waiting for the page's scripts (worker/preparation.ts):
 * the options of the page's first machine, read here from its element's
 * attributes, the way machine-element.ts reads them, provided the reader
 * has no saved edit of the machine's files (then the page's boot decides).
 *
 * The hashed name of the worker's script is known only after the build, so
 * this runs on the built pages; in development the page's module script
 * starts the worker itself.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BootAhead, EDIT_KEY_PREFIX, firstWorkerName } from '../worker/preparation';
import { listFiles } from './precompress';

/** Vite's name for the machine worker's built script (the worker's file is machine-worker.ts). */
const WORKER_SCRIPT = /^machine-worker-[\w-]+\.js$/;
/** The page's charset declaration, which must stay first in its head (Astro writes `<meta charset="utf-8"/>`). */
const CHARSET = /<meta charset="utf-8"\s*\/?>/i;
/** The page's first machine element's start tag (components/Machine.astro). */
const MACHINE_TAG = /<cotton-machine\b[^>]*>/;
const ATTRIBUTE = /([\w-]+)(?:="([^"]*)")?/g;
const ENTITIES: Record<string, string> = {
  amp: '&',
  quot: '"',
  '#34': '"',
  '#39': "'",
  lt: '<',
  gt: '>',
};

/** `value` as a JavaScript literal that cannot end the inline script it is in (no `</script>`). */
const literal = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** The page's first machine: the files the reader may edit, and the boot it asks for without edits. */
export interface FirstMachine {
  readonly files: readonly string[];
  readonly boot: BootAhead;
}

/**
 * The inline script that starts the worker at `url`, named to boot `machine`
 * ahead unless the reader saved an edit of one of its files, and notes a
 * failure to load it for the page's scripts.
 */
export function earlyWorkerScript(url: string, machine: FirstMachine): string {
  const keys = literal(machine.files.map((file) => EDIT_KEY_PREFIX + file));
  const [ahead, plain] = [firstWorkerName(machine.boot), firstWorkerName(null)].map(literal);
  return (
    `<script>(function(){var e=false;` +
    `try{e=${keys}.some(function(k){return localStorage.getItem(k)!==null})}catch(x){}` +
    `var n=e?${plain}:${ahead};` +
    `var w=new Worker(${literal(url)},{type:"module",name:n});` +
    `w.addEventListener("error",function(e){w.cottonFailed=e.message||"could not load"});` +
    'self.cottonFirstWorker=w})()</script>'
  );
}

function attributes(tag: string): Map<string, string> {
  const decode = (value: string) =>
    value.replace(/&(amp|quot|#34|#39|lt|gt);/g, (_, name: string) => ENTITIES[name]!);
  return new Map(
    [...tag.matchAll(ATTRIBUTE)].slice(1).map(([, name, value]) => [name!, decode(value ?? '')]),
  );
}

/**
 * The page's first machine as its element says, read as machine-element.ts
 * reads it (`data-files`, `data-ram`, `data-cmdline`, and `data-view`, which
 * only a machine with a screen has); null without one.
 */
export function firstMachine(html: string): FirstMachine | null {
  const tag = MACHINE_TAG.exec(html);
  if (!tag) return null;
  const attrs = attributes(tag[0]);
  const ram = attrs.get('data-ram');
  const files: unknown = JSON.parse(attrs.get('data-files') ?? '[]');
  if (!Array.isArray(files) || !files.every((file) => typeof file === 'string'))
    throw new Error(`a machine's data-files is not a list of files: ${tag[0]}`);
  return {
    files,
    boot: {
      ramMiB: ram ? Number(ram) : undefined,
      cmdline: attrs.get('data-cmdline'),
      screen: attrs.has('data-view'),
    },
  };
}

/** `html` with the script right after its charset (which must stay first); unchanged without a machine. */
export function withEarlyWorker(html: string, url: string): string {
  const machine = firstMachine(html);
  if (!machine) return html;
  const charset = CHARSET.exec(html);
  if (!charset)
    throw new Error('a page with a machine has no <meta charset> to put its worker after');
  const end = charset.index + charset[0].length;
  return `${html.slice(0, end)}${earlyWorkerScript(url, machine)}${html.slice(end)}`;
}

/** The built worker script's URL under `base`, from the assets folder. */
async function workerUrl(root: string, base: string, assets: string): Promise<string> {
  const scripts = (await readdir(join(root, assets))).filter((name) => WORKER_SCRIPT.test(name));
  if (scripts.length !== 1)
    throw new Error(`expected one machine worker script in ${assets}/, found ${scripts.length}`);
  return `${base.endsWith('/') ? base : `${base}/`}${assets}/${scripts[0]}`;
}

/** Put the early start into every built page with a machine; returns how many pages have one. */
export async function startWorkersEarly(
  root: string,
  base: string,
  assets: string,
): Promise<number> {
  const url = await workerUrl(root, base, assets);
  let pages = 0;
  for (const file of (await listFiles(root)).filter((path) => path.endsWith('.html'))) {
    const path = join(root, file);
    const html = await readFile(path, 'utf8');
    const started = withEarlyWorker(html, url);
    if (started === html) continue;
    await writeFile(path, started);
    pages++;
  }
  return pages;
}
