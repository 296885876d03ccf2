/**
 * The figures by view name: one line per figure, `'view-name': renderer`,
 * where the view is the kernel's (src/kernel/inspect/views.ts) and the
 * renderer is the file of the same name here (docs/figures.md).
 */
import { memoryMapFigure } from './memory-map';
import { blockMapFigure } from './block-map';
import { diskLayoutFigure } from './disk-layout';
import { inodeTreeFigure } from './inode-tree';
import { journalFigure } from './journal';
import { schedTimelineFigure } from './sched-timeline';
import { runQueuesFigure } from './run-queues';
import { addressSpaceFigure } from './address-space';
import { bootStagesFigure } from './boot-stages';
import { pageWalkFigure } from './page-walk';
import { desktopDamageFigure } from './desktop-damage';
import { tcpConnectionsFigure } from './tcp-connections';
import { tcpSequenceFigure } from './tcp-sequence';
import { tlsChainFigure } from './tls-chain';
import { tlsHandshakeFigure } from './tls-handshake';
import { windowStackFigure } from './window-stack';
import type { Figure, FigureContext, FigureRenderer } from './svg';

export type { Figure, FigureContext } from './svg';

export const FIGURES: Readonly<Record<string, FigureRenderer<never>>> = {
  'memory-map': memoryMapFigure,
  'boot-stages': bootStagesFigure,
  'page-walk': pageWalkFigure,
  'address-space': addressSpaceFigure,
  'tcp-connections': tcpConnectionsFigure,
  'tcp-sequence': tcpSequenceFigure,
  'tls-handshake': tlsHandshakeFigure,
  'tls-chain': tlsChainFigure,
  'window-stack': windowStackFigure,
  'desktop-damage': desktopDamageFigure,
  'disk-layout': diskLayoutFigure,
  'block-map': blockMapFigure,
  'inode-tree': inodeTreeFigure,
  journal: journalFigure,
  'sched-timeline': schedTimelineFigure,
  'run-queues': runQueuesFigure,
};

/** Draw `data`, the kernel's answer for `view`; throws for a view without a figure. */
export function renderFigure(view: string, data: unknown, context: FigureContext): Figure {
  const renderer = Object.hasOwn(FIGURES, view) ? FIGURES[view] : undefined;
  if (!renderer) throw new Error(`no figure for the view '${view}'`);
  return (renderer as FigureRenderer<unknown>)(data, context);
}
