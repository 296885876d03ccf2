/**
 * The kernel's TLS against another implementation: Node's OpenSSL
 * (https.createServer), forwarded into the virtual network with
 * --net-forward's machinery (cli/net-bridge.ts), serving the fixtures'
 * example.com chain, which the book disk's root (the fixtures' root)
 * vouches for. Every cipher suite and key exchange group the client offers
 * is tried alone, and a page comes back through each; a server that only
 * takes P-256 makes the client retry after a HelloRetryRequest.
 *
 * Then a capture: the machine's traffic as a pcap (pc.network.capture) and
 * its key log let tshark decrypt the HTTP request inside TLS.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyNetForwards, parseNetForward } from '../../../src/cli/net-bridge';
import type { CottonPC } from '../../../src/emu/machine';
import { OSC133_PROMPT_END, type MachineHost } from '../../../src/runtime/host/machine-host';
import { bootFromRepo, freshBookDisk } from '../../../src/runtime/node/node-host';

const plain = (text: string) => text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '');
const FIXTURES = join(__dirname, '../../fixtures/pki');
const TSHARK = process.env.TSHARK ?? '/usr/bin/tshark';
const FORWARDED = '10.0.2.100';

const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const GROUPS = [
  { openssl: 'X25519', name: 'x25519' },
  { openssl: 'P-256', name: 'secp256r1' },
];

/** An OpenSSL TLS 1.3 server for example.com on 127.0.0.1, forwarded to FORWARDED:443. */
async function withServer(
  options: ServerOptions,
  body: (onPowerOn: (pc: CottonPC) => void) => Promise<void>,
): Promise<void> {
  const server = createServer(
    {
      key: readFileSync(join(FIXTURES, 'example.com.key.pem')),
      cert: readFileSync(join(FIXTURES, 'example.com.chain.pem')),
      minVersion: 'TLSv1.3',
      ...options,
    },
    (request, response) => {
      response.setHeader('Content-Type', 'text/plain');
      const cipher = (request.socket as TLSSocket).getCipher().name;
      response.end(`hello over OpenSSL ${cipher}, ${request.url}\n`);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const forward = parseNetForward(`${FORWARDED}:443=127.0.0.1:${port}`);
  try {
    await body((pc) => applyNetForwards(pc.network, [forward]));
  } finally {
    server.close();
  }
}

function boot(onPowerOn: (pc: CottonPC) => void): MachineHost {
  const host = bootFromRepo({ ...freshBookDisk(), onPowerOn });
  host.runUntilPrompt();
  return host;
}

/** Run the machine in slices, letting Node's event loop run between them, until a prompt. */
async function commandAsync(host: MachineHost, line: string): Promise<string> {
  const start = host.output.length;
  host.type(`${line}\r`);
  const deadline = host.machine.clock.now + 30_000 * 1e6;
  while (!host.output.includes(OSC133_PROMPT_END, start)) {
    if (host.machine.clock.now > deadline) throw new Error(`no prompt after ${line}`);
    host.runUntil(host.machine.clock.now + 1e6);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return plain(host.output.slice(start));
}

describe('the kernel against OpenSSL', () => {
  for (const suite of SUITES) {
    for (const group of GROUPS) {
      it(`fetches a page with ${suite} and ${group.name}`, async () => {
        await withServer({ ciphers: suite, ecdhCurve: group.openssl }, async (onPowerOn) => {
          const host = boot(onPowerOn);
          const out = await commandAsync(host, `httpsget --connect ${FORWARDED} example.com /x`);
          expect(out).toContain(`TLS 1.3, ${suite}, ${group.name}; certificate for example.com`);
          expect(out).toContain('HTTP 200 OK');
          expect(out).toContain(`hello over OpenSSL ${suite}, /x`);
        });
      }, 60_000);
    }
  }

  it('retries after a HelloRetryRequest from a server that takes only P-256', async () => {
    await withServer({ ecdhCurve: 'P-256' }, async (onPowerOn) => {
      const host = boot(onPowerOn);
      const out = await commandAsync(host, `tls --connect ${FORWARDED} example.com`);
      expect(out).toContain('server asked to retry with a secp256r1 key share');
      expect(out).toContain('verdict: trusted');
    });
  }, 60_000);

  it('is refused for a name the certificate does not carry', async () => {
    await withServer({}, async (onPowerOn) => {
      const host = boot(onPowerOn);
      const out = await commandAsync(host, `tls --connect ${FORWARDED} other.example`);
      expect(out).toMatch(/verdict: REFUSED - hostname mismatch: .*not 'other\.example'/);
    });
  }, 60_000);
});

const tsharkMissing = existsSync(TSHARK) ? false : `tshark is not installed at ${TSHARK}`;

describe.skipIf(tsharkMissing)('a capture with the key log', () => {
  it('lets tshark decrypt the HTTP request inside TLS', () => {
    const chunks: Uint8Array[] = [];
    const host = boot((pc) => void pc.network.capture((bytes) => chunks.push(bytes.slice())));
    host.command('tlskeylog on /var/log/tls-keys.log');
    expect(plain(host.command('httpsget example.com /'))).toContain('HTTP 200 OK');
    const keyLog = plain(host.command('cat /var/log/tls-keys.log'))
      .split('\n')
      .filter((line) => /^[A-Z_0-9]+ [0-9a-f]+ [0-9a-f]+\s*$/.test(line))
      .map((line) => line.trim());
    expect(keyLog).toHaveLength(4);
    const directory = mkdtempSync(join(tmpdir(), 'cotton-tls-'));
    const capture = join(directory, 'tls.pcap');
    const keyLogFile = join(directory, 'tls-keys.log');
    writeFileSync(capture, Buffer.concat(chunks));
    writeFileSync(keyLogFile, `${keyLog.join('\n')}\n`);
    const encrypted = execFileSync(TSHARK, ['-r', capture, '-Y', 'http'], { encoding: 'utf8' });
    expect(encrypted).toBe('');
    const decrypted = execFileSync(
      TSHARK,
      ['-o', `tls.keylog_file:${keyLogFile}`, '-r', capture, '-Y', 'http'],
      { encoding: 'utf8' },
    );
    expect(decrypted).toMatch(/GET \/ HTTP\/1\.1/);
    expect(decrypted).toMatch(/HTTP\/1\.1 200 OK/);
  }, 60_000);
});
