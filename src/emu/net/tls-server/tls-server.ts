/**
 * A TLS 1.3 server (RFC 8446) for the virtual network's HTTPS hosts: the server side of the
 * handshake of §2, without session resumption, 0-RTT or client certificates:
 *
 *   ClientHello  -->                      [HelloRetryRequest, if no share fits  -->
 *                                     <--  ClientHello with the asked-for share]
 *                <--  ServerHello, {EncryptedExtensions, Certificate, CertificateVerify, Finished}
 *   {Finished}   -->
 *   [Application data]  <-->  [Application data]
 *
 * It is independent of the kernel's TLS client on purpose: the client is tested against this
 * server and against OpenSSL, and this server against OpenSSL too, so a misreading of the RFC
 * shared by both sides would show. Like the client it is "sans-I/O": `receive()` takes the
 * client's bytes in any pieces, `takeOutput()` returns the records to send, and the caller
 * (tls-service.ts) moves them over a TCP connection. Randomness comes from the caller (the
 * network's seeded generator), so a run replays exactly.
 *
 * Whatever the client sends that is wrong ends in the matching fatal alert (a `TlsAlert` from
 * the parsers or from here) and state 'failed'; an alert from the client ends it too.
 */
import { concatBytes } from '../bytes';
import { CIPHER_SUITES, type CipherSuite, cipherSuite } from './cipher-suites';
import {
  type ClientHello,
  type KeyShareEntry,
  parseClientHello,
  RANDOM_LENGTH,
} from './client-hello';
import { type HandshakeMessage, HandshakeReassembler } from './handshake-reassembler';
import { agreeOnKey, groupName, SERVER_GROUPS } from './key-exchange';
import {
  deriveSecret,
  finishedVerifyData,
  handshakeSecret,
  LABEL_CLIENT_APPLICATION_TRAFFIC,
  LABEL_CLIENT_HANDSHAKE_TRAFFIC,
  LABEL_SERVER_APPLICATION_TRAFFIC,
  LABEL_SERVER_HANDSHAKE_TRAFFIC,
  masterSecret,
  nextTrafficSecret,
} from './key-schedule';
import { RecordLayer, type TlsRecord } from './record-layer';
import { type ServerIdentity, SIGNATURE_SCHEMES, signWithIdentity } from './server-identity';
import {
  certificateVerifyContent,
  encodeCertificate,
  encodeCertificateVerify,
  encodeEncryptedExtensions,
  encodeFinished,
  encodeKeyUpdate,
  encodeMessageHash,
  encodeServerHello,
  HELLO_RETRY_REQUEST_RANDOM,
} from './server-messages';
import {
  ALERT_DESCRIPTIONS,
  ALERT_LEVEL_FATAL,
  ALERT_LEVEL_WARNING,
  alertName,
  encodeAlert,
  parseAlert,
  TlsAlert,
} from './tls-alert';
import {
  CONTENT_TYPE_ALERT,
  CONTENT_TYPE_APPLICATION_DATA,
  CONTENT_TYPE_CHANGE_CIPHER_SPEC,
  CONTENT_TYPE_HANDSHAKE,
  HANDSHAKE_CLIENT_HELLO,
  HANDSHAKE_FINISHED,
  HANDSHAKE_KEY_UPDATE,
  KEY_UPDATE_NOT_REQUESTED,
  KEY_UPDATE_REQUESTED,
  TLS_1_3,
} from './tls-registry';

export type TlsServerState =
  | 'wait-client-hello'
  | 'wait-second-client-hello'
  | 'wait-finished'
  | 'connected'
  | 'closed'
  | 'failed';

export interface TlsServerOptions {
  readonly identity: ServerIdentity;
  /** The network's seeded random source: `length` bytes per call. */
  readonly random: (length: number) => Uint8Array;
  /** Cipher suite codes in order of preference (default: all three, AES-128-GCM first). */
  readonly cipherSuites?: readonly number[];
  /** Groups in order of preference (default: x25519, secp256r1); one alone can force a retry. */
  readonly groups?: readonly number[];
  /** Receives SSLKEYLOGFILE lines, so that Wireshark can decrypt a capture of the network. */
  readonly keyLog?: (line: string) => void;
}

