// Does a certificate belong to the server we meant to reach? RFC 6125 section 6.4, as browsers
// apply it today: only the subjectAltName counts (the subject's CN is ignored, RFC 6125 section
// 6.4.4 permits that and the CA/Browser Forum requires names in the SAN); host names compare
// case-insensitively and without a trailing dot; an IP address matches only an iPAddress name.
//
// A wildcard '*' may only be the whole left-most label ('*.example.com', never 'w*.example.com'
// or 'www.*.com'), stands for exactly one label, and must leave at least two labels that are not
// a public suffix: '*.com' and '*.co.uk' would vouch for other people's domains. Without the
// Public Suffix List, a small rule spots the common two-label suffixes: a generic second-level
// label ('co', 'com', 'org', ...) under a two-letter country code.

import { bytesEqual } from './bytes.ts';
import { parseIpAddress } from './ip-address.ts';
import type { Certificate } from './x509.ts';

const PUBLIC_SECOND_LEVEL_LABELS = new Set([
  'ac',
  'co',
  'com',
  'edu',
  'go',
  'gov',
  'ne',
  'net',
  'or',
  'org',
]);

export function matchesHostname(certificate: Certificate, serverName: string): boolean {
  const names = certificate.extensions.subjectAltName;
  const name = canonicalName(serverName);
  if (names === null || name === '' || name.includes('*')) return false;
  const address = parseIpAddress(name.replace(/^\[(.*)\]$/, '$1'));
  if (address !== null)
    return names.ipAddresses.some((candidate) => bytesEqual(candidate, address));
  return names.dnsNames.some((pattern) => matchesPattern(canonicalName(pattern), name));
}

function canonicalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

// #region exercise:hostname-wildcard
function matchesPattern(pattern: string, name: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === name;
  const base = pattern.slice(2);
  const firstDot = name.indexOf('.');
  return wildcardMayCover(base) && firstDot > 0 && name.slice(firstDot + 1) === base;
}
// #endregion exercise:hostname-wildcard

function wildcardMayCover(base: string): boolean {
  const labels = base.split('.');
  if (labels.length < 2 || labels.some((label) => label === '' || label.includes('*')))
    return false;
  const [secondLevel, topLevel] = labels as [string, string];
  const isCountrySuffix = labels.length === 2 && topLevel.length === 2;
  return !(isCountrySuffix && PUBLIC_SECOND_LEVEL_LABELS.has(secondLevel));
}
