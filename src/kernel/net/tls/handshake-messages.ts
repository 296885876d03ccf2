/**
 * The wire format of the TLS 1.3 handshake messages a client sends and receives (RFC 8446
 * section 4), apart from the state machine that decides when each is allowed.
 *
 *   struct { HandshakeType msg_type; uint24 length; <body> } Handshake;
 *
 * Handshake messages ride in handshake records but ignore their boundaries: one record may
 * carry several messages and one message may span several records, so `HandshakeReassembler`
 * rebuilds whole messages first. Every parser reads through a bounds-checked `TlsReader` and
 * refuses trailing bytes, so a malformed message ends in decode_error, never in a wrong read.
 */

import { TlsError } from './alert.ts';
import {
  concatBytes,
  TlsReader,
  u16,
  u8,
  u24,
  vector8,
  vector16,
  vector24,
} from './presentation-language.ts';
import {
  EXTENSION_COOKIE,
  EXTENSION_KEY_SHARE,
  EXTENSION_SERVER_NAME,
  EXTENSION_SIGNATURE_ALGORITHMS,
  EXTENSION_SIGNATURE_ALGORITHMS_CERT,
  EXTENSION_SUPPORTED_GROUPS,
  EXTENSION_SUPPORTED_VERSIONS,
  extensionName,
  HANDSHAKE_CERTIFICATE,
  HANDSHAKE_CLIENT_HELLO,
  HANDSHAKE_FINISHED,
  HANDSHAKE_KEY_UPDATE,
  KEY_UPDATE_NOT_REQUESTED,
  KEY_UPDATE_REQUESTED,
  SERVER_NAME_TYPE_HOST_NAME,
  TLS_1_2,
  TLS_1_3,
} from './registry.ts';

export const HANDSHAKE_HEADER_LENGTH = 4;
/**
 * The largest handshake message this client buffers. The wire allows 2^24 - 1 bytes; a
 * certificate chain of a few certificates needs tens of kilobytes, so 256 KiB is ample and
 * keeps a lying length from making the client buffer 16 MiB.
 */
