// The one error the certificate code throws: a certificate, PEM file or ASN.1 structure that is
// malformed. Parsers throw it instead of returning half-read objects, so a caller can tell "this
// input is broken" (PkiError) from a bug in the kernel (any other error).

export class PkiError extends Error {
  override name = 'PkiError';
}