/** How a connection ended badly: the alert, why, and which side sent it. */
export interface TlsFailure {
  readonly alert: string;
  readonly reason: string;
  readonly sentBy: 'server' | 'client';
}

export interface TlsNegotiation {
  readonly cipherSuite: string;
  readonly group: string;
  readonly signatureScheme: number;
  readonly helloRetry: boolean;
}

/** What the connection keeps from the handshake once it has sent its Finished. */
interface Secrets {
  readonly suite: CipherSuite;
  readonly expectedClientFinished: Uint8Array;
  clientApplicationTraffic: Uint8Array;
  serverApplicationTraffic: Uint8Array;
}

/** A change_cipher_spec record holds this one byte (§5; sent only for compatibility, §D.4). */
const CHANGE_CIPHER_SPEC = Uint8Array.of(1);

export class TlsServer {
  private currentState: TlsServerState = 'wait-client-hello';
  private failureRecord: TlsFailure | undefined;
  private negotiation: TlsNegotiation | undefined;
  private readonly records = new RecordLayer();
  private readonly handshakeMessages = new HandshakeReassembler();
  private readonly transcript: Uint8Array[] = [];
  private readonly output: Uint8Array[] = [];
  private readonly applicationData: Uint8Array[] = [];
  private readonly suites: readonly CipherSuite[];
  private readonly groups: readonly number[];
  private helloRetry: { suite: CipherSuite; group: number } | undefined;
  private clientRandom: Uint8Array = new Uint8Array(0);
  private compatibilityChangeCipherSpecSent = false;
  private secrets: Secrets | undefined;
  private closeNotifyReceived = false;
  /** The client's Finished has been checked: application data may flow. */
  private handshakeComplete = false;

  constructor(private readonly options: TlsServerOptions) {
    const codes = options.cipherSuites ?? CIPHER_SUITES.map((suite) => suite.code);
    this.suites = codes.map((code) => {
      const suite = cipherSuite(code);
      if (!suite) throw new RangeError(`no cipher suite 0x${code.toString(16)}`);
      return suite;
    });
    this.groups = options.groups ?? SERVER_GROUPS;
    const unknownGroup = this.groups.find((group) => !SERVER_GROUPS.includes(group));
    if (unknownGroup !== undefined)
      throw new RangeError(`no key exchange for ${groupName(unknownGroup)}`);
  }

  get state(): TlsServerState {
    return this.currentState;
  }

  /** Why the connection failed, once `state` is 'failed'. */
  get failure(): TlsFailure | undefined {
    return this.failureRecord;
  }

  /** The suite, group and signature scheme, once the ServerHello is sent. */
  get negotiated(): TlsNegotiation | undefined {
    return this.negotiation;
  }

  /** The client sent close_notify: it will send nothing more. */
  get peerClosed(): boolean {
    return this.closeNotifyReceived;
  }

  /** Bytes from the client, in any pieces. A fault ends in state 'failed', never in a throw. */
  receive(bytes: Uint8Array): void {
    if (!this.isReading()) return;
    try {
      this.records.receive(bytes);
      while (this.isReading()) {
        const record = this.records.nextRecord();
        if (!record) return;
        this.handleRecord(record);
      }
    } catch (error) {
      if (!(error instanceof TlsAlert)) throw error;
      this.fail(error);
    }
  }

  /** Records to send to the client, taken once. */
  takeOutput(): Uint8Array {
    return concatBytes(this.output.splice(0));
  }

  /** Application data from the client so far, taken once. */
  readApplicationData(): Uint8Array {
    return concatBytes(this.applicationData.splice(0));
  }

  /** Sends application data; dropped unless connected (handshake complete, not closed). */
  write(data: Uint8Array): void {
    if (this.currentState === 'connected') this.sendRecord(CONTENT_TYPE_APPLICATION_DATA, data);
  }

