import { describe, expect, it } from 'vitest';
import { matchesHostname } from '../../../../src/kernel/net/pki/hostname.ts';
import { formatIpAddress, parseIpAddress } from '../../../../src/kernel/net/pki/ip-address.ts';
import { parseCertificate } from '../../../../src/kernel/net/pki/x509.ts';
import { buildCertificate, newP256Key, sanExtension } from './certificate-builder.ts';

const key = newP256Key();

function certificateFor(dnsNames: string[], ipAddresses: number[][] = []) {
  const extensions =
    dnsNames.length + ipAddresses.length === 0 ? [] : [sanExtension(dnsNames, ipAddresses)];
  return parseCertificate(
    buildCertificate({
      subject: dnsNames[0] ?? 'no-san.test',
      issuer: 'CA',
      subjectKey: key,
      issuerKey: key,
      extensions,
    }),
  );
}

const LOOPBACK_V6 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

const TABLE: [names: string[], serverName: string, matches: boolean][] = [
  [['example.com'], 'example.com', true],
  [['example.com'], 'EXAMPLE.Com', true],
  [['Example.COM'], 'example.com', true],
  [['example.com'], 'example.com.', true],
  [['example.com.'], 'example.com', true],
  [['example.com'], 'www.example.com', false],
  [['www.example.com'], 'example.com', false],
  [['example.com'], 'example.co', false],
  [['*.cotton.test'], 'www.cotton.test', true],
  [['*.cotton.test'], 'WWW.Cotton.Test.', true],
  [['*.cotton.test'], 'cotton.test', false],
  [['*.cotton.test'], 'a.b.cotton.test', false],
  [['*.cotton.test'], '.cotton.test', false],
  [['*.example.com'], 'xn--bcher-kva.example.com', true],
  [['w*.example.com'], 'www.example.com', false],
  [['*w.example.com'], 'www.example.com', false],
  [['www.*.com'], 'www.example.com', false],
  [['*.*.example.com'], 'a.b.example.com', false],
  [['**.example.com'], 'www.example.com', false],
  [['*'], 'localhost', false],
  [['*.com'], 'example.com', false],
  [['*.co.uk'], 'example.co.uk', false],
  [['*.com.au'], 'example.com.au', false],
  [['*.example.co.uk'], 'www.example.co.uk', true],
  [['*.cotton.uk'], 'www.cotton.uk', true],
  [['*.example.com'], '*.example.com', false],
  [['example.com', 'www.example.com'], 'www.example.com', true],
  [[], 'no-san.test', false],
  [['127.0.0.1'], '127.0.0.1', false],
  [['*.0.0.1'], '127.0.0.1', false],
  [['localhost'], '', false],
];

describe('matchesHostname (RFC 6125)', () => {
  it.each(TABLE)('SAN %j for %j: %s', (names, serverName, expected) => {
    expect(matchesHostname(certificateFor(names), serverName)).toBe(expected);
  });

  it('matches IP addresses only against iPAddress names', () => {
    const certificate = certificateFor(['localhost'], [[127, 0, 0, 1], LOOPBACK_V6]);
    expect(matchesHostname(certificate, '127.0.0.1')).toBe(true);
    expect(matchesHostname(certificate, '::1')).toBe(true);
    expect(matchesHostname(certificate, '[::1]')).toBe(true);
    expect(matchesHostname(certificate, '0:0:0:0:0:0:0:1')).toBe(true);
    expect(matchesHostname(certificate, '127.0.0.2')).toBe(false);
    expect(matchesHostname(certificate, '::2')).toBe(false);
    expect(matchesHostname(certificateFor(['a.test'], [[10, 0, 2, 2]]), '10.0.2.2')).toBe(true);
  });

  it('ignores the subject common name', () => {
    const onlyCommonName = certificateFor([]);
    expect(onlyCommonName.subject.text).toBe('CN=no-san.test');
    expect(matchesHostname(onlyCommonName, 'no-san.test')).toBe(false);
  });
});

describe('IP address text', () => {
  it.each([
    ['0.0.0.0', [0, 0, 0, 0]],
    ['192.0.2.255', [192, 0, 2, 255]],
    ['::', new Array<number>(16).fill(0)],
    ['::1', LOOPBACK_V6],
    [
      '2001:db8::8:800:200c:417a',
      [0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41, 0x7a],
    ],
    ['fe80::', [0xfe, 0x80, ...new Array<number>(14).fill(0)]],
    ['::ffff:192.0.2.1', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]],
    ['1:2:3:4:5:6:7:8', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
  ])('parses %s', (text, expected) => {
    expect(parseIpAddress(text)).toEqual(Uint8Array.from(expected));
  });

  it.each([
    '256.0.0.1',
    '1.2.3',
    '01.2.3.4',
    '1.2.3.4.5',
    'example.com',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7::8',
    '12345::',
    '1.2.3.4::',
    '::g',
    '',
  ])('refuses %j', (text) => {
    expect(parseIpAddress(text)).toBeNull();
  });

  it('prints addresses as OpenSSL does', () => {
    expect(formatIpAddress(Uint8Array.of(10, 0, 2, 15))).toBe('10.0.2.15');
    expect(formatIpAddress(Uint8Array.from(LOOPBACK_V6))).toBe('0:0:0:0:0:0:0:1');
  });
});
