/**
 * For the tests of the networking, TLS and GUI figures: the fixtures their
 * golden SVGs are drawn from (captured from the chapters' machines in Node,
 * after the same `typed` commands as the chapters' <Figure> elements), and
 * the same views taken from today's kernel, to check the fixtures still
 * have the shape the kernel produces.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KernelInspector } from '../../src/runtime/host/kernel-inspection';
import { bootFromRepo, freshBookDisk } from '../../src/runtime/node/node-host';

/** A chapter's figure script: the machine's command line and the commands typed at it. */
export interface FigureScript {
  readonly cmdline?: string;
  readonly typed: readonly string[];
}

/** The scripts of the chapters' figures (chapters/networking.mdx, tls.mdx, gui.mdx). */
export const NETWORKING: FigureScript = {
  typed: ['tcpconnect echo.cotton.test 7', 'httpget example.com /', 'ss'],
};
export const TLS: FigureScript = { typed: ['tls example.com'] };
export const GUI: FigureScript = {
  cmdline: 'gui',
  typed: ['launch terminal', 'launch files', 'launch sysinfo'],
};

/** The context the golden SVGs are drawn with. */
export const GOLDEN_CONTEXT = { uptimeMicros: 1_234_567 };

export function fixture<T>(view: string): T {
  const file = join(import.meta.dirname, 'fixtures', `${view}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** View `view` of a machine booted and driven by `script`, from today's kernel. */
export function liveView<T>(script: FigureScript, view: string): T {
  const inspector = new KernelInspector();
  const host = bootFromRepo({
    ...freshBookDisk(),
    commandLine: script.cmdline,
    tap: inspector.tap,
  });
  host.runUntilPrompt(60_000);
  for (const line of script.typed) host.command(line, 60_000);
  const answer = inspector.inspect({ view });
  if (!answer.ok) throw new Error(`view ${view}: ${answer.reason}`);
  return answer.data as T;
}

/** The keys of a JSON value and the types of its leaves, arrays by their first item. */
export function jsonShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [jsonShape(value[0])] : [];
  if (value === null || typeof value !== 'object') return value === null ? 'null' : typeof value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, jsonShape(item)]));
}

/** The text of every focusable part of an SVG: what hover and focus show. */
export function partDetails(svg: string): string[] {
  return [...svg.matchAll(/class="cf-part" tabindex="0" role="img" aria-label="([^"]*)"/g)].map(
    (match) => match[1]!.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))),
  );
}