  /** Sends close_notify (§6.1): the server will send nothing more. */
  close(): void {
    if (this.currentState === 'failed' || this.currentState === 'closed') return;
    this.sendAlert(ALERT_LEVEL_WARNING, ALERT_DESCRIPTIONS.close_notify);
    this.currentState = 'closed';
  }

  // -------------------------------------------------------------------------------------------
  // Records

  private handleRecord(record: TlsRecord): void {
    const { contentType, content, wasProtected } = record;
    if (contentType === CONTENT_TYPE_CHANGE_CIPHER_SPEC) return this.dropChangeCipherSpec(record);
    if (contentType !== CONTENT_TYPE_HANDSHAKE && !this.handshakeMessages.isEmpty) {
      throw new TlsAlert('unexpected_message', 'a record interrupted a split handshake message');
    }
    if (contentType === CONTENT_TYPE_ALERT) {
      // Before it has the server's keys a failing client can only send its alert in plaintext.
      if (!wasProtected && this.handshakeComplete) {
        throw new TlsAlert('unexpected_message', 'a plaintext alert after the handshake');
      }
      return this.handleAlert(content);
    }
    if (contentType === CONTENT_TYPE_HANDSHAKE) {
      if (wasProtected !== this.records.isReadProtected || content.length === 0) {
        throw new TlsAlert('unexpected_message', 'a handshake record out of place or empty');
      }
      return this.handleHandshakeRecord(content);
    }
    if (!wasProtected || !this.handshakeComplete) {
      throw new TlsAlert('unexpected_message', 'application data before the handshake finished');
    }
    this.applicationData.push(content);
  }

  /** A client in compatibility mode sends a plaintext change_cipher_spec, meaning nothing (§5). */
  private dropChangeCipherSpec({ content, wasProtected }: TlsRecord): void {
    const wellFormed = content.length === 1 && content[0] === CHANGE_CIPHER_SPEC[0];
    const afterClientHello = this.isHandshaking() && this.currentState !== 'wait-client-hello';
    if (wasProtected || !wellFormed || !afterClientHello) {
      throw new TlsAlert('unexpected_message', 'change_cipher_spec outside the handshake');
    }
  }

  private handleAlert(content: Uint8Array): void {
    const { description } = parseAlert(content);
    if (description === ALERT_DESCRIPTIONS.user_canceled) return;
    if (description === ALERT_DESCRIPTIONS.close_notify && !this.isHandshaking()) {
      this.closeNotifyReceived = true;
      return;
    }
    const name = alertName(description);
    this.end(name, `the client sent the alert ${name}`, 'client');
  }

  private handleHandshakeRecord(content: Uint8Array): void {
    this.handshakeMessages.push(content);
    while (this.isReading()) {
      const message = this.handshakeMessages.next();
      if (!message) return;
      this.handleHandshakeMessage(message);
    }
  }

  private handleHandshakeMessage(message: HandshakeMessage): void {
    const state = this.currentState;
    const awaitingHello = state === 'wait-client-hello' || state === 'wait-second-client-hello';
    if (message.type === HANDSHAKE_CLIENT_HELLO && awaitingHello) {
      return this.handleClientHello(message);
    }
    if (message.type === HANDSHAKE_FINISHED && state === 'wait-finished') {
      return this.handleClientFinished(message);
    }
    if (message.type === HANDSHAKE_KEY_UPDATE && this.handshakeComplete) {
      return this.handleKeyUpdate(message);
    }
    throw new TlsAlert(
      'unexpected_message',
      `handshake message type ${message.type} in state ${state}`,
    );
  }

  // -------------------------------------------------------------------------------------------
  // ClientHello: choosing what to speak, or asking for another key share

