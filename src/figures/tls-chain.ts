/**
 * The server's certificate chain of the last TLS handshake (TLS chapter):
 * one box per certificate, the server's own first, each signed by the next
 * (its issuer is the next one's subject, RFC 5280 §6.1), down to a root the
 * machine trusts in /etc/ssl/certs; then the two verdicts the client
 * reached - the chain's (path, dates, name) and the CertificateVerify
 * signature's (RFC 8446 §4.4.3).
 *
 * Data: `tls-chain` (src/kernel/net/tls-history.ts, the same record as
 * `tls-handshake`), which `tls HOST` prints under "server certificate chain".
 */
import { emptyFigure } from './empty-figure';
import type {
  CertificateSummary,
  HandshakeStepInfo,
  TlsHandshakeInfo,
} from '../kernel/net/tls-history';
import { describeHandshakeStep } from '../kernel/net/tls/handshake-log';
import {
  el,
  type Figure,
  type FigureContext,
  formatUptime,
  part,
  svgDocument,
  text,
  toneRect,
} from './svg';

const WIDTH = 640;
const LEFT = 10;
const BOX_WIDTH = 620;
const BOX_HEIGHT = 84;
const GAP = 26;
const TOP = 30;
const MAX_LINE = 96;

function clip(line: string): string {
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}

function role(index: number, count: number): string {
  if (index === 0) return "the server's own certificate";
  return index === count - 1 ? 'last in the chain the server sent' : 'intermediate';
}

function certificateLines(summary: CertificateSummary): string[] {
  if ('problem' in summary) return [`unreadable: ${summary.problem}`];
  const names = summary.names.length ? `, names ${summary.names.join(', ')}` : '';
  return [
    `subject ${summary.subject}`,
    `issuer  ${summary.issuer}`,
    `valid   ${summary.notBefore} .. ${summary.notAfter}`,
    `key     ${summary.key}${names}`,
  ];
}

function certificateBox(
  summary: CertificateSummary,
  index: number,
  count: number,
  y: number,
  context: FigureContext,
): string {
  const lines = certificateLines(summary);
  const heading = `${index}: ${role(index, count)}`;
  const box = { x: LEFT, y, width: BOX_WIDTH, height: BOX_HEIGHT };
  return part(
    `${heading}. ${lines.join('. ')}`,
    toneRect(context, box, index === 0 ? 'accent' : 'muted', 'solid') +
      el('rect', { ...box, fill: 'none', class: 'cf-axis' }) +
      text(LEFT + 8, y + 16, heading, { className: 'cf-text cf-heading' }) +
      lines
        .map((line, i) =>
          text(LEFT + 8, y + 32 + i * 13, clip(line), { className: 'cf-text cf-small' }),
        )
        .join(''),
  );
}

/** "signed by" between box `i` (above) and the next. */
function signedBy(y: number): string {
  const x = LEFT + 40;
  return (
    el('path', {
      d: `M${x},${y} V${y + GAP} M${x - 4},${y + GAP - 7} L${x},${y + GAP} L${x + 4},${y + GAP - 7}`,
      class: 'cf-axis',
    }) + text(x + 10, y + GAP / 2 + 4, 'issued and signed by', { className: 'cf-text cf-small' })
  );
}

type VerdictStep = Extract<HandshakeStepInfo, { kind: 'chain-verdict' | 'signature-verdict' }>;

function isVerdict(step: HandshakeStepInfo, kind: VerdictStep['kind']): step is VerdictStep {
  return step.kind === kind;
}

/** "OK: certificate chain trusted", or what was not reached. */
function verdictLine(info: TlsHandshakeInfo, kind: VerdictStep['kind'], what: string): string {
  const step = info.steps.find((s): s is VerdictStep => isVerdict(s, kind));
  if (!step) return `${what}: not checked`;
  return `${step.ok ? 'OK' : 'NO'}: ${describeHandshakeStep(step)}`;
}

export function tlsChainFigure(info: TlsHandshakeInfo | null, context: FigureContext): Figure {
  const when = formatUptime(context.uptimeMicros);
  const caption = `From the kernel's record of its last TLS handshake (what tls HOST prints), at ${when}`;
  const chain = info?.steps.find((step) => step.kind === 'certificates');
  if (!info || !chain || chain.kind !== 'certificates') {
    const why = info
      ? `The handshake with ${info.serverName} ended before a certificate arrived.`
      : 'No TLS connection yet.';
    return emptyFigure(context, why, caption);
  }
  const count = chain.certificates.length;
  let body = text(LEFT, 18, `Certificates sent by ${info.serverName}, the server's first`, {
    className: 'cf-text cf-heading',
  });
  chain.certificates.forEach((summary, i) => {
    const y = TOP + i * (BOX_HEIGHT + GAP);
    body += certificateBox(summary, i, count, y, context);
    body += signedBy(y + BOX_HEIGHT);
  });
  const rootY = TOP + count * (BOX_HEIGHT + GAP);
  const rootBox = { x: LEFT, y: rootY, width: BOX_WIDTH, height: 30 };
  const last = chain.certificates[count - 1];
  const rootName = last && 'issuer' in last ? last.issuer : 'the issuer of the last certificate';
  const rootWords = `the root, ${rootName}: looked up in /etc/ssl/certs, never sent`;
  body += part(
    `${rootWords}. The client holds the trusted roots already; a chain that does not end at one is refused.`,
    toneRect(context, rootBox, 'kernel', 'solid') +
      el('rect', { ...rootBox, fill: 'none', class: 'cf-axis', 'stroke-dasharray': '4 3' }) +
      text(LEFT + 8, rootY + 19, clip(rootWords)),
  );
  const chainVerdict = verdictLine(info, 'chain-verdict', 'certificate chain');
  const signature = verdictLine(info, 'signature-verdict', 'CertificateVerify');
  const verdictY = rootY + 56;
  body +=
    text(LEFT, verdictY, clip(chainVerdict)) +
    text(LEFT, verdictY + 18, clip(signature)) +
    text(
      LEFT,
      verdictY + 36,
      clip(info.failure === null ? 'verdict: trusted' : `verdict: REFUSED - ${info.failure}`),
    );
  const alt = `The certificate chain ${info.serverName} sent, ${count} certificate(s): ${chain.certificates
    .map((c, i) => `${i}: ${certificateLines(c).join(', ')}`)
    .join(
      '; ',
    )}. ${chainVerdict}. ${signature}. ${info.failure === null ? 'Trusted.' : `Refused: ${info.failure}.`}`;
  return {
    svg: svgDocument(
      context,
      { width: WIDTH, height: verdictY + 48 },
      `Certificate chain of ${info.serverName}`,
      body,
    ),
    alt,
    caption,
  };
}
