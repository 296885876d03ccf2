/**
 * The handshake messages a TLS 1.3 server sends (RFC 8446 §4), each as its 4-byte header
 * (type, 24-bit length) and body, ready for the transcript and the record layer:
 *
 *   ServerHello / HelloRetryRequest (§4.1.3, §4.1.4), EncryptedExtensions (§4.3.1),
 *   Certificate (§4.4.2), CertificateVerify (§4.4.3), Finished (§4.4.4), KeyUpdate (§4.6.3),
 *
 * and the synthetic message_hash that stands for the first ClientHello in the transcript
 * after a HelloRetryRequest (§4.4.1).
 */
import { asciiBytes, concatBytes } from '../bytes';
import { u16, uint, vector } from './tls-bytes';
import {
  EXTENSION_KEY_SHARE,
  EXTENSION_SUPPORTED_VERSIONS,
  HANDSHAKE_CERTIFICATE,
  HANDSHAKE_CERTIFICATE_VERIFY,
  HANDSHAKE_ENCRYPTED_EXTENSIONS,
  HANDSHAKE_FINISHED,
  HANDSHAKE_KEY_UPDATE,
  HANDSHAKE_MESSAGE_HASH,
  HANDSHAKE_SERVER_HELLO,
  TLS_1_2,
  TLS_1_3,
} from './tls-registry';

/** The random of a HelloRetryRequest: SHA-256 of "HelloRetryRequest" (§4.1.3). */
export const HELLO_RETRY_REQUEST_RANDOM = Uint8Array.of(
  0xcf,
  0x21,
  0xad,
  0x74,
  0xe5,
  0x9a,
  0x61,
  0x11,
  0xbe,
  0x1d,
  0x8c,
  0x02,
  0x1e,
  0x65,
  0xb8,
  0x91,
  0xc2,
  0xa2,
  0x11,
  0x16,
  0x7a,
  0xbb,
  0x8c,
  0x5e,
  0x07,
  0x9e,
  0x09,
  0xe2,
  0xc8,
  0xa8,
  0x33,
  0x9c,
);

const COMPRESSION_METHOD_NULL = 0;
/** 64 spaces, the context string and a zero byte precede the transcript hash (§4.4.3). */
const CERTIFICATE_VERIFY_PAD = new Uint8Array(64).fill(0x20);
const SERVER_CERTIFICATE_VERIFY_CONTEXT = 'TLS 1.3, server CertificateVerify';

export function handshakeMessage(type: number, body: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.of(type), uint(3, body.length), body]);
}

function extension(type: number, data: Uint8Array): Uint8Array {
  return concatBytes([u16(type), vector(2, data)]);
}

export interface ServerHelloFields {
  readonly random: Uint8Array;
  readonly legacySessionIdEcho: Uint8Array;
  readonly cipherSuite: number;
  /** The server's key share, or for a HelloRetryRequest only the group it wants. */
  readonly keyShare: { group: number; publicKey: Uint8Array } | { selectedGroup: number };
}

export function encodeServerHello(fields: ServerHelloFields): Uint8Array {
  const keyShare =
    'selectedGroup' in fields.keyShare
      ? u16(fields.keyShare.selectedGroup)
      : concatBytes([u16(fields.keyShare.group), vector(2, fields.keyShare.publicKey)]);
  const extensions = concatBytes([
    extension(EXTENSION_KEY_SHARE, keyShare),
    extension(EXTENSION_SUPPORTED_VERSIONS, u16(TLS_1_3)),
  ]);
  const body = concatBytes([
    u16(TLS_1_2),
    fields.random,
    vector(1, fields.legacySessionIdEcho),
    u16(fields.cipherSuite),
    Uint8Array.of(COMPRESSION_METHOD_NULL),
    vector(2, extensions),
  ]);
  return handshakeMessage(HANDSHAKE_SERVER_HELLO, body);
}

/** No extensions to report: no SNI acknowledgement (the name chooses nothing), no ALPN. */
export function encodeEncryptedExtensions(): Uint8Array {
  return handshakeMessage(HANDSHAKE_ENCRYPTED_EXTENSIONS, vector(2));
}

/** An empty certificate_request_context, then each certificate with no extensions. */
export function encodeCertificate(chain: readonly Uint8Array[]): Uint8Array {
  const entries = chain.map((der) => concatBytes([vector(3, der), vector(2)]));
  return handshakeMessage(HANDSHAKE_CERTIFICATE, concatBytes([vector(1), vector(3, ...entries)]));
}

/** What the server signs: the padding, the context string, 0, Transcript-Hash(CH..Certificate). */
export function certificateVerifyContent(transcriptHash: Uint8Array): Uint8Array {
  return concatBytes([
    CERTIFICATE_VERIFY_PAD,
    asciiBytes(SERVER_CERTIFICATE_VERIFY_CONTEXT),
    Uint8Array.of(0),
    transcriptHash,
  ]);
}

export function encodeCertificateVerify(scheme: number, signature: Uint8Array): Uint8Array {
  return handshakeMessage(
    HANDSHAKE_CERTIFICATE_VERIFY,
    concatBytes([u16(scheme), vector(2, signature)]),
  );
}

export function encodeFinished(verifyData: Uint8Array): Uint8Array {
  return handshakeMessage(HANDSHAKE_FINISHED, verifyData);
}

export function encodeKeyUpdate(request: number): Uint8Array {
  return handshakeMessage(HANDSHAKE_KEY_UPDATE, Uint8Array.of(request));
}

/** message_hash: the first ClientHello's hash standing in for it (§4.4.1). */
export function encodeMessageHash(clientHelloHash: Uint8Array): Uint8Array {
  return handshakeMessage(HANDSHAKE_MESSAGE_HASH, clientHelloHash);
}
