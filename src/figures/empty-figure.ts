/**
 * The figure of a view with nothing to draw yet - no network card, no
 * connection so far, no desktop running: one line saying so, which is also
 * its text alternative, so that the page never shows an empty box.
 */
import { type Figure, type FigureContext, svgDocument, text } from './svg';

const WIDTH = 640;

export function emptyFigure(context: FigureContext, words: string, caption: string): Figure {
  return {
    svg: svgDocument(context, { width: WIDTH, height: 40 }, words, text(10, 24, words)),
    alt: words,
    caption,
  };
}
