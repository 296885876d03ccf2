// Test helper: a tiny DER writer and X.509 certificate builder, signed with node:crypto, for the
// odd certificates no CA tool will make (version 1 with extensions, unknown critical extensions,
// loops of cross-issued CAs). Also loads the committed fixtures of test/fixtures/pki.

import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePem } from '../../../../src/kernel/net/pki/pem.ts';
import { type Certificate, parseCertificate } from '../../../../src/kernel/net/pki/x509.ts';

export const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'pki');
/** 2026-01-01T00:00:00Z: inside every fixture's window but the expired and not-yet-valid ones. */
export const NOW = 1_767_225_600;

export function fixtureChain(host: string): Uint8Array[] {
  return parsePem(readFileSync(join(FIXTURES, `${host}.chain.pem`), 'utf8'));
}

export function fixtureCertificate(name: string): Certificate {
  return parseCertificate(parsePem(readFileSync(join(FIXTURES, `${name}.pem`), 'utf8'))[0]!);
}

export function fixtureKey(name: string): KeyObject {
  return createPrivateKey(readFileSync(join(FIXTURES, `${name}.key.pem`), 'utf8'));
}

// --- DER writer ---

function length(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const content = Buffer.concat(contents);
  return Uint8Array.from([tag, ...length(content.length), ...content]);
}

export const seq = (...items: Uint8Array[]) => tlv(0x30, ...items);
export const set = (...items: Uint8Array[]) => tlv(0x31, ...items);
export const octets = (bytes: Uint8Array | number[]) => tlv(0x04, Uint8Array.from(bytes));
export const bool = (value: boolean) => tlv(0x01, Uint8Array.of(value ? 0xff : 0));
export const utf8 = (text: string) => tlv(0x0c, new TextEncoder().encode(text));
export const bitString = (bytes: Uint8Array) => tlv(0x03, Uint8Array.of(0), bytes);
export const explicit = (n: number, item: Uint8Array) => tlv(0xa0 | n, item);

export function integer(value: bigint | number): Uint8Array {
  let hex = BigInt(value).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return tlv(0x02, Buffer.from(hex, 'hex'));
}

export function oid(dotted: string): Uint8Array {
  const [first, second, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128))
      groups.unshift(0x80 | (n & 0x7f));
    bytes.push(...groups);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

export function utcTime(text: string): Uint8Array {
  return tlv(0x17, new TextEncoder().encode(text));
}

export function generalizedTime(text: string): Uint8Array {
  return tlv(0x18, new TextEncoder().encode(text));
}

// --- Certificates ---

export function name(commonName: string): Uint8Array {
  return seq(set(seq(oid('2.5.4.3'), utf8(commonName))));
}

export function extension(extensionOid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return seq(oid(extensionOid), ...(critical ? [bool(true)] : []), octets(value));
}

export const caExtension = (pathLength?: number) =>
  extension(
    '2.5.29.19',
    true,
    seq(bool(true), ...(pathLength === undefined ? [] : [integer(pathLength)])),
  );

export function sanExtension(dnsNames: string[], ipAddresses: number[][] = []): Uint8Array {
  const names = [
    ...dnsNames.map((n) => tlv(0x82, new TextEncoder().encode(n))),
    ...ipAddresses.map((a) => tlv(0x87, Uint8Array.from(a))),
  ];
  return extension('2.5.29.17', false, seq(...names));
}

/** keyUsage with the given bit numbers set (0 digitalSignature ... 5 keyCertSign). */
export function keyUsageExtension(bits: number[]): Uint8Array {
  const value = bits.reduce((v, bit) => v | (0x80 >> bit), 0);
  return extension('2.5.29.15', true, tlv(0x03, Uint8Array.of(0, value)));
}

export interface TestKey {
  privateKey: KeyObject;
  spki: Uint8Array;
}

export function newP256Key(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, spki: publicKey.export({ type: 'spki', format: 'der' }) };
}

export interface CertificateSpec {
  subject: string;
  issuer: string;
  subjectKey: TestKey;
  issuerKey: TestKey;
  extensions?: Uint8Array[];
  version?: number | null;
  serial?: bigint;
  notBefore?: Uint8Array;
  notAfter?: Uint8Array;
}

const ECDSA_WITH_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

export function buildCertificate(spec: CertificateSpec): Uint8Array {
  const version = spec.version === undefined ? 2 : spec.version;
  const extensions = spec.extensions ?? [];
  const tbs = seq(
    ...(version === null ? [] : [explicit(0, integer(version))]),
    integer(spec.serial ?? 1n),
    ECDSA_WITH_SHA256,
    name(spec.issuer),
    seq(spec.notBefore ?? utcTime('250101000000Z'), spec.notAfter ?? utcTime('350101000000Z')),
    name(spec.subject),
    spec.subjectKey.spki,
    ...(extensions.length === 0 ? [] : [tlv(0xa3, seq(...extensions))]),
  );
  const signature = sign('sha256', tbs, spec.issuerKey.privateKey);
  return seq(tbs, ECDSA_WITH_SHA256, bitString(signature));
}