export const MAX_HANDSHAKE_MESSAGE_LENGTH = 256 * 1024;
export const RANDOM_LENGTH = 32;
export const MAX_LEGACY_SESSION_ID_LENGTH = 32;
/** legacy_compression_methods: only "null" (0) exists in TLS 1.3. */
export const COMPRESSION_METHOD_NULL = 0;
/** A ServerHello whose random is SHA-256("HelloRetryRequest") is a HelloRetryRequest (4.1.3). */
export const HELLO_RETRY_REQUEST_RANDOM = Uint8Array.from([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);
/** NewSessionTicket.ticket_lifetime may not exceed seven days (section 4.6.1). */
export const MAX_TICKET_LIFETIME_SECONDS = 7 * 24 * 60 * 60;

export interface HandshakeMessage {
  type: number;
  body: Uint8Array;
  /** The whole message with its header, as it enters the transcript. */
  raw: Uint8Array;
}

/** Rebuilds whole handshake messages from the contents of handshake records. */
export class HandshakeReassembler {
  private buffered: Uint8Array = new Uint8Array(0);

  push(fragment: Uint8Array): void {
    this.buffered = concatBytes(this.buffered, fragment);
  }

  /** True when no part of a message is waiting: the only moment keys may change (5.1). */
  get isEmpty(): boolean {
    return this.buffered.length === 0;
  }

  next(): HandshakeMessage | undefined {
    if (this.buffered.length < HANDSHAKE_HEADER_LENGTH) return undefined;
    const reader = new TlsReader(this.buffered, 'Handshake');
    const type = reader.u8('msg_type');
    const length = reader.u24('length');
    if (length > MAX_HANDSHAKE_MESSAGE_LENGTH) {
      throw new TlsError(
        'decode_error',
        `a handshake message of ${length} bytes exceeds this client's limit of ` +
          `${MAX_HANDSHAKE_MESSAGE_LENGTH}`,
      );
    }
    const end = HANDSHAKE_HEADER_LENGTH + length;
    if (this.buffered.length < end) return undefined;
    const raw = this.buffered.slice(0, end);
    this.buffered = this.buffered.slice(end);
    return { type, body: raw.subarray(HANDSHAKE_HEADER_LENGTH), raw };
  }
}

export function encodeHandshake(type: number, body: Uint8Array): Uint8Array {
  return concatBytes(u8(type), u24(body.length), body);
}

// ---------------------------------------------------------------------------------------------
// Extensions (section 4.2)

/** struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension; */
function encodeExtension(type: number, data: Uint8Array): Uint8Array {
  return concatBytes(u16(type), vector16(data));
}

function encodeU16List(values: readonly number[]): Uint8Array {
  return concatBytes(...values.map(u16));
}

/** Extension extensions<0..2^16-1>, with at most one extension of each type. */
function parseExtensions(reader: TlsReader, what: string): Map<number, Uint8Array> {
  const block = new TlsReader(reader.vector16('extensions'), `${what} extensions`);
  const extensions = new Map<number, Uint8Array>();
  while (block.remaining > 0) {
    const type = block.u16('extension_type');
    const data = block.vector16(`${extensionName(type)} extension_data`);
    if (extensions.has(type)) {
      throw new TlsError(
        'illegal_parameter',
        `${what} repeats the ${extensionName(type)} extension`,
      );
    }
    extensions.set(type, data);
  }
  return extensions;
}

// ---------------------------------------------------------------------------------------------
// ClientHello (section 4.1.2)

export interface ClientHelloParameters {
  random: Uint8Array;
  legacySessionId: Uint8Array;
  cipherSuites: readonly number[];
  /** A DNS host name for server_name, or undefined to leave the extension out. */
  serverName: string | undefined;
  supportedGroups: readonly number[];
  keyShares: readonly { group: number; publicKey: Uint8Array }[];
  signatureAlgorithms: readonly number[];
  signatureAlgorithmsCert: readonly number[];
  /** The cookie of a HelloRetryRequest, echoed in the second ClientHello. */
  cookie: Uint8Array | undefined;
}

/**
 *   struct {
 *     ProtocolVersion legacy_version = 0x0303;
 *     Random random;
 *     opaque legacy_session_id<0..32>;
 *     CipherSuite cipher_suites<2..2^16-2>;
 *     opaque legacy_compression_methods<1..2^8-1>;
 *     Extension extensions<8..2^16-1>;
 *   } ClientHello;
 */
export function encodeClientHello(hello: ClientHelloParameters): Uint8Array {
  const extensions = [
    ...(hello.serverName === undefined ? [] : [encodeServerNameExtension(hello.serverName)]),
    // supported_versions: ProtocolVersion versions<2..254>; only TLS 1.3 (section 4.2.1).
    encodeExtension(EXTENSION_SUPPORTED_VERSIONS, vector8(u16(TLS_1_3))),
    encodeExtension(EXTENSION_SUPPORTED_GROUPS, vector16(encodeU16List(hello.supportedGroups))),
    encodeExtension(
      EXTENSION_KEY_SHARE,
      vector16(
        concatBytes(
          ...hello.keyShares.map((share) =>
            concatBytes(u16(share.group), vector16(share.publicKey)),
          ),
        ),
      ),
    ),
    encodeExtension(
      EXTENSION_SIGNATURE_ALGORITHMS,
      vector16(encodeU16List(hello.signatureAlgorithms)),
    ),
    encodeExtension(
      EXTENSION_SIGNATURE_ALGORITHMS_CERT,
      vector16(encodeU16List(hello.signatureAlgorithmsCert)),
    ),
    ...(hello.cookie === undefined
      ? []
      : [encodeExtension(EXTENSION_COOKIE, vector16(hello.cookie))]),
  ];
  const body = concatBytes(
    u16(TLS_1_2),
    hello.random,
    vector8(hello.legacySessionId),
    vector16(encodeU16List(hello.cipherSuites)),
    vector8(u8(COMPRESSION_METHOD_NULL)),
    vector16(concatBytes(...extensions)),
  );
  return encodeHandshake(HANDSHAKE_CLIENT_HELLO, body);
}

/** server_name (RFC 6066 section 3): ServerNameList with one host_name entry. */
function encodeServerNameExtension(hostName: string): Uint8Array {
  const name = Uint8Array.from(hostName, (char) => char.charCodeAt(0));
  const entry = concatBytes(u8(SERVER_NAME_TYPE_HOST_NAME), vector16(name));
  return encodeExtension(EXTENSION_SERVER_NAME, vector16(entry));
}

// ---------------------------------------------------------------------------------------------
// ServerHello and HelloRetryRequest (sections 4.1.3 and 4.1.4)

export interface ServerHello {
  legacyVersion: number;
  random: Uint8Array;
  legacySessionIdEcho: Uint8Array;
  cipherSuite: number;
  legacyCompressionMethod: number;
  extensions: Map<number, Uint8Array>;
  isHelloRetryRequest: boolean;
}

/**
 *   struct {
 *     ProtocolVersion legacy_version = 0x0303;
 *     Random random;
 *     opaque legacy_session_id_echo<0..32>;
 *     CipherSuite cipher_suite;
 *     uint8 legacy_compression_method = 0;
 *     Extension extensions<6..2^16-1>;
 *   } ServerHello;
 *
 * A TLS 1.2 ServerHello may stop before its extensions; that is parsed as no extensions so
 * that the client can say which version the server chose.
 */
export function parseServerHello(body: Uint8Array): ServerHello {
  const reader = new TlsReader(body, 'ServerHello');
  const legacyVersion = reader.u16('legacy_version');
  const random = reader.bytesOf(RANDOM_LENGTH, 'random');
  const legacySessionIdEcho = reader.vector8('legacy_session_id_echo');
  if (legacySessionIdEcho.length > MAX_LEGACY_SESSION_ID_LENGTH) {
    throw new TlsError('decode_error', 'ServerHello: legacy_session_id_echo is over 32 bytes');
  }
  const cipherSuite = reader.u16('cipher_suite');
  const legacyCompressionMethod = reader.u8('legacy_compression_method');
  const extensions =
    reader.remaining === 0 ? new Map<number, Uint8Array>() : parseExtensions(reader, 'ServerHello');
  reader.expectEnd();
  return {
    legacyVersion,
    random,
    legacySessionIdEcho,
    cipherSuite,
    legacyCompressionMethod,
    extensions,
    isHelloRetryRequest: equalBytes(random, HELLO_RETRY_REQUEST_RANDOM),
  };
}

/** supported_versions in a ServerHello: ProtocolVersion selected_version. */
export function parseSelectedVersion(data: Uint8Array): number {
  const reader = new TlsReader(data, 'supported_versions');
  const version = reader.u16('selected_version');
  reader.expectEnd();
  return version;
}

/** key_share in a ServerHello: KeyShareEntry server_share (group, key_exchange<1..2^16-1>). */
export function parseServerKeyShare(data: Uint8Array): { group: number; keyExchange: Uint8Array } {
  const reader = new TlsReader(data, 'key_share');
  const group = reader.u16('group');
  const keyExchange = reader.vector16('key_exchange', 1);
  reader.expectEnd();
  return { group, keyExchange };
}

/** key_share in a HelloRetryRequest: NamedGroup selected_group. */
export function parseHelloRetryKeyShare(data: Uint8Array): number {
  const reader = new TlsReader(data, 'key_share');
  const group = reader.u16('selected_group');
  reader.expectEnd();
  return group;
}

/** cookie: opaque cookie<1..2^16-1> (section 4.2.2). */
export function parseCookie(data: Uint8Array): Uint8Array {
  const reader = new TlsReader(data, 'cookie');
  const cookie = reader.vector16('cookie', 1);
  reader.expectEnd();
  return cookie;
}

// ---------------------------------------------------------------------------------------------
// The server's encrypted flight (sections 4.3 and 4.4)

/** struct { Extension extensions<0..2^16-1>; } EncryptedExtensions; */
export function parseEncryptedExtensions(body: Uint8Array): Map<number, Uint8Array> {
  const reader = new TlsReader(body, 'EncryptedExtensions');
  const extensions = parseExtensions(reader, 'EncryptedExtensions');
  reader.expectEnd();
  return extensions;
}

/**
 *   struct {
 *     opaque certificate_request_context<0..2^8-1>;
 *     Extension extensions<2..2^16-1>;
 *   } CertificateRequest;
 */
export function parseCertificateRequest(body: Uint8Array): { requestContext: Uint8Array } {
  const reader = new TlsReader(body, 'CertificateRequest');
  const requestContext = reader.vector8('certificate_request_context');
  const extensions = parseExtensions(reader, 'CertificateRequest');
  reader.expectEnd();
  if (!extensions.has(EXTENSION_SIGNATURE_ALGORITHMS)) {
    throw new TlsError('missing_extension', 'CertificateRequest without signature_algorithms');
  }
  return { requestContext };
}

export interface CertificateMessage {
  requestContext: Uint8Array;
  /** DER certificates, the server's own (the leaf) first. */
  certificates: Uint8Array[];
}

/**
 *   struct {
 *     opaque cert_data<1..2^24-1>;
 *     Extension extensions<0..2^16-1>;
 *   } CertificateEntry;
 *
 *   struct {
 *     opaque certificate_request_context<0..2^8-1>;
 *     CertificateEntry certificate_list<0..2^24-1>;
 *   } Certificate;
 */
export function parseCertificate(body: Uint8Array): CertificateMessage {
  const reader = new TlsReader(body, 'Certificate');
  const requestContext = reader.vector8('certificate_request_context');
  const list = new TlsReader(reader.vector24('certificate_list'), 'certificate_list');
  reader.expectEnd();
  const certificates: Uint8Array[] = [];
  while (list.remaining > 0) {
    certificates.push(list.vector24('cert_data', 1));
    parseExtensions(list, 'CertificateEntry');
  }
  return { requestContext, certificates };
}

/** The client's Certificate answer to a CertificateRequest: no certificates (4.4.2). */
export function encodeEmptyCertificate(requestContext: Uint8Array): Uint8Array {
  return encodeHandshake(
    HANDSHAKE_CERTIFICATE,
    concatBytes(vector8(requestContext), vector24(new Uint8Array(0))),
  );
}

/** struct { SignatureScheme algorithm; opaque signature<0..2^16-1>; } CertificateVerify; */
export function parseCertificateVerify(body: Uint8Array): {
  scheme: number;
  signature: Uint8Array;
} {
  const reader = new TlsReader(body, 'CertificateVerify');
  const scheme = reader.u16('algorithm');
  const signature = reader.vector16('signature');
  reader.expectEnd();
  return { scheme, signature };
}

/** struct { opaque verify_data[Hash.length]; } Finished; */
export function encodeFinished(verifyData: Uint8Array): Uint8Array {
  return encodeHandshake(HANDSHAKE_FINISHED, verifyData);
}

// ---------------------------------------------------------------------------------------------
// Post-handshake messages (section 4.6)

export interface NewSessionTicket {
  lifetimeSeconds: number;
  ageAdd: number;
  nonce: Uint8Array;
  ticket: Uint8Array;
}

/**
 *   struct {
 *     uint32 ticket_lifetime;
 *     uint32 ticket_age_add;
 *     opaque ticket_nonce<0..255>;
 *     opaque ticket<1..2^16-1>;
 *     Extension extensions<0..2^16-2>;
 *   } NewSessionTicket;
 */
export function parseNewSessionTicket(body: Uint8Array): NewSessionTicket {
  const reader = new TlsReader(body, 'NewSessionTicket');
  const lifetimeSeconds = reader.u32('ticket_lifetime');
  const ageAdd = reader.u32('ticket_age_add');
  const nonce = reader.vector8('ticket_nonce');
  const ticket = reader.vector16('ticket', 1);
  parseExtensions(reader, 'NewSessionTicket');
  reader.expectEnd();
  if (lifetimeSeconds > MAX_TICKET_LIFETIME_SECONDS) {
    throw new TlsError('illegal_parameter', `ticket_lifetime ${lifetimeSeconds} s exceeds 7 days`);
  }
  return { lifetimeSeconds, ageAdd, nonce, ticket };
}

/** struct { KeyUpdateRequest request_update; } KeyUpdate; returns whether a reply is requested. */
export function parseKeyUpdate(body: Uint8Array): boolean {
  const reader = new TlsReader(body, 'KeyUpdate');
  const request = reader.u8('request_update');
  reader.expectEnd();
  if (request !== KEY_UPDATE_NOT_REQUESTED && request !== KEY_UPDATE_REQUESTED) {
    throw new TlsError('illegal_parameter', `KeyUpdate request_update is ${request}, not 0 or 1`);
  }
  return request === KEY_UPDATE_REQUESTED;
}

export function encodeKeyUpdate(updateRequested: boolean): Uint8Array {
  const request = updateRequested ? KEY_UPDATE_REQUESTED : KEY_UPDATE_NOT_REQUESTED;
  return encodeHandshake(HANDSHAKE_KEY_UPDATE, u8(request));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * What the server signs in CertificateVerify (section 4.4.3): 64 spaces, the context string,
 * a zero byte, then the transcript hash. The spaces keep a TLS 1.3 signature from ever being
 * mistaken for a signature of an older protocol.
 */
export function serverCertificateVerifyContent(transcriptHash: Uint8Array): Uint8Array {
  const context = 'TLS 1.3, server CertificateVerify';
  return concatBytes(
    new Uint8Array(64).fill(0x20),
    Uint8Array.from(context, (char) => char.charCodeAt(0)),
    Uint8Array.of(0),
    transcriptHash,
  );
}
