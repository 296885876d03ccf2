import { x25519 } from '@noble/curves/ed25519.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  computeEarlySecret,
  computeFinishedVerifyData,
  computeHandshakeSecret,
  computeMasterSecret,
  computeNextTrafficSecret,
  computeTrafficKeys,
  deriveSecret,
  hkdfExpandLabel,
  LABEL_CLIENT_APPLICATION_TRAFFIC,
  LABEL_CLIENT_HANDSHAKE_TRAFFIC,
  LABEL_DERIVED,
  LABEL_EXPORTER_MASTER,
  LABEL_RESUMPTION_MASTER,
  LABEL_SERVER_APPLICATION_TRAFFIC,
  LABEL_SERVER_HANDSHAKE_TRAFFIC,
} from '../../../../src/kernel/net/tls/key-schedule.ts';
import { Transcript } from '../../../../src/kernel/net/tls/transcript.ts';
import { RFC8448 } from './support/rfc8448-trace.ts';
import { hex, toHex } from './support/seeded-random.ts';

function transcriptOf(...messages: string[]): Uint8Array {
  const transcript = new Transcript();
  for (const message of messages) transcript.add(hex(message));
  return transcript.hash(sha256);
}

describe('TLS 1.3 key schedule against RFC 8448 section 3 (simple 1-RTT handshake)', () => {
  const t = RFC8448;
  const helloHash = transcriptOf(t.clientHello, t.serverHello);
  const serverFlightHash = transcriptOf(
    t.clientHello,
    t.serverHello,
    t.encryptedExtensions,
    t.certificate,
    t.certificateVerify,
  );
  const finishedHash = transcriptOf(
    t.clientHello,
    t.serverHello,
    t.encryptedExtensions,
    t.certificate,
    t.certificateVerify,
    t.serverFinished,
  );
  const early = computeEarlySecret(sha256);
  const handshake = computeHandshakeSecret(sha256, early, hex(t.sharedSecret));
  const master = computeMasterSecret(sha256, handshake);
  const clientHs = deriveSecret(sha256, handshake, LABEL_CLIENT_HANDSHAKE_TRAFFIC, helloHash);
  const serverHs = deriveSecret(sha256, handshake, LABEL_SERVER_HANDSHAKE_TRAFFIC, helloHash);
  const clientAp = deriveSecret(sha256, master, LABEL_CLIENT_APPLICATION_TRAFFIC, finishedHash);
  const serverAp = deriveSecret(sha256, master, LABEL_SERVER_APPLICATION_TRAFFIC, finishedHash);

  it('x25519 of the trace keys gives the trace shared secret', () => {
    expect(toHex(x25519.getPublicKey(hex(t.clientPrivateKey)))).toBe(t.clientPublicKey);
    const shared = x25519.getSharedSecret(hex(t.clientPrivateKey), hex(t.serverPublicKey));
    expect(toHex(shared)).toBe(t.sharedSecret);
  });

  it('derives the early, handshake and master secrets and the "derived" salts', () => {
    expect(toHex(early)).toBe(t.earlySecret);
    expect(toHex(deriveSecret(sha256, early, LABEL_DERIVED, sha256(new Uint8Array())))).toBe(
      t.derivedForHandshake,
    );
    expect(toHex(handshake)).toBe(t.handshakeSecret);
    expect(toHex(deriveSecret(sha256, handshake, LABEL_DERIVED, sha256(new Uint8Array())))).toBe(
      t.derivedForMaster,
    );
    expect(toHex(master)).toBe(t.masterSecret);
  });

  it('hashes the transcript ClientHello..ServerHello as the trace does', () => {
    expect(toHex(helloHash)).toBe(t.helloHash);
  });

  it('derives both handshake traffic secrets and their keys and IVs', () => {
    expect(toHex(clientHs)).toBe(t.clientHandshakeTrafficSecret);
    expect(toHex(serverHs)).toBe(t.serverHandshakeTrafficSecret);
    const server = computeTrafficKeys(sha256, serverHs, 16);
    expect([toHex(server.key), toHex(server.iv)]).toEqual([
      t.serverHandshakeKey,
      t.serverHandshakeIv,
    ]);
    const client = computeTrafficKeys(sha256, clientHs, 16);
    expect([toHex(client.key), toHex(client.iv)]).toEqual([
      t.clientHandshakeKey,
      t.clientHandshakeIv,
    ]);
  });

  it('computes both Finished verify_data values', () => {
    expect(toHex(computeFinishedVerifyData(sha256, serverHs, serverFlightHash))).toBe(
      t.serverFinishedVerifyData,
    );
    expect(t.serverFinished.endsWith(t.serverFinishedVerifyData)).toBe(true);
    expect(toHex(computeFinishedVerifyData(sha256, clientHs, finishedHash))).toBe(
      t.clientFinishedVerifyData,
    );
  });

  it('derives the application traffic secrets, keys and IVs', () => {
    expect(toHex(clientAp)).toBe(t.clientApplicationTrafficSecret);
    expect(toHex(serverAp)).toBe(t.serverApplicationTrafficSecret);
    const server = computeTrafficKeys(sha256, serverAp, 16);
    expect([toHex(server.key), toHex(server.iv)]).toEqual([
      t.serverApplicationKey,
      t.serverApplicationIv,
    ]);
    const client = computeTrafficKeys(sha256, clientAp, 16);
    expect([toHex(client.key), toHex(client.iv)]).toEqual([
      t.clientApplicationKey,
      t.clientApplicationIv,
    ]);
  });

  it('derives the exporter and resumption master secrets with the same Derive-Secret', () => {
    expect(toHex(deriveSecret(sha256, master, LABEL_EXPORTER_MASTER, finishedHash))).toBe(
      t.exporterMasterSecret,
    );
    const withClientFinished = transcriptOf(
      t.clientHello,
      t.serverHello,
      t.encryptedExtensions,
      t.certificate,
      t.certificateVerify,
      t.serverFinished,
      t.clientFinished,
    );
    expect(toHex(deriveSecret(sha256, master, LABEL_RESUMPTION_MASTER, withClientFinished))).toBe(
      t.resumptionMasterSecret,
    );
  });
});

describe('HKDF-Expand-Label', () => {
  it('builds the HkdfLabel from length, "tls13 " + label and context', () => {
    // The same value by hand: HKDF-Expand(secret, 0020 0d "tls13 derived" 20 <hash of "">, 32).
    const early = hex(RFC8448.earlySecret);
    const viaLabel = hkdfExpandLabel(sha256, early, 'derived', sha256(new Uint8Array()), 32);
    expect(toHex(viaLabel)).toBe(RFC8448.derivedForHandshake);
  });

  it('rekeys a traffic secret with "traffic upd", of the hash length for SHA-384 too', () => {
    const secret = new Uint8Array(48).fill(7);
    const next = computeNextTrafficSecret(sha384, secret);
    expect(next.length).toBe(48);
    expect(toHex(next)).toBe(
      toHex(hkdfExpandLabel(sha384, secret, 'traffic upd', new Uint8Array(), 48)),
    );
    expect(toHex(next)).not.toBe(toHex(secret));
  });
});

describe('Transcript', () => {
  it('replaces the first ClientHello by message_hash after a HelloRetryRequest (4.4.1)', () => {
    const transcript = new Transcript();
    transcript.add(hex(RFC8448.clientHello));
    transcript.replaceWithMessageHash(sha256);
    const expected = sha256(new Uint8Array([254, 0, 0, 32, ...sha256(hex(RFC8448.clientHello))]));
    expect(toHex(transcript.hash(sha256))).toBe(toHex(expected));
  });
});
