/**
 * A TLS 1.3 client (RFC 8446), the state machine of section A.1:
 *
 *   START --ClientHello--> WAIT_SH --ServerHello--> WAIT_EE --EncryptedExtensions-->
 *   WAIT_CERT_CR --CertificateRequest--> WAIT_CERT --Certificate--> WAIT_CV
 *   --CertificateVerify--> WAIT_FINISHED --Finished--> CONNECTED
 *
 * (a HelloRetryRequest in WAIT_SH sends a second ClientHello and waits again). It is
 * "sans-I/O": it never touches a socket. The caller feeds it the server's bytes with
 * `receive()`, in whatever pieces TCP delivers, and sends whatever `takeOutput()` returns.
 * That keeps the protocol a pure function of its input, testable byte for byte, and the same
 * code runs over the kernel's TCP, over a host socket in tests, or over a recorded trace.
 *
 * Anything wrong in what the server sends ends the connection with a `TlsError`: the client
 * sends the matching fatal alert and stops. Certificates and signatures are judged by a
 * `PeerAuthenticator` (authenticator.ts); this file only decides when to ask it.
 */

import {
  ALERT_DESCRIPTIONS,
  ALERT_LEVEL_FATAL,
  ALERT_LEVEL_WARNING,
  alertName,
  encodeAlert,
  parseAlert,
  TlsError,
} from './alert.ts';
import type { PeerAuthenticator } from './authenticator.ts';
import { CIPHER_SUITES, type CipherSuite, findCipherSuite } from './cipher-suites.ts';
import type { HandshakeStep } from './handshake-log.ts';
import {
  COMPRESSION_METHOD_NULL,
  encodeClientHello,
  encodeEmptyCertificate,
  encodeFinished,
  encodeKeyUpdate,
  HandshakeReassembler,
  type HandshakeMessage,
  parseCertificate,
  parseCertificateRequest,
  parseCertificateVerify,
  parseCookie,
  parseEncryptedExtensions,
  parseHelloRetryKeyShare,
  parseKeyUpdate,
  parseNewSessionTicket,
  parseSelectedVersion,
  parseServerHello,
  parseServerKeyShare,
  RANDOM_LENGTH,
  type ServerHello,
  serverCertificateVerifyContent,
} from './handshake-messages.ts';
import { createKeyShare, type KeyShare, SUPPORTED_GROUPS } from './key-exchange.ts';
import {
  computeEarlySecret,
  computeFinishedVerifyData,
  computeHandshakeSecret,
  computeMasterSecret,
  computeNextTrafficSecret,
  deriveSecret,
  LABEL_CLIENT_APPLICATION_TRAFFIC,
  LABEL_CLIENT_HANDSHAKE_TRAFFIC,
  LABEL_SERVER_APPLICATION_TRAFFIC,
  LABEL_SERVER_HANDSHAKE_TRAFFIC,
} from './key-schedule.ts';
import { concatBytes } from './presentation-language.ts';
import { RecordLayer } from './record-layer.ts';
import {
  CONTENT_TYPE_ALERT,
  CONTENT_TYPE_APPLICATION_DATA,
  CONTENT_TYPE_CHANGE_CIPHER_SPEC,
  CONTENT_TYPE_HANDSHAKE,
  EXTENSION_COOKIE,
  EXTENSION_KEY_SHARE,
  EXTENSION_SERVER_NAME,
  EXTENSION_SIGNATURE_ALGORITHMS,
  EXTENSION_SIGNATURE_ALGORITHMS_CERT,
  EXTENSION_SUPPORTED_GROUPS,
  EXTENSION_SUPPORTED_VERSIONS,
  extensionName,
  GROUP_X25519,
  groupName,
  HANDSHAKE_CERTIFICATE,
  HANDSHAKE_CERTIFICATE_REQUEST,
  HANDSHAKE_CERTIFICATE_VERIFY,
  HANDSHAKE_ENCRYPTED_EXTENSIONS,
  HANDSHAKE_FINISHED,
  HANDSHAKE_KEY_UPDATE,
  HANDSHAKE_NEW_SESSION_TICKET,
  HANDSHAKE_SERVER_HELLO,
  handshakeTypeName,
  SIGNATURE_ECDSA_SECP256R1_SHA256,
  SIGNATURE_ECDSA_SECP384R1_SHA384,
  SIGNATURE_ED25519,
  SIGNATURE_RSA_PKCS1_SHA256,
  SIGNATURE_RSA_PSS_RSAE_SHA256,
  SIGNATURE_RSA_PSS_RSAE_SHA384,
  signatureSchemeName,
  TLS_1_2,
  TLS_1_3,
  versionName,
} from './registry.ts';
import { Transcript } from './transcript.ts';

