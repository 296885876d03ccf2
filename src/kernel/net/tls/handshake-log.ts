/**
 * The story of one TLS connection, step by step, for the `tls HOST` shell command to print:
 * each message sent and received, what was negotiated, the server's certificates and the
 * verdicts on them, alerts, and how it ended. Times are the machine's virtual milliseconds.
 */

import { signatureSchemeName } from './registry.ts';

export type HandshakeStep =
  | { kind: 'sent'; at: number; message: string; length: number }
  | { kind: 'received'; at: number; message: string; length: number }
  | { kind: 'hello-retry'; at: number; group: string }
  | { kind: 'negotiated'; at: number; version: string; cipherSuite: string; group: string }
  | { kind: 'certificates'; at: number; chain: Uint8Array[] }
  | { kind: 'chain-verdict'; at: number; ok: boolean; reason: string }
  | { kind: 'signature-verdict'; at: number; ok: boolean; scheme: number }
  | { kind: 'connected'; at: number }
  | { kind: 'alert-sent'; at: number; alert: string; reason: string }
  | { kind: 'alert-received'; at: number; alert: string }
  | { kind: 'closed'; at: number; reason: string };

/** The line of the server's chain: how many certificates, how many bytes each. */
export function describeCertificateSizes(sizes: readonly number[]): string {
  const each = sizes.map((size) => `${size} bytes`).join(', ');
  return `server certificate chain: ${sizes.length} certificate(s), ${each}`;
}

/** One line of text per step, as the `tls` command prints it. */
export function describeHandshakeStep(step: HandshakeStep): string {
  switch (step.kind) {
    case 'sent':
      return `-> ${step.message} (${step.length} bytes)`;
    case 'received':
      return `<- ${step.message} (${step.length} bytes)`;
    case 'hello-retry':
      return `server asked to retry with a ${step.group} key share`;
    case 'negotiated':
      return `negotiated ${step.version}, ${step.cipherSuite}, key exchange ${step.group}`;
    case 'certificates':
      return describeCertificateSizes(step.chain.map((der) => der.length));
    case 'chain-verdict':
      return step.ok ? 'certificate chain trusted' : `certificate chain refused: ${step.reason}`;
    case 'signature-verdict':
      return (
        `CertificateVerify (${signatureSchemeName(step.scheme)}) ` +
        (step.ok ? 'verified' : 'does not verify')
      );
    case 'connected':
      return 'handshake complete: application data may flow';
    case 'alert-sent':
      return `alert sent: ${step.alert} (${step.reason})`;
    case 'alert-received':
      return `alert received: ${step.alert}`;
    case 'closed':
      return `closed: ${step.reason}`;
  }
}
