/**
 * The last TLS handshake as a message diagram (TLS chapter): the client on
 * the left, the server on the right, one arrow per handshake message
 * (ClientHello, ServerHello, EncryptedExtensions, Certificate,
 * CertificateVerify, Finished, RFC 8446 §2) with its size, and between them
 * what the client concluded - the negotiated version, suite and group, the
 * chain's and the signature's verdicts - as notes on its lane.
 *
 * Data: `tls-handshake` (src/kernel/net/tls-history.ts), which `tls HOST`
 * prints.
 */
import { emptyFigure } from './empty-figure';
import type { HandshakeStepInfo, TlsHandshakeInfo } from '../kernel/net/tls-history';
import { describeCertificateSizes, describeHandshakeStep } from '../kernel/net/tls/handshake-log';
import { type Lanes, laneHeads, type Message, messageArrow } from './message-arrows';
import {
  type Figure,
  type FigureContext,
  formatUptime,
  legend,
  part,
  svgDocument,
  text,
  toneRect,
} from './svg';

const WIDTH = 660;
const TOP = 72;
const ROW = 28;
const LANES = { left: 120, right: 540, leftName: 'the machine (client)' };

/** The longest note or summary drawn in full; the rest is in the part's details. */
const MAX_LINE = 84;

type Verdict = 'good' | 'bad' | 'neutral';

function clip(line: string): string {
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}

/** The step as the `tls` command writes it. */
function stepText(step: HandshakeStepInfo): string {
  return step.kind === 'certificates'
    ? describeCertificateSizes(step.sizes)
    : describeHandshakeStep(step);
}

/** A message on the wire, or null for what the client concluded. */
function asMessage(step: HandshakeStepInfo, started: number): Message | null {
  const margin = `${step.at - started} ms`;
  switch (step.kind) {
    case 'sent':
    case 'received':
      return {
        toRight: step.kind === 'sent',
        label: `${step.message} (${step.length} B)`,
        detail: `${stepText(step)}, at +${margin}`,
        margin,
      };
    case 'alert-sent':
    case 'alert-received':
      return {
        toRight: step.kind === 'alert-sent',
        label: `alert ${step.alert}`,
        detail: `${stepText(step)}, at +${margin}`,
        dashed: true,
        margin,
      };
    default:
      return null;
  }
}

function verdictOf(step: HandshakeStepInfo): Verdict {
  if (step.kind === 'chain-verdict' || step.kind === 'signature-verdict') {
    return step.ok ? 'good' : 'bad';
  }
  if (step.kind === 'connected') return 'good';
  return 'neutral';
}

const VERDICT_STYLE = {
  good: { tone: 'usable', pattern: 'solid', mark: 'OK' },
  bad: { tone: 'reserved', pattern: 'hatch', mark: 'NO' },
  neutral: { tone: 'muted', pattern: 'dots', mark: '' },
} as const;

/** What the client concluded, as a note beside its lane: a marked swatch and the text. */
function note(step: HandshakeStepInfo, y: number, context: FigureContext, started: number): string {
  const style = VERDICT_STYLE[verdictOf(step)];
  const words = stepText(step);
  const mark = style.mark ? `${style.mark}: ` : '';
  return part(
    `${words}, at +${step.at - started} ms`,
    toneRect(
      context,
      { x: LANES.left + 6, y: y - 11, width: 12, height: 14 },
      style.tone,
      style.pattern,
    ) + text(LANES.left + 24, y, clip(`${mark}${words}`), { className: 'cf-text cf-small' }),
  );
}

function summary(info: TlsHandshakeInfo): string {
  return info.failure === null ? 'verdict: trusted' : `verdict: REFUSED - ${info.failure}`;
}

function altText(info: TlsHandshakeInfo): string {
  const steps = info.steps.map(stepText).join('; ');
  return `The last TLS handshake, with ${info.serverName}, step by step: ${steps}. ${summary(info)}.`;
}

export function tlsHandshakeFigure(info: TlsHandshakeInfo | null, context: FigureContext): Figure {
  const when = formatUptime(context.uptimeMicros);
  const caption = `From the kernel's record of its last TLS handshake (what tls HOST prints), at ${when}`;
  if (!info) {
    const words = 'No TLS connection yet: try tls example.com or httpsget example.com /.';
    return emptyFigure(context, words, caption);
  }
  const lanes: Lanes = { ...LANES, rightName: `server ${info.serverName}` };
  const started = info.steps[0]?.at ?? 0;
  const rows = info.steps
    .map((step, i) => {
      const y = TOP + 14 + i * ROW;
      const message = asMessage(step, started);
      return message ? messageArrow(lanes, y, message) : note(step, y, context, started);
    })
    .join('');
  const bottom = TOP + Math.max(info.steps.length, 1) * ROW;
  const body =
    text(10, 16, `TLS 1.3 handshake with ${info.serverName}`, { className: 'cf-text cf-heading' }) +
    text(10, 34, clip(summary(info))) +
    laneHeads(lanes, 58, bottom + 6) +
    rows +
    legend(context, 10, bottom + 30, [
      { label: 'OK: trusted, verified', tone: 'usable', pattern: 'solid' },
      { label: 'NO: refused', tone: 'reserved', pattern: 'hatch' },
      { label: 'negotiated, received', tone: 'muted', pattern: 'dots' },
    ]);
  return {
    svg: svgDocument(
      context,
      { width: WIDTH, height: bottom + 42 },
      `TLS handshake with ${info.serverName}`,
      body,
    ),
    alt: altText(info),
    caption,
  };
}
