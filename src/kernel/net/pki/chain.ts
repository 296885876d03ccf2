// Certificate path validation: should the TLS client believe the server's certificate?
// A simplified RFC 5280 section 6 with the web's rules on top (RFC 6125 host names, CA/Browser
// Forum key sizes), in two steps:
//
// 1. Build a path from the server's certificate (the leaf) up to a trusted root: each step
//    looks for the certificate whose subject is the current one's issuer (and whose subject key
//    identifier matches the authority key identifier, when both are present), first among the
//    other certificates the server sent, then among the roots. A CA already on the path is never
//    taken again (no loops) and the path is at most MAX_PATH_LENGTH long, so the search ends.
// 2. Check the path, in the order a student would reason about it: can we read every key and
//    signature; is every signature right; are the issuers really CAs, allowed to issue that
//    deep; may the leaf serve TLS; is everything within its dates; is it for this host.
//
// The first problem found is the verdict, named for what went wrong, with a sentence for the
// user. Not done here: revocation (CRL, OCSP), name constraints, policies.

import { bytesEqual } from './bytes.ts';
import { matchesHostname } from './hostname.ts';
import { formatIpAddress } from './ip-address.ts';
import { OID_ANY_EXTENDED_KEY_USAGE, OID_KP_SERVER_AUTH } from './oids.ts';
import { PkiError } from './pki-error.ts';
import {
  certificateSignatureStatus,
  MIN_RSA_MODULUS_BITS,
  publicKeyStrength,
} from './signatures.ts';
import { formatUnixSeconds } from './utc-time.ts';
import { type Certificate, parseCertificate } from './x509.ts';
import { namesMatch } from './x509-name.ts';

/** Leaf, intermediates and root: real paths have 3 or 4 certificates. */
export const MAX_PATH_LENGTH = 8;

export type PkiFailure =
  | 'expired'
  | 'not-yet-valid'
  | 'hostname-mismatch'
  | 'self-signed'
  | 'unknown-issuer'
  | 'bad-signature'
  | 'not-a-ca'
  | 'path-length'
  | 'weak-key'
  | 'unsupported-algorithm'
  | 'malformed'
  | 'bad-key-usage';

export type ChainVerdict =
  | { ok: true; path: Certificate[] }
  | { ok: false; failure: PkiFailure; message: string; path: Certificate[] };

export interface ValidationOptions {
  /** The name the client asked for (SNI): a host name or an IP address. */
  serverName: string;
  /** Unix seconds. */
  now: number;
  roots: Certificate[];
}

interface Problem {
  failure: PkiFailure;
  message: string;
}

type PathCheck = (path: Certificate[], options: ValidationOptions) => Problem | null;

const PATH_CHECKS: PathCheck[] = [
  checkKeys,
  checkSignatures,
  checkCriticalExtensions,
  checkIssuersAreCas,
  checkLeafMayServeTls,
  checkValidityPeriods,
  checkHostname,
];

/** Validates the chain a server sent (DER, leaf first) for `options.serverName`. */
export function validateChain(chain: Uint8Array[], options: ValidationOptions): ChainVerdict {
  const parsed = parseAll(chain);
  if ('failure' in parsed) return { ok: false, ...parsed, path: [] };
  const [leaf, ...intermediates] = parsed;
  if (leaf === undefined)
    return { ok: false, failure: 'malformed', message: 'empty chain', path: [] };

  const { path, anchored } = buildPath(leaf, intermediates, options.roots);
  if (!anchored) return { ok: false, ...untrustedProblem(path), path };
  for (const check of PATH_CHECKS) {
    const problem = check(path, options);
    if (problem !== null) return { ok: false, ...problem, path };
  }
  return { ok: true, path };
}

function parseAll(chain: Uint8Array[]): Certificate[] | Problem {
  const certificates: Certificate[] = [];
  for (const [index, der] of chain.entries()) {
    try {
      certificates.push(parseCertificate(der));
    } catch (error) {
      if (!(error instanceof PkiError)) throw error;
      return { failure: 'malformed', message: `certificate ${index}: ${error.message}` };
    }
  }
  return certificates;
}

