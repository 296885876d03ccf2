import { describe, expect, it } from 'vitest';
import { TlsError } from '../../../../src/kernel/net/tls/alert.ts';
import {
  encodeClientHello,
  HandshakeReassembler,
  HELLO_RETRY_REQUEST_RANDOM,
  MAX_HANDSHAKE_MESSAGE_LENGTH,
  parseCertificate,
  parseCertificateRequest,
  parseCertificateVerify,
  parseEncryptedExtensions,
  parseKeyUpdate,
  parseNewSessionTicket,
  parseServerHello,
  parseServerKeyShare,
  serverCertificateVerifyContent,
} from '../../../../src/kernel/net/tls/handshake-messages.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { RFC8448 } from './support/rfc8448-trace.ts';
import { hex, toHex } from './support/seeded-random.ts';

const body = (message: string) => hex(message).subarray(4);

function alertOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof TlsError) return error.alert;
    throw error;
  }
  return 'none';
}

describe('parsers of the server messages (RFC 8448 section 3 messages)', () => {
  const parsers: [string, (b: Uint8Array) => unknown, Uint8Array][] = [
    ['ServerHello', parseServerHello, body(RFC8448.serverHello)],
    ['EncryptedExtensions', parseEncryptedExtensions, body(RFC8448.encryptedExtensions)],
    ['Certificate', parseCertificate, body(RFC8448.certificate)],
    ['CertificateVerify', parseCertificateVerify, body(RFC8448.certificateVerify)],
    ['NewSessionTicket', parseNewSessionTicket, body(RFC8448.newSessionTicket)],
  ];

  it('reads the trace messages', () => {
    const hello = parseServerHello(body(RFC8448.serverHello));
    expect(hello.cipherSuite).toBe(0x1301);
    expect(hello.isHelloRetryRequest).toBe(false);
    const share = parseServerKeyShare(hello.extensions.get(51)!);
    expect([share.group, toHex(share.keyExchange)]).toEqual([0x1d, RFC8448.serverPublicKey]);
    expect([...parseEncryptedExtensions(body(RFC8448.encryptedExtensions)).keys()]).toEqual([
      10, 28, 0,
    ]);
    const certificate = parseCertificate(body(RFC8448.certificate));
    expect(certificate.certificates.map((c) => c.length)).toEqual([432]);
    expect(parseCertificateVerify(body(RFC8448.certificateVerify)).scheme).toBe(0x0804);
    expect(parseNewSessionTicket(body(RFC8448.newSessionTicket)).lifetimeSeconds).toBe(30);
  });

  it.each(parsers)('%s: every truncation is a decode_error', (_name, parse, bytes) => {
    for (let length = 0; length < bytes.length; length++) {
      const truncated = bytes.slice(0, length);
      const alert = alertOf(() => parse(truncated));
      // A ServerHello cut right after its compression method reads as TLS 1.2 style.
      if (alert === 'none') expect(_name).toBe('ServerHello');
      else expect(alert).toBe('decode_error');
    }
  });

  it.each(parsers)('%s: a trailing byte is a decode_error', (_name, parse, bytes) => {
    expect(alertOf(() => parse(new Uint8Array([...bytes, 0])))).toBe('decode_error');
  });

  it('refuses a repeated extension with illegal_parameter', () => {
    const twice = Uint8Array.of(0, 8, 0, 0, 0, 0, 0, 0, 0, 0);
    expect(alertOf(() => parseEncryptedExtensions(twice))).toBe('illegal_parameter');
  });

  it('recognises a HelloRetryRequest by its random, SHA-256 of "HelloRetryRequest"', () => {
    expect(toHex(HELLO_RETRY_REQUEST_RANDOM)).toBe(
      toHex(sha256(new TextEncoder().encode('HelloRetryRequest'))),
    );
    const hrr = body(RFC8448.serverHello).slice();
    hrr.set(HELLO_RETRY_REQUEST_RANDOM, 2);
    expect(parseServerHello(hrr).isHelloRetryRequest).toBe(true);
  });

  it('reads a TLS 1.2 ServerHello without extensions', () => {
    const tls12 = Uint8Array.from([3, 3, ...new Uint8Array(32), 0, 0xc0, 0x2f, 0]);
    const hello = parseServerHello(tls12);
    expect([hello.legacyVersion, hello.extensions.size]).toEqual([0x0303, 0]);
  });

  it('refuses an empty certificate and a CertificateRequest without signature_algorithms', () => {
    const emptyCertData = Uint8Array.of(0, 0, 0, 5, 0, 0, 0, 0, 0);
    expect(alertOf(() => parseCertificate(emptyCertData))).toBe('decode_error');
    expect(alertOf(() => parseCertificateRequest(Uint8Array.of(0, 0, 0)))).toBe(
      'missing_extension',
    );
  });

  it('refuses a ticket lifetime over 7 days and a KeyUpdate value of 2', () => {
    const ticket = body(RFC8448.newSessionTicket).slice();
    ticket.set([0x00, 0x09, 0x3a, 0x81], 0); // 604801 seconds
    expect(alertOf(() => parseNewSessionTicket(ticket))).toBe('illegal_parameter');
    expect(parseKeyUpdate(Uint8Array.of(1))).toBe(true);
    expect(alertOf(() => parseKeyUpdate(Uint8Array.of(2)))).toBe('illegal_parameter');
  });
});

