// The certificate validation a TLS 1.3 client needs (RFC 8446 section 4.4.2 leaves it to
// RFC 5280 and RFC 6125), as one import for the TLS code: parse, validate a chain, check the
// handshake signature. Each piece lives in the file named for its format or rule.

export {
  type ChainVerdict,
  type PkiFailure,
  type ValidationOptions,
  validateChain,
} from './chain.ts';
export { matchesHostname } from './hostname.ts';
export { parsePem } from './pem.ts';
export { PkiError } from './pki-error.ts';
export {
  TLS_ECDSA_SECP256R1_SHA256,
  TLS_ECDSA_SECP384R1_SHA384,
  TLS_ED25519,
  TLS_RSA_PSS_RSAE_SHA256,
  TLS_RSA_PSS_RSAE_SHA384,
  TLS_RSA_PSS_RSAE_SHA512,
  verifyTlsSignature,
} from './signatures.ts';
export type { BasicConstraints, Extensions, KeyUsage, SubjectAltName } from './x509-extensions.ts';
export type { DistinguishedName, NameAttribute } from './x509-name.ts';
export {
  type AlgorithmIdentifier,
  type Certificate,
  parseCertificate,
  type SubjectPublicKeyInfo,
} from './x509.ts';