/** Schemes accepted in CertificateVerify (the signature_algorithms extension, 4.2.3). */
export const SIGNATURE_ALGORITHMS: readonly number[] = [
  SIGNATURE_ECDSA_SECP256R1_SHA256,
  SIGNATURE_ECDSA_SECP384R1_SHA384,
  SIGNATURE_RSA_PSS_RSAE_SHA256,
  SIGNATURE_RSA_PSS_RSAE_SHA384,
  SIGNATURE_ED25519,
];

/**
 * Schemes accepted in certificates (signature_algorithms_cert): the same, plus RSA PKCS #1
 * v1.5, which TLS 1.3 forbids in handshakes but which most certificate authorities still use.
 */
export const SIGNATURE_ALGORITHMS_CERT: readonly number[] = [
  ...SIGNATURE_ALGORITHMS,
  SIGNATURE_RSA_PKCS1_SHA256,
];

/** The group of the key share in the first ClientHello; the server may ask for another. */
export const FIRST_KEY_SHARE_GROUP = GROUP_X25519;

export type TlsClientState =
  | 'start'
  | 'wait-server-hello'
  | 'wait-encrypted-extensions'
  | 'wait-certificate-or-request'
  | 'wait-certificate'
  | 'wait-certificate-verify'
  | 'wait-finished'
  | 'connected'
  | 'closed'
  | 'failed';

export interface TlsClientOptions {
  /** The host name the certificate must be valid for, also sent as SNI unless an IP address. */
  serverName: string;
  /** The machine's seeded random source: n bytes per call. */
  random: (length: number) => Uint8Array;
  authenticator: PeerAuthenticator;
  /** Virtual milliseconds, for the handshake log. */
  now: () => number;
  /** Receives SSLKEYLOGFILE lines, so that Wireshark can decrypt a capture. */
  keyLog?: (line: string) => void;
}

/** The secrets of one connection, once derived. */
interface Secrets {
  suite: CipherSuite;
  clientHandshakeTraffic: Uint8Array;
  serverHandshakeTraffic: Uint8Array;
  master: Uint8Array;
  clientApplicationTraffic?: Uint8Array;
  serverApplicationTraffic?: Uint8Array;
}

export class TlsClient {
  private currentState: TlsClientState = 'start';
  private failure: TlsError | undefined;
  readonly handshakeLog: HandshakeStep[] = [];

  private readonly records = new RecordLayer();
  private readonly handshakeMessages = new HandshakeReassembler();
  private readonly transcript = new Transcript();
  private readonly output: Uint8Array[] = [];
  private readonly applicationData: Uint8Array[] = [];
  private readonly writesBeforeConnected: Uint8Array[] = [];

  private readonly clientRandom: Uint8Array;
  /** Empty: this client does not use the middlebox compatibility mode of section D.4. */
  private readonly legacySessionId = new Uint8Array(0);
  private keyShare: KeyShare | undefined;
  private helloRetrySuite: CipherSuite | undefined;
  private secrets: Secrets | undefined;
  private serverCertificates: Uint8Array[] = [];
  private certificateRequestContext: Uint8Array | undefined;
  private closeNotifySent = false;
  private closeNotifyReceived = false;

  constructor(private readonly options: TlsClientOptions) {
    requireHostName(options.serverName);
    this.clientRandom = options.random(RANDOM_LENGTH);
  }

  get state(): TlsClientState {
    return this.currentState;
  }

  /** Why the connection failed, once `state` is 'failed'. */
  get error(): TlsError | undefined {
    return this.failure;
  }

  /** Begins the handshake; returns the ClientHello record to send. */
  start(): Uint8Array {
    if (this.currentState !== 'start') {
      throw new TlsError('internal_error', 'start() called twice');
    }
    this.keyShare = createKeyShare(FIRST_KEY_SHARE_GROUP, this.options.random);
    this.sendClientHello(undefined);
    this.currentState = 'wait-server-hello';
    return this.takeOutput();
  }

