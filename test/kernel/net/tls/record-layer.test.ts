import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { TlsError } from '../../../../src/kernel/net/tls/alert.ts';
import {
  CIPHER_SUITES,
  findCipherSuite,
  TLS_AES_128_GCM_SHA256,
} from '../../../../src/kernel/net/tls/cipher-suites.ts';
import { computeTrafficKeys } from '../../../../src/kernel/net/tls/key-schedule.ts';
import {
  MAX_CIPHERTEXT_LENGTH,
  MAX_PLAINTEXT_LENGTH,
  RecordLayer,
} from '../../../../src/kernel/net/tls/record-layer.ts';
import { RFC8448 } from './support/rfc8448-trace.ts';
import { hex, toHex } from './support/seeded-random.ts';
import { gcm } from '@noble/ciphers/aes.js';

const AES128 = findCipherSuite(TLS_AES_128_GCM_SHA256)!;

function expectTlsError(action: () => unknown, alert: string): TlsError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(TlsError);
    expect((error as TlsError).alert).toBe(alert);
    return error as TlsError;
  }
  throw new Error(`expected a TlsError ${alert}`);
}

describe('record layer against RFC 8448 section 3', () => {
  it('protects the client Finished exactly as the trace (inner type 22, sequence 0)', () => {
    const layer = new RecordLayer();
    layer.setWriteSecret(AES128, hex(RFC8448.clientHandshakeTrafficSecret));
    expect(toHex(layer.encode(22, hex(RFC8448.clientFinished)))).toBe(RFC8448.clientFinishedRecord);
  });

  it('protects application data 00..31 exactly as the trace', () => {
    const layer = new RecordLayer();
    layer.setWriteSecret(AES128, hex(RFC8448.clientApplicationTrafficSecret));
    const data = Uint8Array.from({ length: 50 }, (_, i) => i);
    expect(toHex(layer.encode(23, data))).toBe(RFC8448.clientApplicationDataRecord);
  });

  it('opens the server ticket and then application data (sequence numbers 0 and 1)', () => {
    const layer = new RecordLayer();
    layer.setReadSecret(AES128, hex(RFC8448.serverApplicationTrafficSecret));
    layer.receive(hex(RFC8448.newSessionTicketRecord + RFC8448.serverApplicationDataRecord));
    const ticket = layer.nextRecord()!;
    expect(ticket.contentType).toBe(22);
    expect(ticket.wasProtected).toBe(true);
    expect(toHex(ticket.content)).toBe(RFC8448.newSessionTicket);
    const data = layer.nextRecord()!;
    expect(data.contentType).toBe(23);
    expect(Array.from(data.content)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(layer.nextRecord()).toBeUndefined();
  });

  it('reassembles records fed one byte at a time', () => {
    const layer = new RecordLayer();
    layer.setReadSecret(AES128, hex(RFC8448.serverApplicationTrafficSecret));
    const bytes = hex(RFC8448.newSessionTicketRecord);
    for (let i = 0; i < bytes.length - 1; i++) {
      layer.receive(bytes.subarray(i, i + 1));
      expect(layer.nextRecord()).toBeUndefined();
    }
    layer.receive(bytes.subarray(bytes.length - 1));
    expect(toHex(layer.nextRecord()!.content)).toBe(RFC8448.newSessionTicket);
  });

  it('rejects a record with one flipped bit, header included, as bad_record_mac', () => {
    const record = hex(RFC8448.newSessionTicketRecord);
    for (const index of [1, 2, 5, 100, record.length - 1]) {
      const layer = new RecordLayer();
      layer.setReadSecret(AES128, hex(RFC8448.serverApplicationTrafficSecret));
      const altered = record.slice();
      altered[index]! ^= 0x01;
      layer.receive(altered);
      expectTlsError(() => layer.nextRecord(), 'bad_record_mac');
    }
  });
});

describe('record layer framing and limits', () => {
  function keyedPair(suiteIndex: number): { writer: RecordLayer; reader: RecordLayer } {
    const suite = CIPHER_SUITES[suiteIndex]!;
    const secret = new Uint8Array(suite.hash.outputLen).fill(9);
    const writer = new RecordLayer();
    const reader = new RecordLayer();
    writer.setWriteSecret(suite, secret);
    reader.setReadSecret(suite, secret);
    return { writer, reader };
  }

  it.each([0, 1, 2])('round-trips content and hides its type (suite %i)', (index) => {
    const { writer, reader } = keyedPair(index);
    const record = writer.encode(21, Uint8Array.of(1, 0));
    expect(record[0]).toBe(23);
    reader.receive(record);
    expect(reader.nextRecord()).toEqual({
      contentType: 21,
      content: Uint8Array.of(1, 0),
      wasProtected: true,
    });
  });

  it('cuts content longer than 2^14 into records of at most 2^14', () => {
    const { writer, reader } = keyedPair(0);
    const data = new Uint8Array(MAX_PLAINTEXT_LENGTH * 2 + 5).map((_, i) => i & 0xff);
    reader.receive(writer.encode(23, data));
    const parts = [reader.nextRecord()!, reader.nextRecord()!, reader.nextRecord()!];
    expect(parts.map((p) => p.content.length)).toEqual([
      MAX_PLAINTEXT_LENGTH,
      MAX_PLAINTEXT_LENGTH,
      5,
    ]);
    expect(reader.nextRecord()).toBeUndefined();
  });

  /** A record sealed by hand, to control the inner plaintext (padding, size). */
  function sealRaw(innerPlaintext: Uint8Array): Uint8Array {
    const secret = new Uint8Array(32).fill(9);
    const { key, iv } = computeTrafficKeys(sha256, secret, 16);
    const length = innerPlaintext.length + 16;
    const header = Uint8Array.of(23, 3, 3, length >> 8, length & 0xff);
    return new Uint8Array([...header, ...gcm(key, iv, header).encrypt(innerPlaintext)]);
  }

  it('strips zero padding after the content type', () => {
    const { reader } = keyedPair(0);
    reader.receive(sealRaw(Uint8Array.of(0x41, 0x42, 23, 0, 0, 0, 0, 0)));
    expect(reader.nextRecord()).toEqual({
      contentType: 23,
      content: Uint8Array.of(0x41, 0x42),
      wasProtected: true,
    });
  });

  it('rejects an inner plaintext of only padding as unexpected_message', () => {
    const { reader } = keyedPair(0);
    reader.receive(sealRaw(new Uint8Array(10)));
    expectTlsError(() => reader.nextRecord(), 'unexpected_message');
  });

  it('rejects a decrypted record over 2^14 + 1 bytes as record_overflow', () => {
    const { reader } = keyedPair(0);
    const inner = new Uint8Array(MAX_PLAINTEXT_LENGTH + 2).fill(0x41);
    inner[inner.length - 1] = 23;
    reader.receive(sealRaw(inner));
    expectTlsError(() => reader.nextRecord(), 'record_overflow');
  });

  it('rejects a header announcing more than 2^14 + 256 bytes at once', () => {
    const layer = new RecordLayer();
    const length = MAX_CIPHERTEXT_LENGTH + 1;
    layer.receive(Uint8Array.of(23, 3, 3, length >> 8, length & 0xff));
    expectTlsError(() => layer.nextRecord(), 'record_overflow');
  });

  it('rejects a plaintext record over 2^14 bytes', () => {
    const layer = new RecordLayer();
    const length = MAX_PLAINTEXT_LENGTH + 1;
    layer.receive(
      new Uint8Array([22, 3, 3, length >> 8, length & 0xff, ...new Uint8Array(length)]),
    );
    expectTlsError(() => layer.nextRecord(), 'record_overflow');
  });

  it('refuses a plaintext handshake record once reading is encrypted', () => {
    const { reader } = keyedPair(0);
    reader.receive(Uint8Array.of(22, 3, 3, 0, 1, 0));
    expectTlsError(() => reader.nextRecord(), 'unexpected_message');
  });

  it('uses iv XOR sequence number: the same content twice gives different records', () => {
    const { writer, reader } = keyedPair(2);
    const first = writer.encode(23, Uint8Array.of(7));
    const second = writer.encode(23, Uint8Array.of(7));
    expect(toHex(first)).not.toBe(toHex(second));
    reader.receive(second);
    expectTlsError(() => reader.nextRecord(), 'bad_record_mac');
  });
});
