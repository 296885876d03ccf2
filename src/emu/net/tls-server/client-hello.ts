/**
 * The ClientHello (RFC 8446 §4.1.2), parsed as far as the server needs it:
 *
 *   legacy_version(2) random(32) legacy_session_id<0..32> cipher_suites<2..2^16-2>
 *   legacy_compression_methods<1..2^8-1> extensions<8..2^16-1>
 *
 * and, from the extensions, supported_versions (§4.2.1), supported_groups (§4.2.7),
 * key_share (§4.2.8) and signature_algorithms (§4.2.3). Every other extension is kept as bytes
 * and ignored, as §4.2 asks of extensions a server does not know. What breaks the encoding is a
 * decode_error; what is well formed but not allowed (a repeated extension, pre_shared_key not
 * last, a compression method in TLS 1.3, a key share twice for one group) an illegal_parameter.
 */
import { TlsAlert } from './tls-alert';
import { TlsReader } from './tls-bytes';
import {
  EXTENSION_KEY_SHARE,
  EXTENSION_PRE_SHARED_KEY,
  EXTENSION_SIGNATURE_ALGORITHMS,
  EXTENSION_SUPPORTED_GROUPS,
  EXTENSION_SUPPORTED_VERSIONS,
} from './tls-registry';

export const RANDOM_LENGTH = 32;
const MAX_SESSION_ID_LENGTH = 32;
const COMPRESSION_METHOD_NULL = 0;

export interface KeyShareEntry {
  readonly group: number;
  readonly keyExchange: Uint8Array;
}

export interface ClientHello {
  readonly random: Uint8Array;
  /** Echoed in the ServerHello; non-empty means "middlebox compatibility mode" (§D.4). */
  readonly legacySessionId: Uint8Array;
  readonly cipherSuites: readonly number[];
  readonly supportedVersions: readonly number[] | undefined;
  readonly supportedGroups: readonly number[] | undefined;
  readonly keyShares: readonly KeyShareEntry[] | undefined;
  readonly signatureAlgorithms: readonly number[] | undefined;
}

/** Parses a ClientHello's body (the handshake message without its 4-byte header). */
export function parseClientHello(body: Uint8Array): ClientHello {
  const reader = new TlsReader(body, 'ClientHello');
  reader.u16(); // legacy_version: ignored when supported_versions is present (§4.2.1)
  const random = reader.take(RANDOM_LENGTH).slice();
  const legacySessionId = reader.vector(1, 0, MAX_SESSION_ID_LENGTH).slice();
  const cipherSuites = reader.u16List(2);
  const compression = reader.vector(1, 1);
  if (compression.length !== 1 || compression[0] !== COMPRESSION_METHOD_NULL) {
    throw new TlsAlert('illegal_parameter', 'TLS 1.3 allows only the null compression method');
  }
  const extensions =
    reader.remaining === 0 ? new Map() : parseExtensions(reader.nested(2, 'extensions'));
  reader.end();
  const read = <T>(type: number, parse: (reader: TlsReader) => T): T | undefined => {
    const data = extensions.get(type);
    if (data === undefined) return undefined;
    const extension = new TlsReader(data, extensionLabel(type));
    const value = parse(extension);
    extension.end();
    return value;
  };
  return {
    random,
    legacySessionId,
    cipherSuites,
    supportedVersions: read(EXTENSION_SUPPORTED_VERSIONS, (r) => r.u16List(1)),
    supportedGroups: read(EXTENSION_SUPPORTED_GROUPS, (r) => r.u16List(2)),
    keyShares: read(EXTENSION_KEY_SHARE, parseKeyShares),
    signatureAlgorithms: read(EXTENSION_SIGNATURE_ALGORITHMS, (r) => r.u16List(2)),
  };
}

function extensionLabel(type: number): string {
  return `extension ${type}`;
}

/** Extension type → data; each type at most once, pre_shared_key only last (§4.2, §4.2.11). */
function parseExtensions(reader: TlsReader): Map<number, Uint8Array> {
  const extensions = new Map<number, Uint8Array>();
  while (reader.remaining > 0) {
    const type = reader.u16();
    const data = reader.vector(2);
    if (extensions.has(type)) {
      throw new TlsAlert('illegal_parameter', `${extensionLabel(type)} appears twice`);
    }
    if (extensions.has(EXTENSION_PRE_SHARED_KEY)) {
      throw new TlsAlert('illegal_parameter', 'pre_shared_key is not the last extension');
    }
    extensions.set(type, data);
  }
  return extensions;
}

/** KeyShareClientHello: client_shares<0..2^16-1> of (group, key_exchange<1..2^16-1>). */
function parseKeyShares(reader: TlsReader): KeyShareEntry[] {
  const list = reader.nested(2, 'key_share');
  const shares: KeyShareEntry[] = [];
  while (list.remaining > 0) {
    const group = list.u16();
    const keyExchange = list.vector(2, 1).slice();
    if (shares.some((share) => share.group === group)) {
      throw new TlsAlert('illegal_parameter', `two key shares for group 0x${group.toString(16)}`);
    }
    shares.push({ group, keyExchange });
  }
  return shares;
}