  /** Bytes from the server, in any pieces. Errors end in `state` 'failed', never in a throw. */
  receive(bytes: Uint8Array): void {
    if (!this.isReading()) return;
    try {
      this.records.receive(bytes);
      for (let record = this.records.nextRecord(); record; record = this.records.nextRecord()) {
        this.handleRecord(record.contentType, record.content, record.wasProtected);
        if (!this.isReading()) return;
      }
    } catch (error) {
      if (!(error instanceof TlsError)) throw error;
      this.fail(error);
    }
  }

  /** The transport reached its end (TCP FIN): without close_notify that is a truncation. */
  transportClosed(): void {
    if (!this.isReading()) return;
    const reason =
      this.currentState === 'connected' || this.currentState === 'closed'
        ? 'the server closed the connection without close_notify: data may be truncated'
        : `the server closed the connection during the handshake (${this.currentState})`;
    this.failure = new TlsError('unexpected_message', reason);
    this.currentState = 'failed';
    this.log({ kind: 'closed', at: this.options.now(), reason });
  }

  /** Bytes to send to the server (records), taken once. */
  takeOutput(): Uint8Array {
    const bytes = concatBytes(...this.output);
    this.output.length = 0;
    return bytes;
  }

  /** Application data received so far, taken once. */
  readApplicationData(): Uint8Array {
    const bytes = concatBytes(...this.applicationData);
    this.applicationData.length = 0;
    return bytes;
  }

  /** Sends application data; during the handshake it waits until the handshake completes. */
  write(data: Uint8Array): void {
    if (this.currentState === 'connected') {
      this.sendRecord(CONTENT_TYPE_APPLICATION_DATA, data);
    } else if (this.isHandshaking()) {
      this.writesBeforeConnected.push(data.slice());
    } else {
      throw new TlsError('internal_error', `write() on a connection that is ${this.currentState}`);
    }
  }

  /** Asks for fresh traffic keys both ways (KeyUpdate with update_requested, 4.6.3). */
  updateKeys(): void {
    if (this.currentState !== 'connected') {
      throw new TlsError(
        'internal_error',
        `updateKeys() on a connection that is ${this.currentState}`,
      );
    }
    this.sendKeyUpdate(true);
  }

  /** Sends close_notify (section 6.1); data the server still sends can be read. */
  close(): void {
    if (this.currentState === 'failed' || this.closeNotifySent) return;
    this.sendAlert(ALERT_LEVEL_WARNING, ALERT_DESCRIPTIONS.close_notify, 'closed by this client');
    this.closeNotifySent = true;
    this.currentState = 'closed';
    this.log({ kind: 'closed', at: this.options.now(), reason: 'close_notify sent' });
  }

  // -------------------------------------------------------------------------------------------
  // Records

  private handleRecord(contentType: number, content: Uint8Array, wasProtected: boolean): void {
    if (contentType === CONTENT_TYPE_CHANGE_CIPHER_SPEC) {
      this.dropCompatibilityChangeCipherSpec(content, wasProtected);
      return;
    }
    if (contentType !== CONTENT_TYPE_HANDSHAKE && !this.handshakeMessages.isEmpty) {
      // A handshake message split over records may not be interleaved with others (5.1).
      throw new TlsError('unexpected_message', 'a record interrupted a split handshake message');
    }
    if (contentType === CONTENT_TYPE_HANDSHAKE) {
      this.handleHandshakeRecord(content);
    } else if (contentType === CONTENT_TYPE_ALERT) {
      this.handleAlert(content);
    } else if (contentType === CONTENT_TYPE_APPLICATION_DATA) {
      this.handleApplicationData(content, wasProtected);
    } else {
      throw new TlsError('unexpected_message', `a record of unknown content type ${contentType}`);
    }
  }

  /**
   * A server in middlebox compatibility mode sends one plaintext change_cipher_spec record of
   * the single byte 1 during the handshake; it means nothing in TLS 1.3 and is dropped (5).
   */
  private dropCompatibilityChangeCipherSpec(content: Uint8Array, wasProtected: boolean): void {
    const acceptable = !wasProtected && content.length === 1 && content[0] === 1;
    if (!acceptable || !this.isHandshaking()) {
      throw new TlsError('unexpected_message', 'change_cipher_spec is only a handshake formality');
    }
  }