// --- Step 1: building the path ---------------------------------------------------------------

function buildPath(
  leaf: Certificate,
  intermediates: Certificate[],
  roots: Certificate[],
): { path: Certificate[]; anchored: boolean } {
  const path = [leaf];
  const candidates = [...intermediates, ...roots];
  const isInPath = (certificate: Certificate) =>
    path.some((c) => isSameSubjectAndKey(c, certificate));
  while (path.length <= MAX_PATH_LENGTH) {
    const current = path[path.length - 1]!;
    if (roots.some((root) => isSameSubjectAndKey(root, current))) return { path, anchored: true };
    const issuer = candidates.find((c) => !isInPath(c) && isIssuedBy(current, c));
    if (issuer === undefined) return { path, anchored: false };
    path.push(issuer);
  }
  return { path, anchored: false };
}

/** The same subject with the same key counts as the same CA: a root may be re-issued. */
function isSameSubjectAndKey(a: Certificate, b: Certificate): boolean {
  return (
    namesMatch(a.subject, b.subject) &&
    bytesEqual(a.subjectPublicKeyInfo.der, b.subjectPublicKeyInfo.der)
  );
}

function isIssuedBy(certificate: Certificate, candidate: Certificate): boolean {
  const authorityKey = certificate.extensions.authorityKeyIdentifier;
  const candidateKey = candidate.extensions.subjectKeyIdentifier;
  const keysAgree =
    authorityKey === null || candidateKey === null || bytesEqual(authorityKey, candidateKey);
  return keysAgree && namesMatch(certificate.issuer, candidate.subject);
}

function isSelfIssued(certificate: Certificate): boolean {
  return namesMatch(certificate.issuer, certificate.subject);
}

function untrustedProblem(path: Certificate[]): Problem {
  const last = path[path.length - 1]!;
  if (path.length === 1 && isSelfIssued(last)) {
    return {
      failure: 'self-signed',
      message: `'${last.subject.text}' is self-signed and not a trusted root`,
    };
  }
  if (path.length > MAX_PATH_LENGTH) {
    return {
      failure: 'unknown-issuer',
      message: `no trusted root within ${MAX_PATH_LENGTH} certificates`,
    };
  }
  const reason = isSelfIssued(last)
    ? `the root '${last.subject.text}' is not trusted`
    : `its issuer '${last.issuer.text}' was not sent and is not a trusted root`;
  return { failure: 'unknown-issuer', message: `cannot trust '${last.subject.text}': ${reason}` };
}

// --- Step 2: checking the path -----------------------------------------------------------------

function checkKeys(path: Certificate[]): Problem | null {
  for (const certificate of path) {
    const key = certificate.subjectPublicKeyInfo;
    const strength = publicKeyStrength(key);
    if (strength === 'weak') {
      return {
        failure: 'weak-key',
        message: `'${certificate.subject.text}' has an RSA key under ${MIN_RSA_MODULUS_BITS} bits`,
      };
    }
    if (strength === 'unsupported') {
      return {
        failure: 'unsupported-algorithm',
        message: `'${certificate.subject.text}' has an unsupported ${key.algorithm.name} key`,
      };
    }
  }
  return null;
}

/** Every certificate but the root is checked with the key of the next one up. */
function checkSignatures(path: Certificate[]): Problem | null {
  for (let i = 0; i + 1 < path.length; i++) {
    const certificate = path[i]!;
    const issuer = path[i + 1]!;
    const status = certificateSignatureStatus(certificate, issuer.subjectPublicKeyInfo);
    const algorithm = certificate.signatureAlgorithm.name;
    if (status === 'unsupported') {
      return {
        failure: 'unsupported-algorithm',
        message: `'${certificate.subject.text}' is signed with unsupported ${algorithm}`,
      };
    }
    if (status === 'invalid') {
      return {
        failure: 'bad-signature',
        message:
          `the ${algorithm} signature of '${certificate.subject.text}' ` +
          `by '${issuer.subject.text}' is wrong`,
      };
    }
  }
  return null;
}

