// The object identifiers (OIDs) a TLS client meets in X.509 certificates, named as in the
// specifications that define them. An OID is the dotted form of a path in the global ASN.1
// registration tree: 1.2.840.113549 is RSA Security's arc, 2.5.29 the X.509 extensions' arc.

// Public key algorithms (RFC 3279 section 2.3, RFC 5480 section 2.1.1, RFC 8410 section 3).
export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_ED25519 = '1.3.101.112';

// Named curves (RFC 5480 section 2.1.1.1).
export const OID_SECP256R1 = '1.2.840.10045.3.1.7';
export const OID_SECP384R1 = '1.3.132.0.34';

// Signature algorithms (RFC 4055 section 5, RFC 5758 section 3.2, RFC 8410 section 3).
export const OID_SHA1_WITH_RSA = '1.2.840.113549.1.1.5';
export const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
export const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
export const OID_SHA384_WITH_RSA = '1.2.840.113549.1.1.12';
export const OID_SHA512_WITH_RSA = '1.2.840.113549.1.1.13';
export const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
export const OID_ECDSA_WITH_SHA384 = '1.2.840.10045.4.3.3';
export const OID_ECDSA_WITH_SHA512 = '1.2.840.10045.4.3.4';

// Certificate extensions (RFC 5280 section 4.2.1).
export const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
export const OID_KEY_USAGE = '2.5.29.15';
export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_BASIC_CONSTRAINTS = '2.5.29.19';
export const OID_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';
export const OID_EXT_KEY_USAGE = '2.5.29.37';

// Extended key usages (RFC 5280 section 4.2.1.12).
export const OID_ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';
export const OID_KP_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const OID_KP_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

// Name attributes and their short names in text (RFC 4514 section 3, RFC 5280 appendix A).
export const NAME_ATTRIBUTE_SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

const OID_NAMES: Readonly<Record<string, string>> = {
  [OID_RSA_ENCRYPTION]: 'rsaEncryption',
  [OID_EC_PUBLIC_KEY]: 'id-ecPublicKey',
  [OID_ED25519]: 'Ed25519',
  [OID_SECP256R1]: 'secp256r1',
  [OID_SECP384R1]: 'secp384r1',
  [OID_SHA1_WITH_RSA]: 'sha1WithRSAEncryption',
  [OID_RSASSA_PSS]: 'RSASSA-PSS',
  [OID_SHA256_WITH_RSA]: 'sha256WithRSAEncryption',
  [OID_SHA384_WITH_RSA]: 'sha384WithRSAEncryption',
  [OID_SHA512_WITH_RSA]: 'sha512WithRSAEncryption',
  [OID_ECDSA_WITH_SHA256]: 'ecdsa-with-SHA256',
  [OID_ECDSA_WITH_SHA384]: 'ecdsa-with-SHA384',
  [OID_ECDSA_WITH_SHA512]: 'ecdsa-with-SHA512',
  [OID_SUBJECT_KEY_IDENTIFIER]: 'subjectKeyIdentifier',
  [OID_KEY_USAGE]: 'keyUsage',
  [OID_SUBJECT_ALT_NAME]: 'subjectAltName',
  [OID_BASIC_CONSTRAINTS]: 'basicConstraints',
  [OID_AUTHORITY_KEY_IDENTIFIER]: 'authorityKeyIdentifier',
  [OID_EXT_KEY_USAGE]: 'extKeyUsage',
  [OID_KP_SERVER_AUTH]: 'serverAuth',
  [OID_KP_CLIENT_AUTH]: 'clientAuth',
  [OID_ANY_EXTENDED_KEY_USAGE]: 'anyExtendedKeyUsage',
};

/** The spec's name for an OID, or the dotted OID itself when this code does not know it. */
export function oidName(oid: string): string {
  return OID_NAMES[oid] ?? oid;
}
