// A minimal scripted TLS 1.3 server for tests: it answers the client's ClientHello with a
// configurable flight (suite, group, HelloRetryRequest, cookie, CertificateRequest, a
// compatibility change_cipher_spec, record sizes) and lets a test alter any message before it is
// sent, so that misbehaving servers can be played byte for byte. It parses the ClientHello with
// its own code; for the crypto it reuses the client's key schedule and record layer, which are
// checked on their own against RFC 8448 and against OpenSSL.

import type { TestIdentity } from './test-identities.ts';
import {
  findCipherSuite,
  type CipherSuite,
} from '../../../../../src/kernel/net/tls/cipher-suites.ts';
import {
  encodeHandshake,
  HandshakeReassembler,
  HELLO_RETRY_REQUEST_RANDOM,
  serverCertificateVerifyContent,
} from '../../../../../src/kernel/net/tls/handshake-messages.ts';
import { createKeyShare, type KeyShare } from '../../../../../src/kernel/net/tls/key-exchange.ts';
import {
  computeEarlySecret,
  computeFinishedVerifyData,
  computeHandshakeSecret,
  computeMasterSecret,
  computeNextTrafficSecret,
  deriveSecret,
} from '../../../../../src/kernel/net/tls/key-schedule.ts';
import {
  concatBytes,
  u16,
  u24,
  u8,
  vector16,
  vector24,
  vector8,
} from '../../../../../src/kernel/net/tls/presentation-language.ts';
import { RecordLayer } from '../../../../../src/kernel/net/tls/record-layer.ts';
import { Transcript } from '../../../../../src/kernel/net/tls/transcript.ts';

export const HS_CLIENT_HELLO = 1;
export const HS_SERVER_HELLO = 2;
export const HS_NEW_SESSION_TICKET = 4;
export const HS_ENCRYPTED_EXTENSIONS = 8;
export const HS_CERTIFICATE = 11;
export const HS_CERTIFICATE_REQUEST = 13;
export const HS_CERTIFICATE_VERIFY = 15;
export const HS_FINISHED = 20;
export const HS_KEY_UPDATE = 24;

const CT_CCS = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APPLICATION_DATA = 23;

export interface ScriptedServerOptions {
  suite: number;
  group: number;
  identity: Pick<TestIdentity, 'certificateDer' | 'sign'>;
  random: (length: number) => Uint8Array;
  /** Reused instead of a fresh key share (keeps fuzzing fast). */
  keyShare?: KeyShare;
  helloRetryCookie?: Uint8Array;
  certificateRequest?: boolean;
  changeCipherSpec?: boolean;
  /** Cut the encrypted handshake flight into records of this many bytes. */
  recordSize?: number;
  /** Alter a handshake message body before it is sent (it enters the server transcript as sent). */
  editMessage?: (type: number, body: Uint8Array) => Uint8Array;
}

export class ScriptedServer {
  readonly applicationData: Uint8Array[] = [];
  readonly alertsReceived: number[] = [];
  readonly handshakeTypesReceived: number[] = [];
  clientFinishedVerified = false;

  private readonly records = new RecordLayer();
  private readonly messages = new HandshakeReassembler();
  private readonly transcript = new Transcript();
  private suite: CipherSuite;
  private helloRetried = false;
  private clientHandshakeSecret: Uint8Array | undefined;
  private clientApplicationSecret: Uint8Array | undefined;
  private serverApplicationSecret: Uint8Array | undefined;

  constructor(private readonly options: ScriptedServerOptions) {
    this.suite = findCipherSuite(options.suite)!;
  }

  /** Bytes from the client; returns the bytes the server sends back. */
  receive(bytes: Uint8Array): Uint8Array {
    const out: Uint8Array[] = [];
    this.records.receive(bytes);
    for (let record = this.records.nextRecord(); record; record = this.records.nextRecord()) {
      if (record.contentType === CT_HANDSHAKE) {
        this.messages.push(record.content);
        for (let m = this.messages.next(); m; m = this.messages.next()) {
          this.handshakeTypesReceived.push(m.type);
          out.push(this.handleMessage(m.type, m.body, m.raw));
        }
      } else if (record.contentType === CT_APPLICATION_DATA) {
        this.applicationData.push(record.content);
      } else if (record.contentType === CT_ALERT) {
        this.alertsReceived.push(record.content[1]!);
      }
    }
    return concatBytes(...out);
  }

  applicationRecord(data: Uint8Array): Uint8Array {
    return this.records.encode(CT_APPLICATION_DATA, data);
  }

  alertRecord(level: number, description: number): Uint8Array {
    return this.records.encode(CT_ALERT, Uint8Array.of(level, description));
  }

