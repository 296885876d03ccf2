/**
 * The network stack on the booted machine: DHCP at boot, DNS, HTTP, ping,
 * bulk TCP over a bad link, the HTTP client against a real server through
 * the Node bridge, a capture tshark reads cleanly, and a flood of broken
 * frames the kernel survives.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyNetForwards, parseNetForward } from '../../../src/cli/net-bridge';
import type { CottonPC } from '../../../src/emu/machine';
import { OSC133_PROMPT_END, type MachineHost } from '../../../src/runtime/host/machine-host';
import { bootFromRepo } from '../../../src/runtime/node/node-host';
import { emitArpPacket } from '../../../src/kernel/net/wire/arp';
import { parseIpv4Address } from '../../../src/kernel/net/wire/addresses';
import { emitEthernetFrame } from '../../../src/kernel/net/wire/ethernet';
import { emitIpv4Packet } from '../../../src/kernel/net/wire/ipv4';
import { emitTcpSegment, TCP_FLAG_ACK, TCP_FLAG_SYN } from '../../../src/kernel/net/wire/tcp';
import { emitUdpDatagram } from '../../../src/kernel/net/wire/udp';
import { emitIcmpMessage } from '../../../src/kernel/net/wire/icmp';
import { uniformRandom } from '../../../src/runtime/host/seeded-random';

const plain = (text: string) => text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '');
const TSHARK = process.env.TSHARK ?? '/usr/bin/tshark';
const GUEST_MAC = '52:54:00:12:34:56';
/** The fuzzer's own MAC: frames from the gateway's MAC would teach the switch to send the gateway's traffic here. */
const FUZZER_MAC = '02:00:00:00:f0:22';
const ip = (text: string) => parseIpv4Address(text)!;

function boot(options: Parameters<typeof bootFromRepo>[0] = {}): {
  host: MachineHost;
  log: string;
} {
  const host = bootFromRepo(options);
  return { host, log: plain(host.runUntilPrompt()) };
}

describe('network at boot', () => {
  it('gets a DHCP lease before the prompt, resolves names and fetches a page', () => {
    const { host, log } = boot();
    expect(log).toMatch(/eth0: RTL8139 at io 0xc000, MAC 52:54:00:12:34:56, irq 11/);
    expect(log).toContain('eth0: link up, 100 Mbps, full duplex');
    expect(log).toMatch(
      /dhcp: lease 10\.0\.2\.15\/24 from 10\.0\.2\.2 for 3600 s, gateway 10\.0\.2\.2, dns 10\.0\.2\.3/,
    );
    const dns = plain(host.command('dns www.example.com'));
    expect(dns).toContain('www.example.com is an alias for example.com');
    expect(dns).toContain('has address 93.184.215.14');
    const page = plain(host.command('httpget example.com /'));
    expect(page).toContain('HTTP 200 OK');
    expect(page).toContain('<title>Example Domain</title>');
    expect(plain(host.command('httpget example.com /redirect'))).toContain(
      '(redirected to http://example.com/)',
    );
    const chunked = plain(host.command('httpget example.com /chunked'));
    expect(chunked).toContain('This is part 20 of a page sent in chunks.');
    expect(plain(host.command('netstats'))).toContain('malformed  none');
  });

  it('answers ping with round-trip times from the virtual clock', () => {
    const { host } = boot();
    const out = plain(host.command('ping 10.0.2.2 3'));
    expect(
      out.match(/64 bytes from 10\.0\.2\.2: icmp_seq=\d ttl=64 time=\d+\.\d{3} ms/g),
    ).toHaveLength(3);
    expect(out).toContain('3 packets transmitted, 3 received, 0% packet loss');
    expect(plain(host.command('ping 10.0.2.99 1'))).toContain('100% packet loss');
  });

  it('boots as before without networking when DHCP gets no answer', () => {
    const { host, log } = boot({ network: { link: { lossPercent: 100 } } });
    expect(log).toContain('dhcp: no answer from a DHCP server: no address (set one with setip)');
    expect(plain(host.command('ping 10.0.2.2 1'))).toContain('has no address');
  }, 60_000);
});

