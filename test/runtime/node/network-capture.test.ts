/**
 * The live captures behind the networking chapter's figures: a boot and one
 * HTTP request give the DHCP exchange, ARP, DNS and a whole TCP connection,
 * taken apart by capture-summary.ts into layers that cover every byte; the
 * same steps give the same frames; a broken frame is described, not thrown.
 */
import { describe, expect, it } from 'vitest';
import { summarizeFrame } from '../../../src/runtime/host/capture-summary';
import { captureSession } from '../../../src/runtime/node/network-capture';

describe('captureSession and summarizeFrame', () => {
  const frames = captureSession([{ command: 'httpget example.com /' }]);
  const summaries = frames.map((frame) => summarizeFrame(frame.bytes));

  it('sees the boot-time DHCP exchange, then ARP, DNS and the TCP connection', () => {
    expect(summaries.slice(0, 4).map((s) => s.summary.replace(/.*: /, ''))).toEqual([
      'DHCPDISCOVER',
      'DHCPOFFER your address 10.0.2.15',
      'DHCPREQUEST',
      'DHCPACK your address 10.0.2.15',
    ]);
    expect(frames.slice(0, 4).map((f) => f.fromGuest)).toEqual([true, false, true, false]);
    const protocols = summaries.map((s) => s.protocol);
    expect(protocols).toContain('ARP');
    expect(protocols).toContain('DNS');
    const tcp = summaries.flatMap((s) => (s.tcp ? [s.tcp] : []));
    expect(tcp[0]).toMatchObject({
      flags: 'SYN',
      destinationPort: 80,
      destination: '93.184.215.14',
    });
    expect(tcp[1]).toMatchObject({
      flags: 'SYN,ACK',
      acknowledgment: (tcp[0]!.sequence + 1) >>> 0,
    });
    expect(tcp.some((t) => t.length > 0 && t.sourcePort === 80)).toBe(true);
  });

  it('gives layers that cover each frame exactly, in order', () => {
    for (const [i, summary] of summaries.entries()) {
      let at = 0;
      for (const layer of summary.layers) {
        expect(layer.start, `frame ${i} ${layer.name}`).toBe(at);
        at = layer.end;
      }
      expect(at, `frame ${i}`).toBe(frames[i]!.bytes.length);
    }
  });

  it('is deterministic: the same steps give the same frames', () => {
    const again = captureSession([{ command: 'httpget example.com /' }]);
    expect(again.map((f) => Buffer.from(f.bytes).toString('hex'))).toEqual(
      frames.map((f) => Buffer.from(f.bytes).toString('hex')),
    );
  });

  it('describes a frame the parsers refuse instead of throwing', () => {
    const broken = frames[0]!.bytes.slice(0, 30); // an IPv4 header cut short
    expect(summarizeFrame(broken).summary).toMatch(/^malformed: /);
    expect(summarizeFrame(new Uint8Array(3)).summary).toMatch(/^malformed: /);
  });
});