  private handleHandshakeRecord(content: Uint8Array): void {
    if (content.length === 0) {
      throw new TlsError('unexpected_message', 'an empty handshake record');
    }
    this.handshakeMessages.push(content);
    for (
      let message = this.handshakeMessages.next();
      message;
      message = this.handshakeMessages.next()
    ) {
      this.log({
        kind: 'received',
        at: this.options.now(),
        message: handshakeTypeName(message.type),
        length: message.raw.length,
      });
      this.handleHandshakeMessage(message);
      if (!this.isReading()) return;
    }
  }

  private handleApplicationData(content: Uint8Array, wasProtected: boolean): void {
    // Application keys exist once the server's Finished has been checked, not before.
    if (!wasProtected || this.secrets?.serverApplicationTraffic === undefined) {
      throw new TlsError('unexpected_message', 'application data before the handshake finished');
    }
    this.applicationData.push(content);
  }

  private handleAlert(content: Uint8Array): void {
    const alert = parseAlert(content);
    const name = alertName(alert.description);
    this.log({ kind: 'alert-received', at: this.options.now(), alert: name });
    if (alert.description === ALERT_DESCRIPTIONS.user_canceled) return;
    if (alert.description === ALERT_DESCRIPTIONS.close_notify) {
      this.closeNotifyReceived = true;
      if (!this.closeNotifySent) this.close();
      return;
    }
    // Every other alert is fatal in TLS 1.3 (section 6.2), whatever its level byte says.
    const hint =
      alert.description === ALERT_DESCRIPTIONS.protocol_version
        ? ': the server does not speak TLS 1.3, the only version this client offers'
        : '';
    this.failure = new TlsError(name, `the server sent the fatal alert ${name}${hint}`, true);
    this.currentState = 'failed';
  }

  // -------------------------------------------------------------------------------------------
  // Handshake messages

  private handleHandshakeMessage(message: HandshakeMessage): void {
    const expected = this.expectedHandshakeTypes();
    if (!expected.includes(message.type)) {
      const wanted = expected.map(handshakeTypeName).join(' or ') || 'no handshake message';
      throw new TlsError(
        'unexpected_message',
        `received ${handshakeTypeName(message.type)} while expecting ${wanted}`,
      );
    }
    switch (message.type) {
      case HANDSHAKE_SERVER_HELLO:
        return this.handleServerHello(message);
      case HANDSHAKE_ENCRYPTED_EXTENSIONS:
        return this.handleEncryptedExtensions(message);
      case HANDSHAKE_CERTIFICATE_REQUEST:
        return this.handleCertificateRequest(message);
      case HANDSHAKE_CERTIFICATE:
        return this.handleCertificate(message);
      case HANDSHAKE_CERTIFICATE_VERIFY:
        return this.handleCertificateVerify(message);
      case HANDSHAKE_FINISHED:
        return this.handleFinished(message);
      case HANDSHAKE_NEW_SESSION_TICKET:
        // Accepted and dropped: this client does not resume sessions (section 4.6.1).
        parseNewSessionTicket(message.body);
        return;
      case HANDSHAKE_KEY_UPDATE:
        return this.handleKeyUpdate(message);
    }
  }

  private expectedHandshakeTypes(): number[] {
    switch (this.currentState) {
      case 'wait-server-hello':
        return [HANDSHAKE_SERVER_HELLO];
      case 'wait-encrypted-extensions':
        return [HANDSHAKE_ENCRYPTED_EXTENSIONS];
      case 'wait-certificate-or-request':
        return [HANDSHAKE_CERTIFICATE_REQUEST, HANDSHAKE_CERTIFICATE];
      case 'wait-certificate':
        return [HANDSHAKE_CERTIFICATE];
      case 'wait-certificate-verify':
        return [HANDSHAKE_CERTIFICATE_VERIFY];
      case 'wait-finished':
        return [HANDSHAKE_FINISHED];
      case 'connected':
      case 'closed':
        return [HANDSHAKE_NEW_SESSION_TICKET, HANDSHAKE_KEY_UPDATE];
      default:
        return [];
    }
  }

