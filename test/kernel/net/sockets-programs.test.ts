/**
 * Sockets for user programs, on the booted machine: the committed fetch, nc,
 * httpd and socktest programs against the virtual network and against each
 * other over the machine's own address.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PAGE } from '../../../src/emu/net/book-sites';
import type { MachineHost } from '../../../src/runtime/host/machine-host';
import { bootFromRepo } from '../../../src/runtime/node/node-host';

function plain(text: string): string {
  return text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
}

function booted(): MachineHost {
  const host = bootFromRepo();
  host.runUntilPrompt(60_000);
  return host;
}

/** Run a command; its output without colours or the command line, and its exit status. */
function run(host: MachineHost, line: string, maxMs = 60_000): { out: string; status: number } {
  const raw = host.command(line, maxMs);
  const status = /\x1b\]133;D;(\d+)\x07/.exec(raw);
  const out = plain(raw.slice(raw.indexOf('\x1b]133;C')));
  return { out: out.slice(0, out.lastIndexOf('\n') + 1), status: status ? Number(status[1]) : NaN };
}

/** Output without httpd's log line, which the background server prints wherever the output is. */
function withoutLog(out: string): string {
  return out.replace(/httpd: \d+\.\d+\.\d+\.\d+:\d+ \S+ \S+ \d+ \d+\n/, '');
}

/** Run the machine for `ms` of virtual time. */
function wait(host: MachineHost, ms: number): void {
  host.runUntil(host.moment().atNs + ms * 1e6);
}

describe('fetch', () => {
  it('prints the page of http://example.com/ and nothing else', () => {
    const host = booted();
    const { out, status } = run(host, 'fetch http://example.com/');
    expect(out).toBe(EXAMPLE_PAGE);
    expect(status).toBe(0);
  });

  it('takes HOST PATH, streams a 100 KiB page, and shows the header with -i', () => {
    const host = booted();
    const large = run(host, 'fetch example.com /large');
    expect(large.status).toBe(0);
    expect(large.out.split('\n').filter((line) => line.startsWith('line ')).length).toBe(1600);
    expect(large.out).toContain(`line 1600 of 1600: ...`);
    const withHeader = run(host, 'fetch -i http://www.example.com/index.html');
    // The header's CR LF line ends reach the terminal as CR CR LF.
    expect(withHeader.out.replace(/\r/g, '')).toMatch(
      /^HTTP\/1\.1 200 OK\n(.+\n)*Content-Length: 458\n/,
    );
    expect(withHeader.out.endsWith(EXAMPLE_PAGE)).toBe(true);
  });

  it('says why it failed: a refused connection, an unknown host, an HTTP error', () => {
    const host = booted();
    expect(run(host, 'fetch http://10.0.2.3/')).toEqual({
      out: 'fetch: connect: ECONNREFUSED\n',
      status: 1,
    });
    expect(run(host, 'fetch http://no.such.host.cotton.test/')).toEqual({
      out: 'fetch: no.such.host.cotton.test: ENOENT\n',
      status: 1,
    });
    const missing = run(host, 'fetch http://files.cotton.test/nothing-here');
    expect(missing.status).toBe(1);
    expect(missing.out).toContain('fetch: HTTP status 404');
    expect(run(host, 'fetch').status).toBe(2);
  });
});