  private handleClientHello(message: HandshakeMessage): void {
    const hello = parseClientHello(message.body);
    this.requireKeyChangeBoundary('ClientHello');
    if (!hello.supportedVersions?.includes(TLS_1_3)) {
      throw new TlsAlert(
        'protocol_version',
        'the client does not offer TLS 1.3, the only version spoken here',
      );
    }
    const suite = this.chooseSuite(hello);
    const signatureScheme = SIGNATURE_SCHEMES[this.options.identity.keyAlgorithm];
    if (!hello.signatureAlgorithms) {
      throw new TlsAlert('missing_extension', 'no signature_algorithms in the ClientHello');
    }
    if (!hello.signatureAlgorithms.includes(signatureScheme)) {
      throw new TlsAlert(
        'handshake_failure',
        "the client accepts no signature this server's key can make",
      );
    }
    const share = this.chooseKeyShare(hello);
    if (share) return this.sendServerFlight(message, hello, suite, share, signatureScheme);
    const group = this.groups.find((candidate) => hello.supportedGroups!.includes(candidate));
    if (group === undefined)
      throw new TlsAlert('handshake_failure', 'no key exchange group in common');
    this.sendHelloRetryRequest(message, hello, suite, group);
  }

  /** The server's first preference the client offers; after a retry, the one already chosen. */
  private chooseSuite(hello: ClientHello): CipherSuite {
    const retry = this.helloRetry;
    if (retry) {
      if (!hello.cipherSuites.includes(retry.suite.code)) {
        throw new TlsAlert('illegal_parameter', 'the second ClientHello dropped the chosen suite');
      }
      return retry.suite;
    }
    const suite = this.suites.find((candidate) => hello.cipherSuites.includes(candidate.code));
    if (!suite) throw new TlsAlert('handshake_failure', 'no cipher suite in common');
    return suite;
  }

  /**
   * The client's share for the server's most preferred group it sent one for; undefined when a
   * HelloRetryRequest must ask for one. After a retry, exactly the group asked for (§4.1.2).
   */
  private chooseKeyShare(hello: ClientHello): KeyShareEntry | undefined {
    const { supportedGroups, keyShares } = hello;
    if (!supportedGroups || !keyShares) {
      throw new TlsAlert(
        'missing_extension',
        'a ClientHello needs both supported_groups and key_share',
      );
    }
    if (keyShares.some((share) => !supportedGroups.includes(share.group))) {
      throw new TlsAlert('illegal_parameter', 'a key share for a group not in supported_groups');
    }
    const retry = this.helloRetry;
    if (retry) {
      const share = keyShares.find((candidate) => candidate.group === retry.group);
      if (!share || keyShares.length !== 1) {
        throw new TlsAlert(
          'illegal_parameter',
          `the second ClientHello lacks the ${groupName(retry.group)} share asked for`,
        );
      }
      return share;
    }
    for (const group of this.groups) {
      const share = keyShares.find((candidate) => candidate.group === group);
      if (share) return share;
    }
    return undefined;
  }

  /** HelloRetryRequest (§4.1.4); the transcript restarts from the first ClientHello's hash. */
  private sendHelloRetryRequest(
    message: HandshakeMessage,
    hello: ClientHello,
    suite: CipherSuite,
    group: number,
  ): void {
    this.helloRetry = { suite, group };
    this.clientRandom = hello.random;
    const retryRequest = encodeServerHello({
      random: HELLO_RETRY_REQUEST_RANDOM,
      legacySessionIdEcho: hello.legacySessionId,
      cipherSuite: suite.code,
      keyShare: { selectedGroup: group },
    });
    this.transcript.push(encodeMessageHash(suite.hash(message.raw)), retryRequest);
    this.sendRecord(CONTENT_TYPE_HANDSHAKE, retryRequest);
    this.sendCompatibilityChangeCipherSpec(hello);
    this.currentState = 'wait-second-client-hello';
  }

