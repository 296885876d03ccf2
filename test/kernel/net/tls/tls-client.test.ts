import { beforeAll, describe, expect, it } from 'vitest';
import { TlsError } from '../../../../src/kernel/net/tls/alert.ts';
import { describeHandshakeStep } from '../../../../src/kernel/net/tls/handshake-log.ts';
import { TlsClient, type TlsClientOptions } from '../../../../src/kernel/net/tls/tls-client.ts';
import {
  HS_CERTIFICATE,
  HS_CERTIFICATE_VERIFY,
  HS_ENCRYPTED_EXTENSIONS,
  HS_FINISHED,
  HS_SERVER_HELLO,
  parseClientHelloForTest,
  ScriptedServer,
  type ScriptedServerOptions,
} from './support/scripted-server.ts';
import { toHex } from './support/seeded-random.ts';
import {
  makeIdentity,
  type TestIdentity,
  trustingAuthenticator,
} from './support/test-identities.ts';
import { seededRandom } from '../../../support/seeded-random';

const HOST = 'test.cotton';
const X25519 = 0x001d;
const SECP256R1 = 0x0017;
const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

let identity: TestIdentity;
let stranger: TestIdentity;

beforeAll(async () => {
  identity = await makeIdentity('ecdsa-p256', HOST);
  stranger = await makeIdentity('ecdsa-p256', HOST);
});

function makeClient(overrides: Partial<TlsClientOptions> = {}): TlsClient {
  return new TlsClient({
    serverName: HOST,
    random: seededRandom(1).bytes,
    authenticator: trustingAuthenticator([identity.certificateDer]),
    now: () => 1000,
    ...overrides,
  });
}

function makeServer(overrides: Partial<ScriptedServerOptions> = {}): ScriptedServer {
  return new ScriptedServer({
    suite: 0x1301,
    group: X25519,
    identity,
    random: seededRandom(2).bytes,
    ...overrides,
  });
}

/** Carries bytes both ways until both sides are quiet (a server that cannot parse stops). */
function pump(client: TlsClient, server: ScriptedServer, first: Uint8Array): void {
  let toServer = first;
  while (toServer.length > 0) {
    let toClient: Uint8Array;
    try {
      toClient = server.receive(toServer);
    } catch {
      return;
    }
    client.receive(toClient);
    toServer = client.takeOutput();
  }
}

function handshake(
  serverOptions: Partial<ScriptedServerOptions> = {},
  clientOptions: Partial<TlsClientOptions> = {},
): { client: TlsClient; server: ScriptedServer } {
  const client = makeClient(clientOptions);
  const server = makeServer(serverOptions);
  pump(client, server, client.start());
  return { client, server };
}

function expectFailure(client: TlsClient, alert: string, reason?: RegExp): void {
  expect(client.state).toBe('failed');
  expect(client.error).toBeInstanceOf(TlsError);
  expect(client.error!.alert).toBe(alert);
  if (reason) expect(client.error!.reason).toMatch(reason);
}

describe('ClientHello', () => {
  const hello = () => {
    const record = makeClient().start();
    expect(record[0]).toBe(22);
    return parseClientHelloForTest(record.subarray(9));
  };

  it('offers the three TLS 1.3 suites, TLS 1.3 only, x25519 then secp256r1', () => {
    const h = hello();
    expect(h.cipherSuites).toEqual([0x1301, 0x1302, 0x1303]);
    expect(toHex(h.extensions.get(43)!)).toBe('020304');
    expect(toHex(h.extensions.get(10)!)).toBe('0004001d0017');
  });

  it('sends one x25519 key share, SNI, and the signature algorithms', () => {
    const h = hello();
    expect([...h.keyShares.keys()]).toEqual([X25519]);
    expect(h.keyShares.get(X25519)!.length).toBe(32);
    expect(toHex(h.extensions.get(0)!)).toBe(`000e00000b${toHex(text(HOST))}`);
    expect(toHex(h.extensions.get(13)!)).toBe('000a04030503080408050807');
    expect(toHex(h.extensions.get(50)!)).toBe('000c040305030804080508070401');
    expect(h.extensions.has(45)).toBe(false);
    expect(h.random.length).toBe(32);
  });

  it('leaves SNI out for an IP address', () => {
    const record = makeClient({ serverName: '127.0.0.1' }).start();
    expect(parseClientHelloForTest(record.subarray(9)).extensions.has(0)).toBe(false);
  });

  it('is the same for the same seed (deterministic machine)', () => {
    expect(toHex(makeClient().start())).toBe(toHex(makeClient().start()));
  });
});