  handshakeRecord(type: number, body: Uint8Array): Uint8Array {
    return this.records.encode(CT_HANDSHAKE, encodeHandshake(type, body));
  }

  newSessionTicketRecord(): Uint8Array {
    const body = concatBytes(
      Uint8Array.of(0, 0, 0x1c, 0x20), // lifetime 7200 s
      Uint8Array.of(1, 2, 3, 4), // age add
      vector8(Uint8Array.of(0)),
      vector16(this.options.random(64)),
      vector16(new Uint8Array(0)),
    );
    return this.handshakeRecord(HS_NEW_SESSION_TICKET, body);
  }

  /** A KeyUpdate under the current keys, then the server's write keys move on. */
  keyUpdateRecord(requested: boolean): Uint8Array {
    const record = this.handshakeRecord(HS_KEY_UPDATE, u8(requested ? 1 : 0));
    this.serverApplicationSecret = computeNextTrafficSecret(
      this.suite.hash,
      this.serverApplicationSecret!,
    );
    this.records.setWriteSecret(this.suite, this.serverApplicationSecret);
    return record;
  }

  private handleMessage(type: number, body: Uint8Array, raw: Uint8Array): Uint8Array {
    if (type === HS_CLIENT_HELLO) return this.handleClientHello(body, raw);
    if (type === HS_CERTIFICATE) {
      this.transcript.add(raw);
      return new Uint8Array(0);
    }
    if (type === HS_FINISHED) {
      const expected = computeFinishedVerifyData(
        this.suite.hash,
        this.clientHandshakeSecret!,
        this.transcript.hash(this.suite.hash),
      );
      this.clientFinishedVerified = Buffer.from(expected).equals(Buffer.from(body));
      this.records.setReadSecret(this.suite, this.clientApplicationSecret!);
      return new Uint8Array(0);
    }
    if (type === HS_KEY_UPDATE) {
      this.clientApplicationSecret = computeNextTrafficSecret(
        this.suite.hash,
        this.clientApplicationSecret!,
      );
      this.records.setReadSecret(this.suite, this.clientApplicationSecret);
      return body[0] === 1 ? this.keyUpdateRecord(false) : new Uint8Array(0);
    }
    throw new Error(`scripted server: unexpected handshake message ${type}`);
  }

  private handleClientHello(body: Uint8Array, raw: Uint8Array): Uint8Array {
    const hello = parseClientHelloForTest(body);
    this.transcript.add(raw);
    const clientShare = hello.keyShares.get(this.options.group);
    if (clientShare === undefined) {
      if (this.helloRetried) throw new Error('scripted server: second ClientHello lacks the group');
      this.helloRetried = true;
      return this.helloRetryRequest(hello.sessionId);
    }
    const share = this.options.keyShare ?? createKeyShare(this.options.group, this.options.random);
    const sharedSecret = share.sharedSecret(clientShare);
    const serverHello = this.message(
      HS_SERVER_HELLO,
      concatBytes(
        u16(0x0303),
        this.options.random(32),
        vector8(hello.sessionId),
        u16(this.options.suite),
        u8(0),
        vector16(
          concatBytes(
            extension(43, u16(0x0304)),
            extension(51, concatBytes(u16(this.options.group), vector16(share.publicKey))),
          ),
        ),
      ),
    );
    const out = [this.records.encode(CT_HANDSHAKE, serverHello)];
    if (this.options.changeCipherSpec) out.push(this.records.encode(CT_CCS, u8(1)));
    out.push(this.encryptedFlight(sharedSecret, hello.extensions.has(0)));
    return concatBytes(...out);
  }

  private helloRetryRequest(sessionId: Uint8Array): Uint8Array {
    this.transcript.replaceWithMessageHash(this.suite.hash);
    const cookie = this.options.helloRetryCookie;
    const hrr = this.message(
      HS_SERVER_HELLO,
      concatBytes(
        u16(0x0303),
        HELLO_RETRY_REQUEST_RANDOM,
        vector8(sessionId),
        u16(this.options.suite),
        u8(0),
        vector16(
          concatBytes(
            extension(43, u16(0x0304)),
            extension(51, u16(this.options.group)),
            cookie ? extension(44, vector16(cookie)) : new Uint8Array(0),
          ),
        ),
      ),
    );
    return this.records.encode(CT_HANDSHAKE, hrr);
  }