  private handleServerHello(message: HandshakeMessage): void {
    const hello = parseServerHello(message.body);
    const suite = this.checkServerHello(hello);
    if (hello.isHelloRetryRequest) {
      this.handleHelloRetryRequest(message, hello, suite);
      return;
    }
    if (this.helloRetrySuite !== undefined && this.helloRetrySuite !== suite) {
      throw new TlsError('illegal_parameter', 'ServerHello changed the HelloRetryRequest suite');
    }
    requireOnlyExtensions(hello.extensions, 'ServerHello', [
      EXTENSION_SUPPORTED_VERSIONS,
      EXTENSION_KEY_SHARE,
    ]);
    const keyShareData = hello.extensions.get(EXTENSION_KEY_SHARE);
    if (keyShareData === undefined) {
      throw new TlsError('missing_extension', 'ServerHello without key_share');
    }
    const serverShare = parseServerKeyShare(keyShareData);
    const keyShare = this.keyShare!;
    if (serverShare.group !== keyShare.group) {
      throw new TlsError(
        'illegal_parameter',
        `ServerHello key share is for ${groupName(serverShare.group)}, ` +
          `but the client offered ${groupName(keyShare.group)}`,
      );
    }
    const sharedSecret = keyShare.sharedSecret(serverShare.keyExchange);
    this.transcript.add(message.raw);
    this.log({
      kind: 'negotiated',
      at: this.options.now(),
      version: versionName(TLS_1_3),
      cipherSuite: suite.name,
      group: groupName(keyShare.group),
    });
    this.deriveHandshakeSecrets(suite, sharedSecret);
    this.requireKeyChangeBoundary('ServerHello');
    this.currentState = 'wait-encrypted-extensions';
  }

  /** Checks what a ServerHello and a HelloRetryRequest share; returns the chosen suite. */
  private checkServerHello(hello: ServerHello): CipherSuite {
    const versionData = hello.extensions.get(EXTENSION_SUPPORTED_VERSIONS);
    if (versionData === undefined) {
      throw new TlsError(
        'protocol_version',
        `the server chose ${versionName(hello.legacyVersion)} (its ServerHello has no ` +
          'supported_versions extension); this client speaks only TLS 1.3',
      );
    }
    const selected = parseSelectedVersion(versionData);
    if (selected !== TLS_1_3) {
      throw new TlsError(
        'illegal_parameter',
        `the server selected ${versionName(selected)}, which the client did not offer`,
      );
    }
    if (hello.legacyVersion !== TLS_1_2) {
      throw new TlsError('illegal_parameter', 'ServerHello legacy_version is not 0x0303');
    }
    if (!equalBytes(hello.legacySessionIdEcho, this.legacySessionId)) {
      throw new TlsError('illegal_parameter', 'ServerHello does not echo legacy_session_id');
    }
    if (hello.legacyCompressionMethod !== COMPRESSION_METHOD_NULL) {
      throw new TlsError('illegal_parameter', 'ServerHello chose a compression method');
    }
    const suite = findCipherSuite(hello.cipherSuite);
    if (suite === undefined) {
      throw new TlsError(
        'illegal_parameter',
        `the server chose cipher suite 0x${hello.cipherSuite.toString(16)}, which was not offered`,
      );
    }
    return suite;
  }

  /**
   * HelloRetryRequest (section 4.1.4): the server wants a key share for another group (or a
   * cookie echoed). The transcript restarts from the hash of the first ClientHello.
   */
  private handleHelloRetryRequest(
    message: HandshakeMessage,
    hello: ServerHello,
    suite: CipherSuite,
  ): void {
    if (this.helloRetrySuite !== undefined) {
      throw new TlsError('unexpected_message', 'a second HelloRetryRequest');
    }
    requireOnlyExtensions(hello.extensions, 'HelloRetryRequest', [
      EXTENSION_SUPPORTED_VERSIONS,
      EXTENSION_KEY_SHARE,
      EXTENSION_COOKIE,
    ]);
    const keyShareData = hello.extensions.get(EXTENSION_KEY_SHARE);
    const cookieData = hello.extensions.get(EXTENSION_COOKIE);
    const offeredGroup = this.keyShare!.group;
    const group = keyShareData === undefined ? offeredGroup : parseHelloRetryKeyShare(keyShareData);
    if (
      keyShareData !== undefined &&
      (!SUPPORTED_GROUPS.includes(group) || group === offeredGroup)
    ) {
      throw new TlsError(
        'illegal_parameter',
        `HelloRetryRequest asks for ${groupName(group)}, which is not a new offered group`,
      );
    }
    if (keyShareData === undefined && cookieData === undefined) {
      throw new TlsError('illegal_parameter', 'HelloRetryRequest that changes nothing');
    }
    this.helloRetrySuite = suite;
    this.transcript.replaceWithMessageHash(suite.hash);
    this.transcript.add(message.raw);
    this.log({ kind: 'hello-retry', at: this.options.now(), group: groupName(group) });
    if (group !== offeredGroup) this.keyShare = createKeyShare(group, this.options.random);
    this.sendClientHello(cookieData === undefined ? undefined : parseCookie(cookieData));
  }