describe('full handshakes against the scripted server', () => {
  it.each([
    [0x1301, X25519],
    [0x1302, X25519],
    [0x1303, X25519],
    [0x1301, SECP256R1],
    [0x1302, SECP256R1],
    [0x1303, SECP256R1],
  ])('suite %s, group %s: connects and carries data both ways', (suite, group) => {
    const { client, server } = handshake({ suite, group });
    expect(client.state).toBe('connected');
    expect(server.clientFinishedVerified).toBe(true);
    client.write(text('ping'));
    pump(client, server, client.takeOutput());
    expect(str(server.applicationData[0]!)).toBe('ping');
    client.receive(server.applicationRecord(text('pong')));
    expect(str(client.readApplicationData())).toBe('pong');
    expect(client.readApplicationData().length).toBe(0);
  });

  it('answers a HelloRetryRequest with a secp256r1 share and echoes its cookie', () => {
    const { client, server } = handshake({
      group: SECP256R1,
      helloRetryCookie: Uint8Array.of(9, 8, 7),
    });
    expect(client.state).toBe('connected');
    expect(server.clientFinishedVerified).toBe(true);
    expect(
      client.handshakeLog.some((s) => s.kind === 'hello-retry' && s.group === 'secp256r1'),
    ).toBe(true);
    const negotiated = client.handshakeLog.find((s) => s.kind === 'negotiated');
    expect(negotiated).toMatchObject({ group: 'secp256r1', cipherSuite: 'TLS_AES_128_GCM_SHA256' });
  });

  it('accepts a message-per-byte delivery and handshake messages split over 7-byte records', () => {
    const client = makeClient();
    const server = makeServer({ recordSize: 7 });
    const flight = server.receive(client.start());
    for (const byte of flight) client.receive(Uint8Array.of(byte));
    expect(client.state).toBe('connected');
    server.receive(client.takeOutput());
    expect(server.clientFinishedVerified).toBe(true);
  });

  it('drops the compatibility change_cipher_spec but refuses one after the handshake', () => {
    const { client } = handshake({ changeCipherSpec: true });
    expect(client.state).toBe('connected');
    client.receive(Uint8Array.of(20, 3, 3, 0, 1, 1));
    expectFailure(client, 'unexpected_message');
  });

  it('answers a CertificateRequest with an empty Certificate before its Finished', () => {
    const { client, server } = handshake({ certificateRequest: true });
    expect(client.state).toBe('connected');
    expect(server.handshakeTypesReceived).toEqual([1, HS_CERTIFICATE, HS_FINISHED]);
    expect(server.clientFinishedVerified).toBe(true);
  });

  it('sends writes made during the handshake once it completes', () => {
    const client = makeClient();
    const server = makeServer();
    const hello = client.start();
    client.write(text('early bird'));
    pump(client, server, hello);
    expect(str(server.applicationData[0]!)).toBe('early bird');
  });

  it('writes SSLKEYLOGFILE lines for the four traffic secrets with the client random', () => {
    const lines: string[] = [];
    const { client } = handshake({}, { keyLog: (line) => lines.push(line) });
    expect(client.state).toBe('connected');
    expect(lines.map((l) => l.split(' ')[0])).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'SERVER_TRAFFIC_SECRET_0',
    ]);
    const random = toHex(seededRandom(1).bytes(32));
    for (const line of lines)
      expect(line).toMatch(new RegExp(`^[A-Z_0-9]+ ${random} [0-9a-f]{64}$`));
  });

  it('logs each step for the tls command', () => {
    const { client } = handshake();
    const kinds = client.handshakeLog.map((s) => s.kind);
    expect(kinds).toEqual([
      'sent',
      'received',
      'negotiated',
      'received',
      'received',
      'certificates',
      'chain-verdict',
      'received',
      'signature-verdict',
      'received',
      'sent',
      'connected',
    ]);
    const lines = client.handshakeLog.map(describeHandshakeStep);
    expect(lines[0]).toMatch(/^-> ClientHello \(\d+ bytes\)$/);
    expect(lines).toContain('certificate chain trusted');
    expect(lines).toContain('CertificateVerify (ecdsa_secp256r1_sha256) verified');
    const chain = client.handshakeLog.find((s) => s.kind === 'certificates');
    expect(chain?.kind === 'certificates' && toHex(chain.chain[0]!)).toBe(
      toHex(identity.certificateDer),
    );
  });
});