describe('HandshakeReassembler', () => {
  it('rebuilds messages split across fragments and several in one fragment', () => {
    const stream = hex(RFC8448.encryptedExtensions + RFC8448.serverFinished);
    const reassembler = new HandshakeReassembler();
    reassembler.push(stream.subarray(0, 3));
    expect(reassembler.next()).toBeUndefined();
    reassembler.push(stream.subarray(3));
    expect(toHex(reassembler.next()!.raw)).toBe(RFC8448.encryptedExtensions);
    const finished = reassembler.next()!;
    expect([finished.type, toHex(finished.body)]).toEqual([20, RFC8448.serverFinishedVerifyData]);
    expect(reassembler.isEmpty).toBe(true);
  });

  it('refuses a length over its limit as soon as the header arrives', () => {
    const reassembler = new HandshakeReassembler();
    const length = MAX_HANDSHAKE_MESSAGE_LENGTH + 1;
    reassembler.push(Uint8Array.of(11, length >> 16, (length >> 8) & 0xff, length & 0xff));
    expect(alertOf(() => reassembler.next())).toBe('decode_error');
  });
});

describe('ClientHello and CertificateVerify content', () => {
  it('encodes the fields in RFC 8446 order', () => {
    const hello = encodeClientHello({
      random: new Uint8Array(32).fill(0xaa),
      legacySessionId: new Uint8Array(0),
      cipherSuites: [0x1301],
      serverName: 'a.b',
      supportedGroups: [0x1d],
      keyShares: [{ group: 0x1d, publicKey: new Uint8Array(32).fill(1) }],
      signatureAlgorithms: [0x0403],
      signatureAlgorithmsCert: [0x0403],
      cookie: Uint8Array.of(5),
    });
    const expected =
      `0303${'aa'.repeat(32)}00000213010100` +
      '005c' +
      '000000080006000003612e62' +
      '002b0003020304' +
      '000a00040002001d' +
      `003300260024001d0020${'01'.repeat(32)}` +
      '000d000400020403' +
      '003200040002' +
      '0403' +
      '002c0003000105';
    expect(toHex(hello)).toBe(`01${(hello.length - 4).toString(16).padStart(6, '0')}${expected}`);
  });

  it('signs 64 spaces, the context string, a zero byte and the transcript hash', () => {
    const content = serverCertificateVerifyContent(Uint8Array.of(1, 2));
    const context = toHex(new TextEncoder().encode('TLS 1.3, server CertificateVerify'));
    expect(toHex(content)).toBe(`${'20'.repeat(64)}${context}000102`);
  });
});