  private handleEncryptedExtensions(message: HandshakeMessage): void {
    const extensions = parseEncryptedExtensions(message.body);
    requireOnlyExtensions(extensions, 'EncryptedExtensions', [
      EXTENSION_SERVER_NAME,
      EXTENSION_SUPPORTED_GROUPS,
    ]);
    if ((extensions.get(EXTENSION_SERVER_NAME)?.length ?? 0) !== 0) {
      throw new TlsError('decode_error', 'the server_name acknowledgement must be empty');
    }
    this.transcript.add(message.raw);
    this.currentState = 'wait-certificate-or-request';
  }

  /** The server asks for a client certificate; this client will answer with none (4.4.2). */
  private handleCertificateRequest(message: HandshakeMessage): void {
    this.certificateRequestContext = parseCertificateRequest(message.body).requestContext;
    this.transcript.add(message.raw);
    this.currentState = 'wait-certificate';
  }

  private handleCertificate(message: HandshakeMessage): void {
    const certificate = parseCertificate(message.body);
    if (certificate.requestContext.length !== 0) {
      throw new TlsError('illegal_parameter', 'the server Certificate has a request context');
    }
    if (certificate.certificates.length === 0) {
      throw new TlsError('decode_error', 'the server sent no certificate');
    }
    const at = this.options.now();
    this.log({ kind: 'certificates', at, chain: certificate.certificates });
    const verdict = this.options.authenticator.verifyChain(
      certificate.certificates,
      this.options.serverName,
    );
    const reason = verdict.ok ? 'trusted' : verdict.reason;
    this.log({ kind: 'chain-verdict', at, ok: verdict.ok, reason });
    if (!verdict.ok) throw new TlsError('bad_certificate', verdict.reason);
    this.serverCertificates = certificate.certificates;
    this.transcript.add(message.raw);
    this.currentState = 'wait-certificate-verify';
  }

  /** The server proves it holds the certificate's key by signing the transcript (4.4.3). */
  private handleCertificateVerify(message: HandshakeMessage): void {
    const { scheme, signature } = parseCertificateVerify(message.body);
    if (!SIGNATURE_ALGORITHMS.includes(scheme)) {
      throw new TlsError(
        'illegal_parameter',
        `CertificateVerify uses ${signatureSchemeName(scheme)}, which the client did not offer`,
      );
    }
    const signedContent = serverCertificateVerifyContent(this.transcriptHash());
    const ok = this.options.authenticator.verifyHandshakeSignature(
      this.serverCertificates[0]!,
      scheme,
      signedContent,
      signature,
    );
    this.log({ kind: 'signature-verdict', at: this.options.now(), ok, scheme });
    if (!ok) {
      throw new TlsError(
        'decrypt_error',
        `the CertificateVerify signature (${signatureSchemeName(scheme)}) does not verify ` +
          "with the certificate's key",
      );
    }
    this.transcript.add(message.raw);
    this.currentState = 'wait-finished';
  }

