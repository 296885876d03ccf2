/**
 * TLS for user programs: tls_connect turns a connected socket into a TLS
 * one, after which fetch's send and recv carry plaintext; a refused
 * handshake is ECONNABORTED with the reason in the kernel log.
 */
import { describe, expect, it } from 'vitest';
import type { MachineHost } from '../../../src/runtime/host/machine-host';
import { bootFromRepo, freshBookDisk } from '../../../src/runtime/node/node-host';

const plain = (text: string) => text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '');

let machine: MachineHost | null = null;
function run(line: string): string {
  if (!machine) {
    machine = bootFromRepo(freshBookDisk());
    machine.runUntilPrompt();
  }
  return plain(machine.command(line));
}

describe('fetch https://', () => {
  it('fetches a page over TLS through tls_connect', () => {
    const out = run('fetch -i https://example.com/');
    expect(out).toContain('HTTP/1.1 200 OK');
    expect(out).toContain('<title>Example Domain</title>');
  }, 60_000);

  it('is refused by an expired certificate, and dmesg says why', () => {
    const out = run('fetch https://expired.cotton.test/');
    expect(out).toContain('fetch: tls_connect: ECONNABORTED');
    expect(out).not.toContain('This page came over TLS');
    expect(run('dmesg')).toMatch(/tls: expired\.cotton\.test: certificate expired: .*\(notAfter\)/);
  }, 60_000);

  it('still fetches plain http://', () => {
    expect(run('fetch http://example.com/')).toContain('<title>Example Domain</title>');
  }, 60_000);
});