  /**
   * ServerHello in plaintext; then, under the server's handshake keys, EncryptedExtensions,
   * Certificate, CertificateVerify and Finished, in one flight; then the application keys.
   */
  private sendServerFlight(
    message: HandshakeMessage,
    hello: ClientHello,
    suite: CipherSuite,
    share: KeyShareEntry,
    signatureScheme: number,
  ): void {
    const sharedSecret = this.sendServerHello(message, hello, suite, share);
    this.negotiation = {
      cipherSuite: suite.name,
      group: groupName(share.group),
      signatureScheme,
      helloRetry: this.helloRetry !== undefined,
    };
    const hash = suite.hash;
    const handshake = handshakeSecret(hash, sharedSecret);
    const helloHash = this.transcriptHash(suite);
    const clientTraffic = deriveSecret(hash, handshake, LABEL_CLIENT_HANDSHAKE_TRAFFIC, helloHash);
    const serverTraffic = deriveSecret(hash, handshake, LABEL_SERVER_HANDSHAKE_TRAFFIC, helloHash);
    this.records.setReadSecret(suite, clientTraffic);
    this.records.setWriteSecret(suite, serverTraffic);
    this.logSecret('CLIENT_HANDSHAKE_TRAFFIC_SECRET', clientTraffic);
    this.logSecret('SERVER_HANDSHAKE_TRAFFIC_SECRET', serverTraffic);
    this.sendAuthentication(suite, signatureScheme, serverTraffic);

    const master = masterSecret(hash, handshake);
    const finishedHash = this.transcriptHash(suite);
    this.secrets = {
      suite,
      expectedClientFinished: finishedVerifyData(hash, clientTraffic, finishedHash),
      clientApplicationTraffic: deriveSecret(
        hash,
        master,
        LABEL_CLIENT_APPLICATION_TRAFFIC,
        finishedHash,
      ),
      serverApplicationTraffic: deriveSecret(
        hash,
        master,
        LABEL_SERVER_APPLICATION_TRAFFIC,
        finishedHash,
      ),
    };
    this.records.setWriteSecret(suite, this.secrets.serverApplicationTraffic);
    this.logSecret('CLIENT_TRAFFIC_SECRET_0', this.secrets.clientApplicationTraffic);
    this.logSecret('SERVER_TRAFFIC_SECRET_0', this.secrets.serverApplicationTraffic);
    this.currentState = 'wait-finished';
  }

  /** The ServerHello with the server's key share; returns the shared secret. */
  private sendServerHello(
    message: HandshakeMessage,
    hello: ClientHello,
    suite: CipherSuite,
    share: KeyShareEntry,
  ): Uint8Array {
    const { random } = this.options;
    const serverRandom = random(RANDOM_LENGTH);
    const agreement = agreeOnKey(share.group, share.keyExchange, random);
    const serverHello = encodeServerHello({
      random: serverRandom,
      legacySessionIdEcho: hello.legacySessionId,
      cipherSuite: suite.code,
      keyShare: { group: share.group, publicKey: agreement.serverPublicKey },
    });
    if (!this.helloRetry) this.clientRandom = hello.random;
    this.transcript.push(message.raw, serverHello);
    this.sendRecord(CONTENT_TYPE_HANDSHAKE, serverHello);
    this.sendCompatibilityChangeCipherSpec(hello);
    return agreement.sharedSecret;
  }

  /** EncryptedExtensions, Certificate, CertificateVerify and Finished, each in the transcript. */
  private sendAuthentication(
    suite: CipherSuite,
    signatureScheme: number,
    serverHandshakeTraffic: Uint8Array,
  ): void {
    const { identity } = this.options;
    const flight: Uint8Array[] = [];
    const add = (message: Uint8Array) => {
      flight.push(message);
      this.transcript.push(message);
    };
    add(encodeEncryptedExtensions());
    add(encodeCertificate(identity.chain));
    const signedContent = certificateVerifyContent(this.transcriptHash(suite));
    add(encodeCertificateVerify(signatureScheme, signWithIdentity(identity, signedContent)));
    const verifyData = finishedVerifyData(
      suite.hash,
      serverHandshakeTraffic,
      this.transcriptHash(suite),
    );
    add(encodeFinished(verifyData));
    this.sendRecord(CONTENT_TYPE_HANDSHAKE, concatBytes(flight));
  }