  /** The server's Finished: a MAC over the whole handshake, keyed from its traffic secret. */
  private handleFinished(message: HandshakeMessage): void {
    const secrets = this.secrets!;
    const hash = secrets.suite.hash;
    const expected = computeFinishedVerifyData(
      hash,
      secrets.serverHandshakeTraffic,
      this.transcriptHash(),
    );
    if (message.body.length !== expected.length) {
      throw new TlsError(
        'decode_error',
        `Finished is ${message.body.length} bytes, expected ${expected.length}`,
      );
    }
    if (!constantTimeEqual(message.body, expected)) {
      throw new TlsError('decrypt_error', 'the server Finished does not match the handshake');
    }
    this.transcript.add(message.raw);
    this.requireKeyChangeBoundary('Finished');
    const transcriptHash = this.transcriptHash();
    secrets.clientApplicationTraffic = deriveSecret(
      hash,
      secrets.master,
      LABEL_CLIENT_APPLICATION_TRAFFIC,
      transcriptHash,
    );
    secrets.serverApplicationTraffic = deriveSecret(
      hash,
      secrets.master,
      LABEL_SERVER_APPLICATION_TRAFFIC,
      transcriptHash,
    );
    this.records.setReadSecret(secrets.suite, secrets.serverApplicationTraffic);
    this.sendClientFinishedFlight(secrets);
    this.records.setWriteSecret(secrets.suite, secrets.clientApplicationTraffic);
    this.logSecret('CLIENT_TRAFFIC_SECRET_0', secrets.clientApplicationTraffic);
    this.logSecret('SERVER_TRAFFIC_SECRET_0', secrets.serverApplicationTraffic);
    this.currentState = 'connected';
    this.log({ kind: 'connected', at: this.options.now() });
    for (const data of this.writesBeforeConnected.splice(0)) this.write(data);
  }

  /** [Certificate (empty, if one was requested)], Finished, under the handshake keys. */
  private sendClientFinishedFlight(secrets: Secrets): void {
    if (this.certificateRequestContext !== undefined) {
      const certificate = encodeEmptyCertificate(this.certificateRequestContext);
      this.transcript.add(certificate);
      this.sendHandshake(certificate);
    }
    const verifyData = computeFinishedVerifyData(
      secrets.suite.hash,
      secrets.clientHandshakeTraffic,
      this.transcriptHash(),
    );
    this.sendHandshake(encodeFinished(verifyData));
  }

  /** The server rekeys its direction; if it asks, this client rekeys its own (4.6.3). */
  private handleKeyUpdate(message: HandshakeMessage): void {
    const updateRequested = parseKeyUpdate(message.body);
    this.requireKeyChangeBoundary('KeyUpdate');
    const secrets = this.secrets!;
    secrets.serverApplicationTraffic = computeNextTrafficSecret(
      secrets.suite.hash,
      secrets.serverApplicationTraffic!,
    );
    this.records.setReadSecret(secrets.suite, secrets.serverApplicationTraffic);
    if (updateRequested && !this.closeNotifySent) this.sendKeyUpdate(false);
  }

  private sendKeyUpdate(updateRequested: boolean): void {
    const secrets = this.secrets!;
    this.sendHandshake(encodeKeyUpdate(updateRequested));
    secrets.clientApplicationTraffic = computeNextTrafficSecret(
      secrets.suite.hash,
      secrets.clientApplicationTraffic!,
    );
    this.records.setWriteSecret(secrets.suite, secrets.clientApplicationTraffic);
  }

  // -------------------------------------------------------------------------------------------
  // Keys

  private deriveHandshakeSecrets(suite: CipherSuite, sharedSecret: Uint8Array): void {
    const hash = suite.hash;
    const handshakeSecret = computeHandshakeSecret(hash, computeEarlySecret(hash), sharedSecret);
    const transcriptHash = this.transcript.hash(hash);
    this.secrets = {
      suite,
      clientHandshakeTraffic: deriveSecret(
        hash,
        handshakeSecret,
        LABEL_CLIENT_HANDSHAKE_TRAFFIC,
        transcriptHash,
      ),
      serverHandshakeTraffic: deriveSecret(
        hash,
        handshakeSecret,
        LABEL_SERVER_HANDSHAKE_TRAFFIC,
        transcriptHash,
      ),
      master: computeMasterSecret(hash, handshakeSecret),
    };
    this.records.setReadSecret(suite, this.secrets.serverHandshakeTraffic);
    this.records.setWriteSecret(suite, this.secrets.clientHandshakeTraffic);
    this.logSecret('CLIENT_HANDSHAKE_TRAFFIC_SECRET', this.secrets.clientHandshakeTraffic);
    this.logSecret('SERVER_HANDSHAKE_TRAFFIC_SECRET', this.secrets.serverHandshakeTraffic);
  }

  private transcriptHash(): Uint8Array {
    return this.transcript.hash(this.secrets!.suite.hash);
  }