describe('post-handshake messages', () => {
  it('ignores a NewSessionTicket', () => {
    const { client, server } = handshake();
    client.receive(server.newSessionTicketRecord());
    client.receive(server.applicationRecord(text('after ticket')));
    expect(client.state).toBe('connected');
    expect(str(client.readApplicationData())).toBe('after ticket');
  });

  it('follows a server KeyUpdate and reads with the new keys', () => {
    const { client, server } = handshake();
    client.receive(server.keyUpdateRecord(false));
    client.receive(server.applicationRecord(text('new keys')));
    expect(str(client.readApplicationData())).toBe('new keys');
    expect(client.takeOutput().length).toBe(0);
  });

  it('answers a KeyUpdate with update_requested by updating its own keys', () => {
    const { client, server } = handshake();
    client.receive(server.keyUpdateRecord(true));
    client.write(text('rekeyed'));
    server.receive(client.takeOutput());
    expect(server.handshakeTypesReceived.at(-1)).toBe(24);
    expect(str(server.applicationData[0]!)).toBe('rekeyed');
  });

  it('updateKeys() asks the server to rekey too', () => {
    const { client, server } = handshake();
    client.updateKeys();
    const reply = server.receive(client.takeOutput());
    client.receive(reply);
    client.receive(server.applicationRecord(text('both rekeyed')));
    expect(str(client.readApplicationData())).toBe('both rekeyed');
  });

  it('rejects KeyUpdate with a request value other than 0 or 1', () => {
    const { client, server } = handshake();
    client.receive(server.handshakeRecord(24, Uint8Array.of(2)));
    expectFailure(client, 'illegal_parameter');
  });

  it('closes on close_notify and answers with its own', () => {
    const { client, server } = handshake();
    client.receive(server.alertRecord(1, 0));
    expect(client.state).toBe('closed');
    server.receive(client.takeOutput());
    expect(server.alertsReceived).toEqual([0]);
  });

  it('close() sends close_notify and still reads what the server sends', () => {
    const { client, server } = handshake();
    client.close();
    server.receive(client.takeOutput());
    expect(server.alertsReceived).toEqual([0]);
    client.receive(server.applicationRecord(text('last words')));
    expect(str(client.readApplicationData())).toBe('last words');
  });

  it('fails on a fatal alert from the server', () => {
    const { client, server } = handshake();
    client.receive(server.alertRecord(2, 80));
    expectFailure(client, 'internal_error');
    expect(client.error!.sentByServer).toBe(true);
  });

  it('reports a truncation when the transport closes without close_notify', () => {
    const { client } = handshake();
    client.transportClosed();
    expectFailure(client, 'unexpected_message', /without close_notify/);
  });
});

