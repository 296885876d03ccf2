/**
 * Message sequence diagrams, shared by the TCP and TLS figures: two lanes
 * (the machine on the left, its peer on the right), time going down, one
 * arrow per message with its label above it.
 *
 * An arrow's direction is drawn by its head and said by its label's "->" or
 * "<-"; a retransmitted or refused message is dashed and says so in words,
 * so that nothing depends on colour. Each arrow is a focusable part whose
 * details (every header field) show on hover and focus.
 */
import { el, part, text } from './svg';

/** Where the two lanes are, and their names. */
export interface Lanes {
  readonly left: number;
  readonly right: number;
  readonly leftName: string;
  readonly rightName: string;
}

/** The lanes' names at `y` and their vertical lines from `y + 8` to `bottom`. */
export function laneHeads(lanes: Lanes, y: number, bottom: number): string {
  const line = (x: number) => el('line', { x1: x, x2: x, y1: y + 8, y2: bottom, class: 'cf-axis' });
  return (
    text(lanes.left, y, lanes.leftName, { anchor: 'middle', className: 'cf-text cf-heading' }) +
    text(lanes.right, y, lanes.rightName, { anchor: 'middle', className: 'cf-text cf-heading' }) +
    line(lanes.left) +
    line(lanes.right)
  );
}

/** An open arrowhead at (x, y) pointing right (`toRight`) or left. */
function arrowHead(x: number, y: number, toRight: boolean): string {
  const back = toRight ? -8 : 8;
  return el('path', {
    d: `M${x + back},${y - 4} L${x},${y} L${x + back},${y + 4}`,
    class: 'cf-axis',
  });
}

export interface Message {
  /** From the left lane (the machine) to the right one. */
  readonly toRight: boolean;
  /** The label over the arrow. */
  readonly label: string;
  /** Everything about it, for hover and focus (and screen readers). */
  readonly detail: string;
  /** Drawn dashed: a retransmission, or a message that ended the conversation. */
  readonly dashed?: boolean;
  /** A note at the far left, outside the lanes (a time). */
  readonly margin?: string;
}

/** One message at height `y`: its arrow across the lanes, its label above. */
export function messageArrow(lanes: Lanes, y: number, message: Message): string {
  const [from, to] = message.toRight ? [lanes.left, lanes.right] : [lanes.right, lanes.left];
  const middle = (lanes.left + lanes.right) / 2;
  const line = el('line', {
    x1: from,
    x2: to,
    y1: y,
    y2: y,
    class: 'cf-axis',
    'stroke-dasharray': message.dashed ? '6 4' : undefined,
  });
  const margin = message.margin
    ? text(lanes.left - 12, y + 4, message.margin, { anchor: 'end', className: 'cf-text cf-small' })
    : '';
  return part(
    message.detail,
    margin +
      line +
      arrowHead(to, y, message.toRight) +
      text(middle, y - 5, message.label, { anchor: 'middle', className: 'cf-text cf-small' }),
  );
}
