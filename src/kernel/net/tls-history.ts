/**
 * The machine's last TLS handshake, kept beside its network stack: the
 * messages of RFC 8446 §2's full handshake as the client sent and received
 * them, what was negotiated, the server's certificate chain read as X.509
 * (RFC 5280 §4.1: subject, issuer, validity, key, names) and the verdict.
 *
 * Every TLS session starts in startTls() (tls-socket.ts) - `tls`,
 * `httpsget` and the tls_connect system call alike - which notes its
 * handshake here when it succeeds or fails. `tls HOST` prints the record,
 * and the TLS chapter draws it as a message diagram, from the same plain
 * data: a reading of the record holds only numbers, strings, booleans and
 * arrays. Like the key log's path (tls-key-log.ts) it lives in a WeakMap
 * keyed by the stack, so net-stack.ts stays free of TLS.
 */
import type { NetStack } from './net-stack';
import { type Certificate, parseCertificate, PkiError } from './pki';
import { formatUnixSeconds } from './pki/utc-time.ts';
import {
  describeCertificateSizes,
  describeHandshakeStep,
  type HandshakeStep,
} from './tls/handshake-log.ts';

/** One certificate of the chain, as `tls` prints it; `problem` when it does not parse. */
export type CertificateSummary =
  | {
      readonly subject: string;
      readonly issuer: string;
      readonly notBefore: string;
      readonly notAfter: string;
      /** The subject's public key algorithm. */
      readonly key: string;
      /** Its DNS names (subjectAltName). */
      readonly names: readonly string[];
    }
  | { readonly problem: string };

/** A handshake step as plain data: the chain's DER replaced by its sizes and summaries. */
export type HandshakeStepInfo =
  | Exclude<HandshakeStep, { kind: 'certificates' }>
  | {
      readonly kind: 'certificates';
      readonly at: number;
      readonly sizes: readonly number[];
      readonly certificates: readonly CertificateSummary[];
    };

export interface TlsHandshakeInfo {
  /** The name the client asked for (SNI) and checked the certificate against. */
  readonly serverName: string;
  readonly steps: readonly HandshakeStepInfo[];
  /** Null when the handshake completed; else why it failed ("certificate expired: ..."). */
  readonly failure: string | null;
}

interface HandshakeRecord {
  readonly serverName: string;
  /** The client's log, live: a close after the handshake still adds its steps. */
  readonly steps: readonly HandshakeStep[];
  readonly failure: string | null;
}

const lastHandshakes = new WeakMap<NetStack, HandshakeRecord>();

/** Note the handshake that just completed (failure null) or failed on `net`. */
export function noteTlsHandshake(
  net: NetStack,
  serverName: string,
  steps: readonly HandshakeStep[],
  failure: string | null,
): void {
  lastHandshakes.set(net, { serverName, steps, failure });
}

function summarizeCertificate(der: Uint8Array): CertificateSummary {
  let certificate: Certificate;
  try {
    certificate = parseCertificate(der);
  } catch (error) {
    if (!(error instanceof PkiError)) throw error;
    return { problem: error.message };
  }
  return {
    subject: certificate.subject.text,
    issuer: certificate.issuer.text,
    notBefore: formatUnixSeconds(certificate.notBefore),
    notAfter: formatUnixSeconds(certificate.notAfter),
    key: certificate.subjectPublicKeyInfo.algorithm.name,
    names: certificate.extensions.subjectAltName?.dnsNames ?? [],
  };
}

function stepInfo(step: HandshakeStep): HandshakeStepInfo {
  if (step.kind !== 'certificates') return { ...step };
  return {
    kind: 'certificates',
    at: step.at,
    sizes: step.chain.map((der) => der.length),
    certificates: step.chain.map(summarizeCertificate),
  };
}

/** The last handshake on `net` as plain data, or null if there was none. */
export function lastTlsHandshake(net: NetStack): TlsHandshakeInfo | null {
  const record = lastHandshakes.get(net);
  if (!record) return null;
  return {
    serverName: record.serverName,
    steps: record.steps.map(stepInfo),
    failure: record.failure,
  };
}

/** A certificate's lines under the chain's step, indented as `tls` prints them. */
function certificateLines(summary: CertificateSummary, index: number): string[] {
  const indent = ' '.repeat(13);
  if ('problem' in summary) return [`${indent}${index}: unreadable (${summary.problem})`];
  const names = summary.names.length ? `, names ${summary.names.join(', ')}` : '';
  return [
    `${indent}${index}: subject ${summary.subject}`,
    `${indent}   issuer  ${summary.issuer}`,
    `${indent}   valid   ${summary.notBefore} .. ${summary.notAfter}`,
    `${indent}   key     ${summary.key}${names}`,
  ];
}

/** One step as `tls` prints it: "[  12 ms] -> ClientHello (...)", times from `started`. */
export function formatHandshakeStepInfo(step: HandshakeStepInfo, started: number): string[] {
  const at = `[${String(step.at - started).padStart(4)} ms]`;
  if (step.kind !== 'certificates') return [`${at} ${describeHandshakeStep(step)}`];
  return [
    `${at} ${describeCertificateSizes(step.sizes)}`,
    ...step.certificates.flatMap(certificateLines),
  ];
}
