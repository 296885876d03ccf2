/**
 * The numbers of TLS 1.3 (RFC 8446 sections 4, 4.2, 5.1 and appendix B.3), as the IANA TLS
 * registries assign them: record content types, handshake message types, extensions, named
 * groups, signature schemes and protocol versions.
 *
 * They live in one file so that every other file can name a number after the spec, and so
 * that the `tls` command can print a name instead of a number.
 */

export const TLS_1_0 = 0x0301;
export const TLS_1_1 = 0x0302;
export const TLS_1_2 = 0x0303;
export const TLS_1_3 = 0x0304;

/** ContentType (section 5.1). */
export const CONTENT_TYPE_CHANGE_CIPHER_SPEC = 20;
export const CONTENT_TYPE_ALERT = 21;
export const CONTENT_TYPE_HANDSHAKE = 22;
export const CONTENT_TYPE_APPLICATION_DATA = 23;

/** HandshakeType (section 4). */
export const HANDSHAKE_CLIENT_HELLO = 1;
export const HANDSHAKE_SERVER_HELLO = 2;
export const HANDSHAKE_NEW_SESSION_TICKET = 4;
export const HANDSHAKE_END_OF_EARLY_DATA = 5;
export const HANDSHAKE_ENCRYPTED_EXTENSIONS = 8;
export const HANDSHAKE_CERTIFICATE = 11;
export const HANDSHAKE_CERTIFICATE_REQUEST = 13;
export const HANDSHAKE_CERTIFICATE_VERIFY = 15;
export const HANDSHAKE_FINISHED = 20;
export const HANDSHAKE_KEY_UPDATE = 24;
export const HANDSHAKE_MESSAGE_HASH = 254;

/** ExtensionType (section 4.2). */
export const EXTENSION_SERVER_NAME = 0;
export const EXTENSION_SUPPORTED_GROUPS = 10;
export const EXTENSION_SIGNATURE_ALGORITHMS = 13;
export const EXTENSION_APPLICATION_LAYER_PROTOCOL_NEGOTIATION = 16;
export const EXTENSION_PRE_SHARED_KEY = 41;
export const EXTENSION_EARLY_DATA = 42;
export const EXTENSION_SUPPORTED_VERSIONS = 43;
export const EXTENSION_COOKIE = 44;
export const EXTENSION_PSK_KEY_EXCHANGE_MODES = 45;
export const EXTENSION_SIGNATURE_ALGORITHMS_CERT = 50;
export const EXTENSION_KEY_SHARE = 51;

/** NamedGroup (section 4.2.7). */
export const GROUP_SECP256R1 = 0x0017;
export const GROUP_SECP384R1 = 0x0018;
export const GROUP_X25519 = 0x001d;

/** SignatureScheme (section 4.2.3). */
export const SIGNATURE_RSA_PKCS1_SHA256 = 0x0401;
export const SIGNATURE_ECDSA_SECP256R1_SHA256 = 0x0403;
export const SIGNATURE_ECDSA_SECP384R1_SHA384 = 0x0503;
export const SIGNATURE_RSA_PSS_RSAE_SHA256 = 0x0804;
export const SIGNATURE_RSA_PSS_RSAE_SHA384 = 0x0805;
export const SIGNATURE_ED25519 = 0x0807;

/** ServerNameList name_type (RFC 6066 section 3). */
export const SERVER_NAME_TYPE_HOST_NAME = 0;

/** KeyUpdateRequest (section 4.6.3). */
export const KEY_UPDATE_NOT_REQUESTED = 0;
export const KEY_UPDATE_REQUESTED = 1;

const HANDSHAKE_TYPE_NAMES: Record<number, string> = {
  [HANDSHAKE_CLIENT_HELLO]: 'ClientHello',
  [HANDSHAKE_SERVER_HELLO]: 'ServerHello',
  [HANDSHAKE_NEW_SESSION_TICKET]: 'NewSessionTicket',
  [HANDSHAKE_END_OF_EARLY_DATA]: 'EndOfEarlyData',
  [HANDSHAKE_ENCRYPTED_EXTENSIONS]: 'EncryptedExtensions',
  [HANDSHAKE_CERTIFICATE]: 'Certificate',
  [HANDSHAKE_CERTIFICATE_REQUEST]: 'CertificateRequest',
  [HANDSHAKE_CERTIFICATE_VERIFY]: 'CertificateVerify',
  [HANDSHAKE_FINISHED]: 'Finished',
  [HANDSHAKE_KEY_UPDATE]: 'KeyUpdate',
  [HANDSHAKE_MESSAGE_HASH]: 'message_hash',
};

const EXTENSION_NAMES: Record<number, string> = {
  [EXTENSION_SERVER_NAME]: 'server_name',
  [EXTENSION_SUPPORTED_GROUPS]: 'supported_groups',
  [EXTENSION_SIGNATURE_ALGORITHMS]: 'signature_algorithms',
  [EXTENSION_APPLICATION_LAYER_PROTOCOL_NEGOTIATION]: 'application_layer_protocol_negotiation',
  [EXTENSION_PRE_SHARED_KEY]: 'pre_shared_key',
  [EXTENSION_EARLY_DATA]: 'early_data',
  [EXTENSION_SUPPORTED_VERSIONS]: 'supported_versions',
  [EXTENSION_COOKIE]: 'cookie',
  [EXTENSION_PSK_KEY_EXCHANGE_MODES]: 'psk_key_exchange_modes',
  [EXTENSION_SIGNATURE_ALGORITHMS_CERT]: 'signature_algorithms_cert',
  [EXTENSION_KEY_SHARE]: 'key_share',
};

const GROUP_NAMES: Record<number, string> = {
  [GROUP_SECP256R1]: 'secp256r1',
  [GROUP_SECP384R1]: 'secp384r1',
  [GROUP_X25519]: 'x25519',
};

const SIGNATURE_SCHEME_NAMES: Record<number, string> = {
  [SIGNATURE_RSA_PKCS1_SHA256]: 'rsa_pkcs1_sha256',
  [SIGNATURE_ECDSA_SECP256R1_SHA256]: 'ecdsa_secp256r1_sha256',
  [SIGNATURE_ECDSA_SECP384R1_SHA384]: 'ecdsa_secp384r1_sha384',
  [SIGNATURE_RSA_PSS_RSAE_SHA256]: 'rsa_pss_rsae_sha256',
  [SIGNATURE_RSA_PSS_RSAE_SHA384]: 'rsa_pss_rsae_sha384',
  [SIGNATURE_ED25519]: 'ed25519',
};

const VERSION_NAMES: Record<number, string> = {
  [TLS_1_0]: 'TLS 1.0',
  [TLS_1_1]: 'TLS 1.1',
  [TLS_1_2]: 'TLS 1.2',
  [TLS_1_3]: 'TLS 1.3',
};

function nameOr(names: Record<number, string>, code: number, kind: string): string {
  return names[code] ?? `${kind} 0x${code.toString(16).padStart(4, '0')}`;
}

export const handshakeTypeName = (type: number): string =>
  nameOr(HANDSHAKE_TYPE_NAMES, type, 'handshake type');
export const extensionName = (type: number): string => nameOr(EXTENSION_NAMES, type, 'extension');
export const groupName = (group: number): string => nameOr(GROUP_NAMES, group, 'group');
export const signatureSchemeName = (scheme: number): string =>
  nameOr(SIGNATURE_SCHEME_NAMES, scheme, 'signature scheme');
export const versionName = (version: number): string => nameOr(VERSION_NAMES, version, 'version');
