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
 * The hashed name of the worker's script is known only after the build, so
 * this runs on the built pages; in development the page's module script
 * starts the worker itself.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIRST_WORKER_NAME } from '../worker/preparation';
import { listFiles } from './precompress';

/** Vite's name for the machine worker's built script (the worker's file is machine-worker.ts). */
const WORKER_SCRIPT = /^machine-worker-[\w-]+\.js$/;
/** The page's charset declaration, which must stay first in its head (Astro writes `<meta charset="utf-8"/>`). */
const CHARSET = /<meta charset="utf-8"\s*\/?>/i;

/** The inline script that starts the worker at `url`, and notes a failure to load it for the page's scripts. */
export function earlyWorkerScript(url: string): string {
  const options = JSON.stringify({ type: 'module', name: FIRST_WORKER_NAME });
  return (
    `<script>(function(){var w=new Worker(${JSON.stringify(url)},${options});` +
    `w.addEventListener("error",function(e){w.cottonFailed=e.message||"could not load"});` +
    'self.cottonFirstWorker=w})()</script>'
  );
}

/** `html` with the script right after its charset (which must stay first); unchanged without a machine. */
export function withEarlyWorker(html: string, url: string): string {
  if (!html.includes('<cotton-machine')) return html;
  const charset = CHARSET.exec(html);
  if (!charset)
    throw new Error('a page with a machine has no <meta charset> to put its worker after');
  const end = charset.index + charset[0].length;
  return `${html.slice(0, end)}${earlyWorkerScript(url)}${html.slice(end)}`;
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