/** RFC 5280 section 4.2: a critical extension that is not understood means "do not use". */
function checkCriticalExtensions(path: Certificate[]): Problem | null {
  const certificate = path.find((c) => c.extensions.unknownCritical.length > 0);
  if (certificate === undefined) return null;
  const extensions = certificate.extensions.unknownCritical.join(', ');
  return {
    failure: 'unsupported-algorithm',
    message: `'${certificate.subject.text}' has unknown critical extension ${extensions}`,
  };
}

/**
 * RFC 5280 section 4.2.1.9: an issuer must say cA TRUE in basicConstraints, and its
 * pathLenConstraint caps how many CA certificates may stand between it and the leaf.
 * Section 4.2.1.3: if it has a keyUsage, that must include keyCertSign.
 */
function checkIssuersAreCas(path: Certificate[]): Problem | null {
  for (let i = 1; i < path.length; i++) {
    const issuer = path[i]!;
    const name = issuer.subject.text;
    const constraints = issuer.extensions.basicConstraints;
    if (constraints === null || !constraints.cA) {
      return { failure: 'not-a-ca', message: `'${name}' issued a certificate but is not a CA` };
    }
    const casBelow = i - 1;
    if (constraints.pathLenConstraint !== null && casBelow > constraints.pathLenConstraint) {
      return {
        failure: 'path-length',
        message:
          `'${name}' allows ${constraints.pathLenConstraint} CA certificates below it, ` +
          `the path has ${casBelow}`,
      };
    }
    const usage = issuer.extensions.keyUsage;
    if (usage !== null && !usage.includes('keyCertSign')) {
      return {
        failure: 'bad-key-usage',
        message: `'${name}' may not sign certificates (keyUsage)`,
      };
    }
  }
  return null;
}

/** The leaf's key signs the TLS 1.3 handshake: digitalSignature, and serverAuth if EKU is there. */
function checkLeafMayServeTls(path: Certificate[]): Problem | null {
  const leaf = path[0]!;
  const { keyUsage, extKeyUsage } = leaf.extensions;
  if (keyUsage !== null && !keyUsage.includes('digitalSignature')) {
    return {
      failure: 'bad-key-usage',
      message: `'${leaf.subject.text}' may not sign (keyUsage: ${keyUsage.join(', ')})`,
    };
  }
  const serverUsages = [OID_KP_SERVER_AUTH, OID_ANY_EXTENDED_KEY_USAGE];
  if (extKeyUsage !== null && !extKeyUsage.some((usage) => serverUsages.includes(usage))) {
    return {
      failure: 'bad-key-usage',
      message: `'${leaf.subject.text}' is not for TLS servers (extKeyUsage lacks serverAuth)`,
    };
  }
  return null;
}

// #region exercise:validity-dates
function checkValidityPeriods(path: Certificate[], { now }: ValidationOptions): Problem | null {
  const today = `now is ${formatUnixSeconds(now)}`;
  for (const certificate of path) {
    const name = certificate.subject.text;
    if (now > certificate.notAfter) {
      return {
        failure: 'expired',
        message:
          `'${name}' expired at ${formatUnixSeconds(certificate.notAfter)} (notAfter); ` + today,
      };
    }
    if (now < certificate.notBefore) {
      return {
        failure: 'not-yet-valid',
        message:
          `'${name}' is valid only from ${formatUnixSeconds(certificate.notBefore)} (notBefore); ` +
          today,
      };
    }
  }
  return null;
}
// #endregion exercise:validity-dates

function checkHostname(path: Certificate[], { serverName }: ValidationOptions): Problem | null {
  const leaf = path[0]!;
  if (matchesHostname(leaf, serverName)) return null;
  const names = leaf.extensions.subjectAltName;
  const listed =
    names === null ? [] : [...names.dnsNames, ...names.ipAddresses.map(formatIpAddress)];
  const description = listed.length === 0 ? 'no host names' : listed.join(', ');
  return {
    failure: 'hostname-mismatch',
    message: `the certificate is for ${description}, not '${serverName}'`,
  };
}