  /** Keys change only between records: no part of a message may wait under the old keys. */
  private requireKeyChangeBoundary(after: string): void {
    if (!this.handshakeMessages.isEmpty) {
      throw new TlsError(
        'unexpected_message',
        `handshake data followed ${after} in the same record, across a key change`,
      );
    }
  }

  /** NSS key log format: LABEL <client random> <secret>, all hex. */
  private logSecret(label: string, secret: Uint8Array): void {
    this.options.keyLog?.(`${label} ${toHex(this.clientRandom)} ${toHex(secret)}`);
  }

  // -------------------------------------------------------------------------------------------
  // Sending

  private sendClientHello(cookie: Uint8Array | undefined): void {
    const keyShare = this.keyShare!;
    const hello = encodeClientHello({
      random: this.clientRandom,
      legacySessionId: this.legacySessionId,
      cipherSuites: CIPHER_SUITES.map((suite) => suite.code),
      serverName: isIpAddress(this.options.serverName) ? undefined : this.options.serverName,
      supportedGroups: SUPPORTED_GROUPS,
      keyShares: [{ group: keyShare.group, publicKey: keyShare.publicKey }],
      signatureAlgorithms: SIGNATURE_ALGORITHMS,
      signatureAlgorithmsCert: SIGNATURE_ALGORITHMS_CERT,
      cookie,
    });
    this.transcript.add(hello);
    this.sendHandshake(hello);
  }

  private sendHandshake(message: Uint8Array): void {
    this.log({
      kind: 'sent',
      at: this.options.now(),
      message: handshakeTypeName(message[0]!),
      length: message.length,
    });
    this.sendRecord(CONTENT_TYPE_HANDSHAKE, message);
  }

  private sendRecord(contentType: number, content: Uint8Array): void {
    this.output.push(this.records.encode(contentType, content));
  }

  private sendAlert(level: number, description: number, reason: string): void {
    this.log({ kind: 'alert-sent', at: this.options.now(), alert: alertName(description), reason });
    this.sendRecord(CONTENT_TYPE_ALERT, encodeAlert({ level, description }));
  }

  private fail(error: TlsError): void {
    this.failure = error;
    this.currentState = 'failed';
    this.sendAlert(ALERT_LEVEL_FATAL, error.description, error.reason);
  }

  // -------------------------------------------------------------------------------------------
  // State

  private isHandshaking(): boolean {
    return this.currentState.startsWith('wait-');
  }

  private isReading(): boolean {
    if (this.currentState === 'failed' || this.closeNotifyReceived) return false;
    // After close() during the handshake nothing the server says can matter any more.
    return this.currentState !== 'closed' || this.secrets?.serverApplicationTraffic !== undefined;
  }

  private log(step: HandshakeStep): void {
    this.handshakeLog.push(step);
  }
}

/** Refuses extensions outside `allowed` (section 4.2): a server may only answer what was asked. */
function requireOnlyExtensions(
  extensions: Map<number, Uint8Array>,
  message: string,
  allowed: readonly number[],
): void {
  const offered = [
    EXTENSION_SERVER_NAME,
    EXTENSION_SUPPORTED_VERSIONS,
    EXTENSION_SUPPORTED_GROUPS,
    EXTENSION_KEY_SHARE,
    EXTENSION_SIGNATURE_ALGORITHMS,
    EXTENSION_SIGNATURE_ALGORITHMS_CERT,
    EXTENSION_COOKIE,
  ];
  for (const type of extensions.keys()) {
    if (allowed.includes(type)) continue;
    if (offered.includes(type)) {
      throw new TlsError(
        'illegal_parameter',
        `${extensionName(type)} is not allowed in ${message}`,
      );
    }
    throw new TlsError(
      'unsupported_extension',
      `${message} carries ${extensionName(type)}, which the client did not offer`,
    );
  }
}

/** SNI carries DNS names only, in ASCII (RFC 6066 section 3); IDNs arrive as punycode. */
function requireHostName(name: string): void {
  if (name.length === 0 || name.length > 253 || !/^[\x21-\x7e]+$/.test(name)) {
    throw new TlsError('internal_error', `"${name}" is not an ASCII host name`);
  }
}

function isIpAddress(name: string): boolean {
  return /^[0-9.]+$/.test(name) || name.includes(':');
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Compares MACs without stopping at the first difference, so timing tells nothing. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