describe('TCP over a bad link', () => {
  it('moves 1 MiB through the echo service with 5% loss and 5% reordering, byte for byte', () => {
    const { host } = boot({ network: { seed: 5, link: { lossPercent: 5, reorderPercent: 5 } } });
    const out = plain(host.command('tcpbulk echo.cotton.test 7 1048576 echo', 600_000));
    expect(out).toContain('sent 1048576 bytes');
    expect(out).toContain('echo: every byte came back');
    expect(out).not.toMatch(/retransmits 0,/);
  }, 120_000);

  it('delivers 1 MiB to the discard service over a 5% lossy link, every byte counted there', () => {
    const { host } = boot({ network: { seed: 5, link: { lossPercent: 5 } } });
    expect(plain(host.command('tcpbulk echo.cotton.test 9 1048576', 600_000))).toContain(
      'sent 1048576 bytes',
    );
    expect(host.machine.network.discard.statistics().bytes).toBe(1048576);
  }, 120_000);
});

/** Run the machine in slices, letting Node's event loop run between them, until a prompt. */
async function commandAsync(
  host: MachineHost,
  line: string,
  maxVirtualMs = 30_000,
): Promise<string> {
  const start = host.output.length;
  host.type(`${line}\r`);
  const deadline = host.machine.clock.now + maxVirtualMs * 1e6;
  while (!host.output.includes(OSC133_PROMPT_END, start)) {
    if (host.machine.clock.now > deadline) throw new Error(`no prompt after ${line}`);
    host.runUntil(host.machine.clock.now + 1e6);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return plain(host.output.slice(start));
}

describe('the HTTP client against a real server', () => {
  it('fetches from a Node HTTP server through --net-forward', async () => {
    const server = createServer((request, response) => {
      response.setHeader('Content-Type', 'text/plain');
      response.end(`hello from node, you asked for ${request.url} as ${request.headers.host}\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const forward = parseNetForward(`10.0.2.100:80=127.0.0.1:${port}`);
      const onPowerOn = (pc: CottonPC) => applyNetForwards(pc.network, [forward]);
      const { host } = boot({ onPowerOn });
      const out = await commandAsync(host, 'httpget 10.0.2.100 /greeting');
      expect(out).toContain('HTTP 200 OK');
      expect(out).toContain('hello from node, you asked for /greeting as 10.0.2.100');
    } finally {
      server.close();
    }
  }, 60_000);
});

const tsharkMissing = existsSync(TSHARK) ? false : `tshark is not installed at ${TSHARK}`;

describe.skipIf(tsharkMissing)('capture', () => {
  it('is dissected by tshark with no malformed packet or error', () => {
    const chunks: Uint8Array[] = [];
    const { host } = boot({
      onPowerOn: (pc) => void pc.network.capture((bytes) => chunks.push(bytes.slice())),
    });
    host.command('ping 10.0.2.2 2');
    host.command('httpget example.com /chunked');
    host.command('udpsend echo.cotton.test 7 hello');
    host.command('tcpbulk echo.cotton.test 7 65536 echo');
    const file = join(mkdtempSync(join(tmpdir(), 'cotton-pcap-')), 'kernel.pcap');
    writeFileSync(file, Buffer.concat(chunks));
    const summary = execFileSync(TSHARK, ['-r', file], { encoding: 'utf8' });
    for (const protocol of ['DHCP', 'ARP', 'DNS', 'ICMP', 'HTTP', 'TCP', 'ECHO']) {
      expect(summary).toMatch(new RegExp(`\\b${protocol}\\b`));
    }
    const bad = execFileSync(
      TSHARK,
      ['-r', file, '-Y', '_ws.malformed || _ws.expert.severity >= error'],
      {
        encoding: 'utf8',
      },
    );
    expect(bad).toBe('');
  }, 60_000);
});

const FUZZ_FRAMES = Number(process.env.NET_FUZZ_FRAMES ?? 100_000);
const FUZZ_SEED = Number(process.env.NET_FUZZ_SEED ?? 0xc0ffee);

describe('a flood of broken frames', () => {
  it(`leaves the kernel answering ping and running commands (${FUZZ_FRAMES} frames, seed ${FUZZ_SEED})`, () => {
    const { host } = boot();
    host.command('tcpconnect echo.cotton.test 7');
    const framesBefore = plain(host.command('mem')).match(/frames: .*/)![0];
    const random = uniformRandom(FUZZ_SEED);
    const int = (n: number) => Math.floor(random() * n);
    const port = host.machine.network.switch.connect({ name: 'fuzzer', receiveFrame: () => {} });
    const guest = ip('10.0.2.15');
    const echoHost = ip('203.0.113.7');
    const connection = /10\.0\.2\.15:(\d+) -> 203\.0\.113\.7:7/.exec(plain(host.command('ss')));
    const localPort = Number(connection?.[1] ?? 50000);
    const ethernet = (etherType: number, payload: Uint8Array, destination = GUEST_MAC) =>
      emitEthernetFrame({ destination, source: FUZZER_MAC, etherType, payload });
    const ipv4 = (protocol: number, payload: Uint8Array, source = echoHost) =>
      emitIpv4Packet({ protocol, source, destination: guest, payload, identification: int(65536) });
    const tcp = (sourcePort: number, destinationPort: number, flags: number) =>
      emitTcpSegment(
        {
          sourcePort,
          destinationPort,
          sequence: int(2 ** 32),
          acknowledgment: int(2 ** 32),
          flags,
          window: int(65536),
          urgentPointer: 0,
          options: random() < 0.5 ? { mss: int(65536) } : {},
          payload: new Uint8Array(int(64)),
        },
        echoHost,
        guest,
      );
    const valid = (): Uint8Array => {
      switch (int(6)) {
        case 0:
          return ethernet(
            0x0806,
            emitArpPacket({
              operation: (1 + int(2)) as 1 | 2,
              senderMac: FUZZER_MAC,
              senderIp: ip(`10.0.2.${100 + int(100)}`),
              targetMac: GUEST_MAC,
              targetIp: random() < 0.5 ? guest : int(2 ** 32),
            }),
            random() < 0.3 ? 'ff:ff:ff:ff:ff:ff' : GUEST_MAC,
          );
        case 1:
          return ethernet(
            0x0800,
            ipv4(
              1,
              emitIcmpMessage({
                type: 8,
                identifier: int(65536),
                sequenceNumber: int(65536),
                data: new Uint8Array(int(100)),
              }),
            ),
          );
        case 2:
          return ethernet(
            0x0800,
            ipv4(
              17,
              emitUdpDatagram(
                {
                  sourcePort: int(65536) || 1,
                  destinationPort: int(65536) || 1,
                  payload: new Uint8Array(int(200)),
                },
                echoHost,
                guest,
              ),
            ),
          );
        case 3: // out-of-window and stray segments on the open connection
          return ethernet(
            0x0800,
            ipv4(6, tcp(7, localPort, [TCP_FLAG_ACK, 0x04, 0x11, 0x18, TCP_FLAG_SYN][int(5)]!)),
          );
        case 4: // a SYN flood to closed ports
          return ethernet(
            0x0800,
            ipv4(6, tcp(int(65535) + 1, int(65535) + 1, TCP_FLAG_SYN), int(2 ** 32)),
          );
        default: // fragments and unknown protocols
          return ethernet(
            0x0800,
            emitIpv4Packet({
              protocol: int(256),
              source: echoHost,
              destination: guest,
              payload: new Uint8Array(int(64)),
              moreFragments: random() < 0.5,
              fragmentOffset: 8 * int(100),
            }),
          );
      }
    };
    const mutate = (frame: Uint8Array): Uint8Array => {
      const kind = int(5);
      if (kind === 0) return frame.subarray(0, 14 + int(Math.max(1, frame.length - 14))); // truncated
      const copy = frame.slice();
      const flips = 1 + int(4);
      for (let i = 0; i < flips; i++) {
        // mostly the headers: lengths, IHL, data offsets, options, checksums
        const at = 14 + int(Math.min(copy.length - 14, kind === 1 ? 24 : 60));
        copy[at] = int(256);
      }
      if (kind === 2 && copy.length > 17) copy[16] = 0xff; // an IPv4 total length that lies
      if (kind === 3 && copy.length > 46) copy[46] = 0xf0 | int(16); // a TCP data offset past the end
      if (kind === 4)
        return Uint8Array.from({ length: 14 + int(1600) }, (_, i) =>
          i < 6 ? [0x52, 0x54, 0, 0x12, 0x34, 0x56][i]! : int(256),
        ); // noise
      return copy;
    };
    const BATCH = 24;
    for (let sent = 0; sent < FUZZ_FRAMES; sent += BATCH) {
      for (let i = 0; i < BATCH; i++) {
        const frame = valid();
        port.send(random() < 0.25 ? frame : mutate(frame));
      }
      host.runUntil(host.machine.clock.now + 300_000);
    }
    host.runUntil(host.machine.clock.now + 5_000_000_000); // let SYN-RECEIVED and TIME-WAIT timers run out
    const ping = plain(host.command('ping 10.0.2.2 2'));
    expect(ping, `seed ${FUZZ_SEED}`).toContain('2 received');
    expect(plain(host.command('echo still here'))).toContain('still here');
    const stats = plain(host.command('netstats'));
    expect(stats).toMatch(/malformed  .*ipv4 \d+/);
    expect(plain(host.command('mem')).match(/frames: .*/)![0]).toBe(framesBefore);
  }, 120_000);
});
