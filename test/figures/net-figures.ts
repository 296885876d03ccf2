/**
 * For the tests of the networking, TLS and GUI figures: the scripts their
 * fixtures were captured with (the chapters' machines in Node, after the same
 * `typed` commands as the chapters' <Figure> elements), and the same views
 * taken from today's kernel, to check the fixtures still have the shape the
 * kernel produces.
 */
import { InspectedMachine } from '../support/inspected-machine';

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

/** View `view` of a machine booted and driven by `script`, from today's kernel. */
export function liveView<T>(script: FigureScript, view: string): T {
  const machine = new InspectedMachine(script.cmdline);
  for (const line of script.typed) machine.run(line);
  return machine.view<T>(view);
}

/** The text of every focusable part of an SVG: what hover and focus show. */
export function partDetails(svg: string): string[] {
  return [...svg.matchAll(/class="cf-part" tabindex="0" role="img" aria-label="([^"]*)"/g)].map(
    (match) => match[1]!.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))),
  );
}