  /** In compatibility mode (a session id was sent) the server's first flight has a CCS (§D.4). */
  private sendCompatibilityChangeCipherSpec(hello: ClientHello): void {
    if (hello.legacySessionId.length === 0 || this.compatibilityChangeCipherSpecSent) return;
    this.compatibilityChangeCipherSpecSent = true;
    this.sendRecord(CONTENT_TYPE_CHANGE_CIPHER_SPEC, CHANGE_CIPHER_SPEC);
  }

  // -------------------------------------------------------------------------------------------
  // After the server's flight

  /** The client's Finished proves it saw the same handshake (§4.4.4). */
  private handleClientFinished(message: HandshakeMessage): void {
    const secrets = this.secrets!;
    if (message.body.length !== secrets.expectedClientFinished.length) {
      throw new TlsAlert('decode_error', `a Finished of ${message.body.length} bytes`);
    }
    if (!constantTimeEqual(message.body, secrets.expectedClientFinished)) {
      throw new TlsAlert('decrypt_error', 'the client Finished does not match the handshake');
    }
    this.requireKeyChangeBoundary('Finished');
    this.records.setReadSecret(secrets.suite, secrets.clientApplicationTraffic);
    this.handshakeComplete = true;
    this.currentState = 'connected';
  }

  /** The client rekeys its direction; if it asks, the server rekeys its own (§4.6.3). */
  private handleKeyUpdate(message: HandshakeMessage): void {
    if (message.body.length !== 1) throw new TlsAlert('decode_error', 'a KeyUpdate is one byte');
    const request = message.body[0]!;
    if (request !== KEY_UPDATE_NOT_REQUESTED && request !== KEY_UPDATE_REQUESTED) {
      throw new TlsAlert('illegal_parameter', `KeyUpdate request ${request}`);
    }
    this.requireKeyChangeBoundary('KeyUpdate');
    const secrets = this.secrets!;
    const hash = secrets.suite.hash;
    secrets.clientApplicationTraffic = nextTrafficSecret(hash, secrets.clientApplicationTraffic);
    this.records.setReadSecret(secrets.suite, secrets.clientApplicationTraffic);
    if (request !== KEY_UPDATE_REQUESTED || this.currentState !== 'connected') return;
    this.sendRecord(CONTENT_TYPE_HANDSHAKE, encodeKeyUpdate(KEY_UPDATE_NOT_REQUESTED));
    secrets.serverApplicationTraffic = nextTrafficSecret(hash, secrets.serverApplicationTraffic);
    this.records.setWriteSecret(secrets.suite, secrets.serverApplicationTraffic);
  }

  /** Keys change only between records: no part of a message may wait under the old keys (§5.1). */
  private requireKeyChangeBoundary(after: string): void {
    if (!this.handshakeMessages.isEmpty) {
      throw new TlsAlert(
        'unexpected_message',
        `handshake data followed ${after} in the same record`,
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // Sending and ending

  private transcriptHash(suite: CipherSuite): Uint8Array {
    return suite.hash(concatBytes(this.transcript));
  }

  private sendRecord(contentType: number, content: Uint8Array): void {
    this.output.push(this.records.encode(contentType, content));
  }

  private sendAlert(level: number, description: number): void {
    this.sendRecord(CONTENT_TYPE_ALERT, encodeAlert(level, description));
  }

  private fail(error: TlsAlert): void {
    this.sendAlert(ALERT_LEVEL_FATAL, ALERT_DESCRIPTIONS[error.alert]);
    this.end(error.alert, error.reason, 'server');
  }

  private end(alert: string, reason: string, sentBy: TlsFailure['sentBy']): void {
    this.failureRecord = { alert, reason, sentBy };
    this.currentState = 'failed';
  }

  /** NSS key log format: LABEL <client random> <secret>, in hex. */
  private logSecret(label: string, secret: Uint8Array): void {
    this.options.keyLog?.(`${label} ${toHex(this.clientRandom)} ${toHex(secret)}`);
  }

  private isHandshaking(): boolean {
    return this.currentState.startsWith('wait-');
  }

  private isReading(): boolean {
    return this.currentState !== 'failed' && !this.closeNotifyReceived;
  }
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