describe('httpd', () => {
  it('serves CottonFS files to fetch on the same machine, through its own address', () => {
    const host = booted();
    expect(run(host, 'writer /tmp/page.txt 300').status).toBe(0);
    expect(run(host, 'httpd 8080 / &').status).toBe(0);
    wait(host, 100);
    const served = run(host, 'fetch http://10.0.2.15:8080/tmp/page.txt');
    const original = run(host, 'cat /tmp/page.txt');
    expect(served.status).toBe(0);
    expect(original.out.length).toBeGreaterThan(4000);
    expect(withoutLog(served.out)).toBe(original.out);
    expect(served.out).toMatch(/httpd: 10\.0\.2\.15:\d+ GET \/tmp\/page\.txt 200 \d+\n/);
  });

  it('answers 404 for a missing file, lists a directory, serves a binary byte for byte', () => {
    const host = booted();
    run(host, 'httpd 8080 /bin &');
    wait(host, 100);
    const missing = run(host, 'fetch http://10.0.2.15:8080/nothing');
    expect(missing.status).toBe(1);
    expect(missing.out).toMatch(/GET \/nothing 404 14\n/);
    expect(missing.out).toContain('404 Not Found\n');
    const listing = run(host, 'fetch http://10.0.2.15:8080/');
    expect(listing.out).toContain('\nhttpd\n');
    expect(listing.out).toContain('\nfetch\n');
    const binary = withoutLog(run(host, 'fetch 10.0.2.15:8080 /hello').out);
    expect(binary).toBe(run(host, 'cat /bin/hello').out);
  });

  it('drops a client that sends nothing with 408 after 5 s (nc as the client, over the own address)', () => {
    const host = booted();
    run(host, 'httpd 8080 / &');
    wait(host, 100);
    const start = host.output.length;
    host.type('nc 10.0.2.15 8080\r');
    wait(host, 4_000);
    expect(plain(host.output.slice(start))).not.toContain('408');
    const end = host.runUntilPrompt(5_000);
    const out = plain(host.output.slice(start)).replace(/\r/g, '');
    expect(out).toContain('HTTP/1.0 408 Request Timeout\n');
    expect(withoutLog(out)).toContain('\n\n408 Request Timeout\n');
    expect(out).toMatch(/httpd: 10\.0\.2\.15:\d+ - - 408 \d+\n/);
    expect(/\x1b\]133;D;(\d+)\x07/.exec(end)?.[1]).toBe('0');
  });

  it('ends on Ctrl-C while it waits in accept', () => {
    const host = booted();
    host.type('httpd 8081\r');
    wait(host, 200);
    expect(plain(host.output)).toContain('httpd: serving / on port 8081');
    host.type('\x03');
    const after = host.runUntilPrompt(5_000);
    expect(/\x1b\]133;D;(\d+)\x07/.exec(after)?.[1]).toBe(String(128 + 2));
    expect(run(host, 'fetch http://10.0.2.15:8081/')).toMatchObject({ status: 1 });
  });
});

describe('nc', () => {
  it('sends typed lines to echo.cotton.test port 7 and prints the echo, until Ctrl-D', () => {
    const host = booted();
    const start = host.output.length;
    host.type('nc echo.cotton.test 7\r');
    wait(host, 200);
    host.type('hello over TCP\r');
    host.runUntilIdleAnd(
      () => plain(host.output.slice(start)).split('hello over TCP\n').length === 3,
      5_000,
    );
    host.type('second line\r');
    host.runUntilIdleAnd(
      () => plain(host.output.slice(start)).split('second line\n').length === 3,
      5_000,
    );
    host.type('\x04');
    const end = host.runUntilPrompt(5_000);
    expect(/\x1b\]133;D;(\d+)\x07/.exec(end)?.[1]).toBe('0');
  });

  it('listens with -l, and Ctrl-C ends the blocking accept', () => {
    const host = booted();
    host.type('nc -l 5000\r');
    wait(host, 200);
    host.type('\x03');
    const end = host.runUntilPrompt(5_000);
    expect(/\x1b\]133;D;(\d+)\x07/.exec(end)?.[1]).toBe(String(128 + 2));
  });

  it('is ended by Ctrl-C while it waits in poll', () => {
    const host = booted();
    host.type('nc echo.cotton.test 7\r');
    wait(host, 500);
    host.type('\x03');
    const end = host.runUntilPrompt(5_000);
    expect(/\x1b\]133;D;(\d+)\x07/.exec(end)?.[1]).toBe(String(128 + 2));
  });
});

describe('socket system calls', () => {
  it('give the errno Linux gives for bad descriptors, addresses and pointers, and work when used right', () => {
    const host = booted();
    const { out, status } = run(host, 'socktest');
    expect(out).not.toContain('WRONG');
    expect(out).toContain('connect(echo.cotton.test:8) closed port');
    expect(out).toContain('socktest: 0 wrong');
    expect(status).toBe(0);
  });
});
