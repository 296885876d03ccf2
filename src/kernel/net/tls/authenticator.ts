/**
 * How the TLS client asks whether the server is who it claims to be (RFC 8446 section 4.4.2.2
 * and 4.4.3). The client only carries certificates and signatures; the judging is done by the
 * certificate module (src/kernel/net/pki/), which implements this interface: X.509 parsing,
 * chain building to a trusted root, validity dates, host names and signature algorithms.
 *
 * Keeping the boundary this narrow lets the TLS chapter be read without X.509, and lets tests
 * plug in a small authenticator of their own.
 */

export type ChainVerdict = { ok: true } | { ok: false; reason: string };

export interface PeerAuthenticator {
  /**
   * Is `certificates` (DER, the server's own certificate first, then the chain as sent) a
   * valid chain to a trusted root for `serverName`?
   */
  verifyChain(certificates: Uint8Array[], serverName: string): ChainVerdict;

  /**
   * Did the key of `leafCertificate` sign `signedContent` with `scheme` (a TLS SignatureScheme
   * such as 0x0403 ecdsa_secp256r1_sha256)? False for a wrong signature, an unsupported
   * scheme, or a scheme that does not fit the key.
   */
  verifyHandshakeSignature(
    leafCertificate: Uint8Array,
    scheme: number,
    signedContent: Uint8Array,
    signature: Uint8Array,
  ): boolean;
}
