/**
 * The shell's TLS commands on a booted machine against the book's HTTPS
 * hosts (src/emu/net/tls-server): httpsget fetches example.com over TLS
 * 1.3 with its chain checked against /etc/ssl/certs, every broken host of
 * the cotton.test matrix is refused with its named reason, `tls` shows a
 * HelloRetryRequest, the trust store can be emptied, and the key log
 * fills with one line per secret.
 */
import { describe, expect, it } from 'vitest';
import type { MachineHost } from '../../../src/runtime/host/machine-host';
import { bootFromRepo, freshBookDisk } from '../../../src/runtime/node/node-host';

const plain = (text: string) => text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '');

let machine: MachineHost | null = null;
function booted(): MachineHost {
  if (!machine) {
    machine = bootFromRepo(freshBookDisk());
    machine.runUntilPrompt();
  }
  return machine;
}
const run = (line: string) => plain(booted().command(line));

describe('httpsget', () => {
  it('prints the page of example.com over TLS 1.3 with a trusted chain', () => {
    const out = run('httpsget example.com /');
    expect(out).toContain(
      'TLS 1.3, TLS_AES_128_GCM_SHA256, x25519; certificate for example.com trusted',
    );
    expect(out).toContain('HTTP 200 OK');
    expect(out).toContain('<title>Example Domain</title>');
  }, 60_000);

  it.each([
    [
      'expired',
      /certificate expired: 'CN=expired\.cotton\.test.*' expired at 20\d\d-\d\d-\d\dT.*Z \(notAfter\)/,
    ],
    ['not-yet-valid', /certificate not yet valid: .*valid only from 20\d\d.* \(notBefore\)/],
    ['wrong-host', /hostname mismatch: the certificate is for .*, not 'wrong-host\.cotton\.test'/],
    ['self-signed', /self-signed certificate: /],
    ['untrusted-root', /untrusted issuer: /],
    ['bad-signature', /bad certificate signature: /],
    ['incomplete-chain', /untrusted issuer: /],
  ])(
    'refuses %s.cotton.test and says why',
    (host, reason) => {
      const out = run(`httpsget ${host}.cotton.test /`);
      expect(out).toMatch(reason);
      expect(out).not.toContain('HTTP 200');
    },
    60_000,
  );

  it.each(['ed25519', 'p384'])(
    'accepts %s.cotton.test',
    (host) => {
      expect(run(`httpsget ${host}.cotton.test /`)).toContain('HTTP 200 OK');
    },
    60_000,
  );
});

describe('tls', () => {
  it('prints each handshake step, the chain with dates, and the verdict', () => {
    const out = run('tls example.com');
    expect(out).toMatch(/-> ClientHello \(\d+ bytes\)/);
    expect(out).toMatch(/<- ServerHello/);
    expect(out).toContain('negotiated TLS 1.3, TLS_AES_128_GCM_SHA256, key exchange x25519');
    expect(out).toMatch(/0: subject CN=example\.com/);
    expect(out).toMatch(/valid {3}2025-01-01T00:00:00Z \.\. 2035-01-01T00:00:00Z/);
    expect(out).toContain('certificate chain trusted');
    expect(out).toContain('verdict: trusted');
  }, 60_000);

  it('refuses a server name too long for a host name, and the shell goes on', () => {
    expect(run(`tls --connect 93.184.215.14 ${'x'.repeat(250)}.com`)).toMatch(
      /verdict: REFUSED - "x+\.com" is not an ASCII host name/,
    );
    expect(run('tls example.com')).toContain('verdict: trusted');
  }, 60_000);

  it('shows the HelloRetryRequest of hello-retry.cotton.test', () => {
    const out = run('tls hello-retry.cotton.test');
    expect(out).toMatch(/server asked to retry with a \S+ key share/);
    expect(out.match(/-> ClientHello/g)).toHaveLength(2);
    expect(out).toContain('verdict: trusted');
  }, 60_000);

  it('refuses everything once the root is moved away, and trusts again when it is back', () => {
    expect(run('tlsroots')).toContain('1 trusted root(s)');
    run('mv /etc/ssl/certs/cotton-book-root.pem /root.pem');
    expect(run('tlsroots')).toContain('0 trusted root(s)');
    expect(run('tls example.com')).toMatch(/verdict: REFUSED - untrusted issuer/);
    run('mv /root.pem /etc/ssl/certs/cotton-book-root.pem');
    expect(run('tls example.com')).toContain('verdict: trusted');
  }, 60_000);
});

describe('tlskeylog', () => {
  it('appends the secrets of each connection in SSLKEYLOGFILE format', () => {
    expect(run('tlskeylog')).toContain('TLS key log: off');
    expect(run('tlskeylog on')).toContain('appending to /var/log/tls-keys.log');
    run('httpsget example.com /');
    const log = run('cat /var/log/tls-keys.log');
    for (const label of [
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'SERVER_TRAFFIC_SECRET_0',
    ]) {
      expect(log).toMatch(new RegExp(`${label} [0-9a-f]{64} [0-9a-f]{64}`));
    }
    expect(run('tlskeylog off')).toContain('TLS key log: off');
  }, 60_000);
});
