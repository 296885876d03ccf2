/**
 * The TLS client's judge (tls/authenticator.ts's PeerAuthenticator), built
 * on the certificate module: RFC 5280 path validation with the web's host
 * name rules (pki/chain.ts) against the trust store's roots, at the RTC's
 * time, and the CertificateVerify signature check of RFC 8446 §4.4.3
 * (pki/signatures.ts).
 *
 * Each refusal names its failure first - "expired:", "hostname mismatch:",
 * "untrusted root:" - then the certificate module's sentence with the
 * subject, dates or names involved, so `httpsget` can say exactly why it
 * did not believe a server. The last verdict, with the path it built, is
 * kept for `tls HOST` to print.
 */
import {
  type Certificate,
  type ChainVerdict,
  parseCertificate,
  PkiError,
  type PkiFailure,
  validateChain,
  verifyTlsSignature,
} from './pki';
import type { ChainVerdict as TlsChainVerdict, PeerAuthenticator } from './tls/authenticator.ts';

/** A heading for each way a chain can fail, as the commands print it. */
export const PKI_FAILURE_NAMES: Readonly<Record<PkiFailure, string>> = {
  expired: 'certificate expired',
  'not-yet-valid': 'certificate not yet valid',
  'hostname-mismatch': 'hostname mismatch',
  'self-signed': 'self-signed certificate',
  'unknown-issuer': 'untrusted issuer',
  'bad-signature': 'bad certificate signature',
  'not-a-ca': 'issuer is not a CA',
  'path-length': 'path too long for a CA',
  'weak-key': 'weak key',
  'unsupported-algorithm': 'unsupported algorithm',
  malformed: 'malformed certificate',
  'bad-key-usage': 'key usage forbids this',
};

export class PkiAuthenticator implements PeerAuthenticator {
  /** The verdict on the last chain judged (with the path built), for `tls`. */
  lastVerdict: ChainVerdict | null = null;

  /** `unixTime`: the RTC's seconds since 1970, the "now" of validity periods. */
  constructor(
    private readonly roots: Certificate[],
    private readonly unixTime: () => number,
  ) {}

  verifyChain(certificates: Uint8Array[], serverName: string): TlsChainVerdict {
    const verdict = validateChain(certificates, {
      serverName,
      now: this.unixTime(),
      roots: this.roots,
    });
    this.lastVerdict = verdict;
    if (verdict.ok) return { ok: true };
    return { ok: false, reason: `${PKI_FAILURE_NAMES[verdict.failure]}: ${verdict.message}` };
  }

  verifyHandshakeSignature(
    leafCertificate: Uint8Array,
    scheme: number,
    signedContent: Uint8Array,
    signature: Uint8Array,
  ): boolean {
    try {
      return verifyTlsSignature(
        parseCertificate(leafCertificate),
        scheme,
        signedContent,
        signature,
      );
    } catch (error) {
      if (error instanceof PkiError) return false;
      throw error;
    }
  }
}
