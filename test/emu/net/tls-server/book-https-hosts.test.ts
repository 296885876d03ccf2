// The book's HTTPS hosts, end to end: the test guest's TCP through the virtual network to each
// host's port 443, the kernel's TLS client on top with the kernel's certificate validation and
// the book's trust store. Good hosts serve their page; each broken host is refused with the
// failure its name promises, and validateChain gives that failure for the chain it sends.

import { describe, expect, it } from 'vitest';
import { DEFAULT_START_TIME } from '../../../../src/emu/machine';
import { EXAMPLE_PAGE } from '../../../../src/emu/net/book-sites';
import { BOOK_HTTPS_HOSTS, HTTPS_PORT } from '../../../../src/emu/net/tls-server/book-https-hosts';
import type { TlsClient } from '../../../../src/kernel/net/tls/tls-client';
import { parseCertificate, parsePem, validateChain } from '../../../../src/kernel/net/pki/index';
import { TestGuest } from '../test-guest';
import { bookIdentity, makeClient, str, text, TRUST_STORE_PEM } from './support';

/** The verdict each host's certificate must get for its own name (null: valid). */
const EXPECTED_FAILURE: Record<string, string | null> = {
  'example.com': null,
  'valid.cotton.test': null,
  'expired.cotton.test': 'expired',
  'not-yet-valid.cotton.test': 'not-yet-valid',
  'wrong-host.cotton.test': 'hostname-mismatch',
  'self-signed.cotton.test': 'self-signed',
  'untrusted-root.cotton.test': 'unknown-issuer',
  'bad-signature.cotton.test': 'bad-signature',
  'incomplete-chain.cotton.test': 'unknown-issuer',
  'ed25519.cotton.test': null,
  'p384.cotton.test': null,
  'hello-retry.cotton.test': null,
};

/** A TLS client over the guest's TCP to `address`:443 asks for `/` with Connection: close. */
function httpsGet(
  guest: TestGuest,
  address: string,
  serverName: string,
): { tls: TlsClient; response: string; serverFinished: boolean } {
  const tcp = guest.connect(address, HTTPS_PORT);
  const tls = makeClient(serverName);
  expect(guest.runUntil(() => tcp.state === 'ESTABLISHED', 5_000)).toBe(true);
  tcp.send(tls.start());
  tls.write(text(`GET / HTTP/1.1\r\nHost: ${serverName}\r\nConnection: close\r\n\r\n`));
  let consumed = 0;
  let response = '';
  guest.runUntil(() => {
    const data = tcp.data;
    if (data.length > consumed) {
      tls.receive(data.subarray(consumed));
      consumed = data.length;
      response += str(tls.readApplicationData());
      const output = tls.takeOutput();
      if (output.length > 0) tcp.send(output);
    }
    if (tcp.peerFin && tls.state !== 'failed') tls.transportClosed();
    return tcp.peerFin || tcp.reset;
  }, 30_000);
  return { tls, response, serverFinished: tcp.peerFin };
}

describe('the book HTTPS hosts', () => {
  it('has a test verdict for every host, and every host in the DNS zone', () => {
    expect(BOOK_HTTPS_HOSTS.map((host) => host.name).sort()).toEqual(
      Object.keys(EXPECTED_FAILURE).sort(),
    );
  });

  for (const host of BOOK_HTTPS_HOSTS) {
    const expected = EXPECTED_FAILURE[host.name];
    const outcome = expected ? `is refused: ${expected}` : 'serves its page';
    it(`${host.name} (${host.address}) ${outcome}`, () => {
      const guest = new TestGuest();
      const { tls, response, serverFinished } = httpsGet(guest, host.address, host.name);
      expect(serverFinished).toBe(true);
      if (expected) {
        expect(tls.state).toBe('failed');
        expect(tls.error?.alert).toBe('bad_certificate');
        expect(tls.error?.reason.startsWith(`${expected}:`)).toBe(true);
        expect(response).toBe('');
        return;
      }
      expect(tls.error).toBeUndefined();
      expect(tls.state).toBe('closed');
      expect(response.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
      expect(response).toContain(host.name === 'example.com' ? EXAMPLE_PAGE : host.name);
      const retried = tls.handshakeLog.some((step) => step.kind === 'hello-retry');
      expect(retried).toBe(host.name === 'hello-retry.cotton.test');
    });
  }

  it('www.example.com gets the example.com certificate, which names it', () => {
    const guest = new TestGuest();
    const address = BOOK_HTTPS_HOSTS.find((host) => host.name === 'example.com')!.address;
    const { tls, response } = httpsGet(guest, address, 'www.example.com');
    expect(tls.error).toBeUndefined();
    expect(response).toContain('Example Domain');
  });

  describe('validateChain on the chain each host sends, at the machine start time', () => {
    const roots = parsePem(TRUST_STORE_PEM).map((der) => parseCertificate(der));
    for (const host of BOOK_HTTPS_HOSTS) {
      const expected = EXPECTED_FAILURE[host.name];
      it(`${host.name}: ${expected ?? 'ok'}`, () => {
        const chain = [...bookIdentity(host.certificate).chain];
        const verdict = validateChain(chain, {
          serverName: host.name,
          now: DEFAULT_START_TIME,
          roots,
        });
        expect(verdict.ok ? null : verdict.failure).toBe(expected);
      });
    }
  });

  it('two networks with the same seed send the same bytes', () => {
    const run = () => {
      const guest = new TestGuest();
      const captured: number[] = [];
      guest.network.capture((bytes) => captured.push(...bytes));
      httpsGet(guest, BOOK_HTTPS_HOSTS[0]!.address, 'example.com');
      return Uint8Array.from(captured);
    };
    expect(run()).toEqual(run());
  });
});
