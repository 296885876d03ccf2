/**
 * The numbers of TLS 1.3 that the server uses (RFC 8446 §4 and appendix B, and the IANA TLS
 * registries): protocol versions, record content types, handshake message types, extension
 * types, key exchange groups and signature schemes, named as the RFC names them.
 */

export const TLS_1_2 = 0x0303;
export const TLS_1_3 = 0x0304;

/** ContentType (§5.1). */
export const CONTENT_TYPE_CHANGE_CIPHER_SPEC = 20;
export const CONTENT_TYPE_ALERT = 21;
export const CONTENT_TYPE_HANDSHAKE = 22;
export const CONTENT_TYPE_APPLICATION_DATA = 23;

/** HandshakeType (§4). */
export const HANDSHAKE_CLIENT_HELLO = 1;
export const HANDSHAKE_SERVER_HELLO = 2;
export const HANDSHAKE_ENCRYPTED_EXTENSIONS = 8;
export const HANDSHAKE_CERTIFICATE = 11;
export const HANDSHAKE_CERTIFICATE_VERIFY = 15;
export const HANDSHAKE_FINISHED = 20;
export const HANDSHAKE_KEY_UPDATE = 24;
/** The stand-in for the first ClientHello after a HelloRetryRequest (§4.4.1). */
export const HANDSHAKE_MESSAGE_HASH = 254;

/** ExtensionType (§4.2). */
export const EXTENSION_SUPPORTED_GROUPS = 10;
export const EXTENSION_SIGNATURE_ALGORITHMS = 13;
export const EXTENSION_PRE_SHARED_KEY = 41;
export const EXTENSION_SUPPORTED_VERSIONS = 43;
export const EXTENSION_KEY_SHARE = 51;

/** NamedGroup (§4.2.7). */
export const GROUP_SECP256R1 = 0x0017;
export const GROUP_X25519 = 0x001d;

/** SignatureScheme (§4.2.3). */
export const SIGNATURE_ECDSA_SECP256R1_SHA256 = 0x0403;
export const SIGNATURE_ECDSA_SECP384R1_SHA384 = 0x0503;
export const SIGNATURE_ED25519 = 0x0807;

/** KeyUpdateRequest (§4.6.3). */
export const KEY_UPDATE_NOT_REQUESTED = 0;
export const KEY_UPDATE_REQUESTED = 1;
