/**
 * What every figure shares: the Figure type, SVG text with escaping, scales,
 * patterns, legends and focusable parts.
 *
 * A renderer (one file per view, ./index.ts) turns a view's data into SVG
 * text, deterministically, so that the figure rendered at build time in Node
 * and the one redrawn in the page are the same bytes (test/figures/). Colours
 * are CSS classes (`cf-tone-*`, set for the light and the dark theme in
 * src/runtime/browser/components/figure.css), and every tone comes with a
 * pattern or an outline and a legend entry, so colour never carries meaning
 * alone. The parts a reader may ask about are focusable (`tabindex="0"`) and
 * carry their details as a <title>, which the page shows on hover and focus.
 */
/** A figure ready for the page: SVG markup, its text alternative, and its caption naming the source. */
export interface Figure {
  readonly svg: string;
  /** What the figure shows, in words (the text alternative). */
  readonly alt: string;
  /** Where the data came from and when, without a final period: "From pid 1 at t = 1.234 s". */
  readonly caption: string;
}

/** What a renderer knows besides the view's data. */
export interface FigureContext {
  /** Prefix for the ids inside the SVG, unique on the page (two figures may share a page). */
  readonly id: string;
  /** When the view was taken, in microseconds since the machine booted. */
  readonly uptimeMicros: number;
}

export type FigureRenderer<T> = (data: T, context: FigureContext) => Figure;

/** Fill tones, each a CSS class with a light and a dark colour (figure.css). */
export type Tone = 'usable' | 'reserved' | 'hole' | 'used' | 'accent' | 'muted' | 'kernel';

/** Patterns laid over a tone, so that kinds differ by more than colour. */
export type Pattern = 'solid' | 'hatch' | 'dots' | 'cross';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type AttributeValue = string | number | undefined;

/** An element: `el('rect', { x: 1, class: 'a' })`; attributes in the given order, undefined ones left out. */
export function el(
  tag: string,
  attributes: Readonly<Record<string, AttributeValue>>,
  children?: string,
): string {
  const text = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(
      ([name, value]) =>
        ` ${name}="${escapeXml(String(typeof value === 'number' ? round(value) : value))}"`,
    )
    .join('');
  return children === undefined ? `<${tag}${text}/>` : `<${tag}${text}>${children}</${tag}>`;
}

/** Coordinates rounded to 0.01 so output does not depend on floating-point noise. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A text label; `anchor` as SVG's text-anchor. */
export function text(
  x: number,
  y: number,
  content: string,
  options: { anchor?: 'start' | 'middle' | 'end'; className?: string } = {},
): string {
  return el(
    'text',
    { x, y, 'text-anchor': options.anchor, class: options.className ?? 'cf-text' },
    escapeXml(content),
  );
}

/** A map from [d0, d1] to [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** Round tick values from 0 to at least `max`: steps of 1, 2 or 5 times a power of ten, at most `count` + 1 ticks. */
export function niceTicks(max: number, count: number): number[] {
  if (max <= 0) return [0];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks = [0];
  while (ticks[ticks.length - 1]! < max) ticks.push(round(ticks.length * step));
  return ticks;
}

/** A text cut to `chars` characters, with an ellipsis if it was longer. */
export function clip(content: string, chars: number): string {
  return content.length <= chars ? content : `${content.slice(0, chars - 1)}…`;
}

/** The id of pattern `pattern` in the figure `context` belongs to. */
function patternId(context: FigureContext, pattern: Exclude<Pattern, 'solid'>): string {
  return `${context.id}-${pattern}`;
}

/** The <defs> every figure carries: its patterns, ids prefixed by the figure's id. */
function patternDefs(context: FigureContext): string {
  const tile = (name: Exclude<Pattern, 'solid'>, shapes: string) =>
    el(
      'pattern',
      { id: patternId(context, name), width: 6, height: 6, patternUnits: 'userSpaceOnUse' },
      shapes,
    );
  return el(
    'defs',
    {},
    tile('hatch', el('path', { d: 'M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5', class: 'cf-pattern-line' })) +
      tile('dots', el('circle', { cx: 3, cy: 3, r: 1, class: 'cf-pattern-dot' })) +
      tile('cross', el('path', { d: 'M0,0 L6,6 M6,0 L0,6', class: 'cf-pattern-line' })),
  );
}

/** A rectangle in a tone, with a pattern over it and a thin outline. */
export function toneRect(
  context: FigureContext,
  box: { x: number; y: number; width: number; height: number },
  tone: Tone,
  pattern: Pattern,
): string {
  const base = el('rect', { ...box, class: `cf-tone-${tone}` });
  const overlay =
    pattern === 'solid'
      ? ''
      : el('rect', { ...box, fill: `url(#${patternId(context, pattern)})`, class: 'cf-pattern' });
  return base + overlay;
}

/**
 * A part the reader can point at or tab to: its details are its <title>
 * (a tooltip on hover; the page also shows them on focus).
 */
export function part(detail: string, body: string): string {
  return el(
    'g',
    { class: 'cf-part', tabindex: 0, role: 'img', 'aria-label': detail },
    el('title', {}, escapeXml(detail)) + body,
  );
}

/** A legend: a swatch (tone and pattern) and a label per entry, in one row from (x, y). */
export function legend(
  context: FigureContext,
  x: number,
  y: number,
  entries: ReadonlyArray<{ label: string; tone: Tone; pattern: Pattern }>,
): string {
  let at = x;
  let out = '';
  for (const entry of entries) {
    out += toneRect(
      context,
      { x: at, y: y - 10, width: 14, height: 12 },
      entry.tone,
      entry.pattern,
    );
    out += text(at + 19, y, entry.label, { className: 'cf-text cf-small' });
    at += 19 + estimateTextWidth(entry.label, SMALL_FONT_PX) + 16;
  }
  return el('g', { class: 'cf-legend' }, out);
}

/** A full-column figure's width (the book's column at 1:1) and the margin inside its edges. */
export const FIGURE_WIDTH = 720;
export const FIGURE_MARGIN = 10;
/** Where a figure's drawing ends on the right, inside its margin. */
export const FIGURE_RIGHT = FIGURE_WIDTH - FIGURE_MARGIN;

/** The font sizes figure.css gives .cf-text and .cf-small, for layout. */
export const FONT_PX = 12;
export const SMALL_FONT_PX = 11;

/** A text's width, roughly (the book's sans-serif averages ~0.56 em a character). */
export function estimateTextWidth(content: string, fontPx: number): number {
  return Math.ceil(content.length * fontPx * 0.56);
}

/** The whole SVG: a labelled group with the figure's patterns; it scales to its box's width. */
export function svgDocument(
  context: FigureContext,
  size: { width: number; height: number },
  title: string,
  body: string,
): string {
  const titleId = `${context.id}-title`;
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'cf-svg',
      viewBox: `0 0 ${size.width} ${size.height}`,
      width: size.width,
      height: size.height,
      role: 'group',
      'aria-labelledby': titleId,
    },
    el('title', { id: titleId }, escapeXml(title)) + patternDefs(context) + body,
  );
}

/** "t = 1.234 s": when a view was taken, for captions. */
export function formatUptime(micros: number): string {
  return `t = ${(Math.floor(micros / 1000) / 1000).toFixed(3)} s`;
}