  private encryptedFlight(sharedSecret: Uint8Array, echoServerName: boolean): Uint8Array {
    const hash = this.suite.hash;
    const handshakeSecret = computeHandshakeSecret(hash, computeEarlySecret(hash), sharedSecret);
    const helloHash = this.transcript.hash(hash);
    this.clientHandshakeSecret = deriveSecret(hash, handshakeSecret, 'c hs traffic', helloHash);
    const serverHandshakeSecret = deriveSecret(hash, handshakeSecret, 's hs traffic', helloHash);
    this.records.setWriteSecret(this.suite, serverHandshakeSecret);
    this.records.setReadSecret(this.suite, this.clientHandshakeSecret);

    const flight: Uint8Array[] = [];
    const eeExtensions = echoServerName ? extension(0, new Uint8Array(0)) : new Uint8Array(0);
    flight.push(this.message(HS_ENCRYPTED_EXTENSIONS, vector16(eeExtensions)));
    if (this.options.certificateRequest) {
      const signatureAlgorithms = extension(13, vector16(concatBytes(u16(0x0403), u16(0x0804))));
      flight.push(
        this.message(
          HS_CERTIFICATE_REQUEST,
          concatBytes(vector8(new Uint8Array(0)), vector16(signatureAlgorithms)),
        ),
      );
    }
    const entry = concatBytes(
      vector24(this.options.identity.certificateDer),
      vector16(new Uint8Array(0)),
    );
    flight.push(
      this.message(HS_CERTIFICATE, concatBytes(vector8(new Uint8Array(0)), vector24(entry))),
    );
    const signed = this.options.identity.sign(
      serverCertificateVerifyContent(this.transcript.hash(hash)),
    );
    flight.push(
      this.message(
        HS_CERTIFICATE_VERIFY,
        concatBytes(u16(signed.scheme), vector16(signed.signature)),
      ),
    );
    const verifyData = computeFinishedVerifyData(
      hash,
      serverHandshakeSecret,
      this.transcript.hash(hash),
    );
    flight.push(this.message(HS_FINISHED, verifyData));

    const master = computeMasterSecret(hash, handshakeSecret);
    const finishedHash = this.transcript.hash(hash);
    this.clientApplicationSecret = deriveSecret(hash, master, 'c ap traffic', finishedHash);
    this.serverApplicationSecret = deriveSecret(hash, master, 's ap traffic', finishedHash);
    const records = this.flightRecords(flight);
    this.records.setWriteSecret(this.suite, this.serverApplicationSecret);
    return records;
  }

  private flightRecords(flight: Uint8Array[]): Uint8Array {
    const size = this.options.recordSize;
    if (size === undefined) {
      return concatBytes(...flight.map((message) => this.records.encode(CT_HANDSHAKE, message)));
    }
    const stream = concatBytes(...flight);
    const out: Uint8Array[] = [];
    for (let offset = 0; offset < stream.length; offset += size) {
      out.push(this.records.encode(CT_HANDSHAKE, stream.subarray(offset, offset + size)));
    }
    return concatBytes(...out);
  }

  /** A handshake message as sent: edited if the test asks, and added to the transcript. */
  private message(type: number, body: Uint8Array): Uint8Array {
    const edited = this.options.editMessage ? this.options.editMessage(type, body) : body;
    const raw = concatBytes(u8(type), u24(edited.length), edited);
    this.transcript.add(raw);
    return raw;
  }
}

function extension(type: number, data: Uint8Array): Uint8Array {
  return concatBytes(u16(type), vector16(data));
}

interface ParsedClientHello {
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: number[];
  extensions: Map<number, Uint8Array>;
  keyShares: Map<number, Uint8Array>;
}

/** The test's own reading of a ClientHello (trusting its input: it comes from the client). */
export function parseClientHelloForTest(body: Uint8Array): ParsedClientHello {
  const view = Buffer.from(body);
  let at = 2;
  const random = body.slice(at, at + 32);
  at += 32;
  const sessionId = body.slice(at + 1, at + 1 + view[at]!);
  at += 1 + view[at]!;
  const suitesLength = view.readUInt16BE(at);
  const cipherSuites: number[] = [];
  for (let i = 0; i < suitesLength; i += 2) cipherSuites.push(view.readUInt16BE(at + 2 + i));
  at += 2 + suitesLength;
  at += 1 + view[at]!;
  const extensionsEnd = at + 2 + view.readUInt16BE(at);
  at += 2;
  const extensions = new Map<number, Uint8Array>();
  while (at < extensionsEnd) {
    const type = view.readUInt16BE(at);
    const length = view.readUInt16BE(at + 2);
    extensions.set(type, body.slice(at + 4, at + 4 + length));
    at += 4 + length;
  }
  const keyShares = new Map<number, Uint8Array>();
  const shares = extensions.get(51);
  if (shares) {
    const s = Buffer.from(shares);
    for (let p = 2; p < shares.length; ) {
      const length = s.readUInt16BE(p + 2);
      keyShares.set(s.readUInt16BE(p), shares.slice(p + 4, p + 4 + length));
      p += 4 + length;
    }
  }
  return { random, sessionId, cipherSuites, extensions, keyShares };
}