describe('servers that misbehave', () => {
  it('a TLS 1.2 ServerHello ends in protocol_version with a clear reason', () => {
    const client = makeClient();
    client.start();
    const body = [3, 3, ...new Uint8Array(32).fill(5), 0, 0xc0, 0x2f, 0];
    client.receive(Uint8Array.from([22, 3, 3, 0, body.length + 4, 2, 0, 0, body.length, ...body]));
    expectFailure(client, 'protocol_version', /chose TLS 1\.2.*only TLS 1\.3/);
    expect(Array.from(client.takeOutput())).toEqual([21, 3, 3, 0, 2, 2, 70]);
  });

  it('an untrusted certificate ends in bad_certificate, sent encrypted to the server', () => {
    const { client, server } = handshake({ identity: stranger });
    expectFailure(client, 'bad_certificate', /not one this test trusts/);
    expect(server.alertsReceived).toEqual([42]);
    expect(client.handshakeLog.find((s) => s.kind === 'chain-verdict')).toMatchObject({
      ok: false,
    });
  });

  it('a certificate for another host ends in bad_certificate', () => {
    const { client } = handshake({}, { serverName: 'other.cotton' });
    expectFailure(client, 'bad_certificate', /not valid for other\.cotton/);
  });

  it('a wrong CertificateVerify signature ends in decrypt_error', () => {
    const editMessage = (type: number, body: Uint8Array) => {
      if (type !== HS_CERTIFICATE_VERIFY) return body;
      const altered = body.slice();
      altered[altered.length - 1]! ^= 1;
      return altered;
    };
    expectFailure(handshake({ editMessage }).client, 'decrypt_error', /does not verify/);
  });

  it('an unoffered CertificateVerify scheme ends in illegal_parameter', () => {
    const editMessage = (type: number, body: Uint8Array) =>
      type === HS_CERTIFICATE_VERIFY ? Uint8Array.from([0x04, 0x01, ...body.subarray(2)]) : body;
    expectFailure(handshake({ editMessage }).client, 'illegal_parameter', /rsa_pkcs1_sha256/);
  });

  it('a wrong Finished ends in decrypt_error', () => {
    const editMessage = (type: number, body: Uint8Array) =>
      type === HS_FINISHED ? body.map((b) => b ^ 0xff) : body;
    expectFailure(handshake({ editMessage }).client, 'decrypt_error', /Finished/);
  });

  it('an unoffered cipher suite ends in illegal_parameter', () => {
    const editMessage = (type: number, body: Uint8Array) => {
      if (type !== HS_SERVER_HELLO) return body;
      const altered = body.slice();
      altered[35] = 0x13;
      altered[36] = 0x05; // TLS_AES_128_CCM_8_SHA256, not offered
      return altered;
    };
    expectFailure(handshake({ editMessage }).client, 'illegal_parameter', /not offered/);
  });

  it('an extension the client did not offer ends in unsupported_extension', () => {
    const editMessage = (type: number, body: Uint8Array) =>
      type === HS_ENCRYPTED_EXTENSIONS ? Uint8Array.of(0, 4, 0, 16, 0, 0) : body;
    expectFailure(handshake({ editMessage }).client, 'unsupported_extension', /application_layer/);
  });

  it('a lying length inside the Certificate ends in decode_error', () => {
    const editMessage = (type: number, body: Uint8Array) => {
      if (type !== HS_CERTIFICATE) return body;
      const altered = body.slice();
      altered[4] = 0xff; // the first cert_data length, now far past the end
      return altered;
    };
    expectFailure(handshake({ editMessage }).client, 'decode_error', /cert_data/);
  });

  it('handshake data after ServerHello in the same plaintext record is refused', () => {
    const client = makeClient();
    const server = makeServer();
    const flight = server.receive(client.start());
    const helloLength = (flight[3]! << 8) | flight[4]!;
    const hello = flight.subarray(5, 5 + helloLength);
    const tampered = Uint8Array.from([22, 3, 3, 0, helloLength + 1, ...hello, 8]);
    client.receive(tampered);
    expectFailure(client, 'unexpected_message', /key change/);
  });

  it('a second HelloRetryRequest ends in unexpected_message', () => {
    const client = makeClient();
    const server = makeServer({ group: SECP256R1 });
    const retry = server.receive(client.start());
    client.receive(retry);
    expect(client.state).toBe('wait-server-hello');
    client.receive(retry);
    expectFailure(client, 'unexpected_message', /second HelloRetryRequest/);
  });

  it('a handshake message out of order ends in unexpected_message', () => {
    const { client, server } = handshake();
    client.receive(server.handshakeRecord(HS_SERVER_HELLO, new Uint8Array(40)));
    expectFailure(client, 'unexpected_message', /ServerHello while expecting NewSessionTicket/);
  });

  it('the transport closing mid-handshake is an error, and later input is ignored', () => {
    const client = makeClient();
    client.start();
    client.transportClosed();
    expectFailure(client, 'unexpected_message', /during the handshake/);
    client.receive(new Uint8Array(100));
    expect(client.error!.alert).toBe('unexpected_message');
  });
});
