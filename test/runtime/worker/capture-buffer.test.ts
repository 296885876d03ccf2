/**
 * The page machine's capture (Download capture): a pcap file of every frame
 * since power-on, one header across a reset, and whole records only when the
 * limit cuts it short.
 */
import { describe, expect, it } from 'vitest';
import { CaptureBuffer } from '../../../src/runtime/worker/capture-buffer';
import { bootFromRepo } from '../../../src/runtime/node/node-host';

/** The records of a little-endian microsecond pcap file: their lengths; throws if the file is cut inside one. */
function pcapRecords(file: Uint8Array): number[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  expect(view.getUint32(0, true)).toBe(0xa1b2c3d4);
  const lengths: number[] = [];
  for (let at = 24; at < file.length; ) {
    const captured = view.getUint32(at + 8, true);
    at += 16 + captured;
    if (at > file.length) throw new Error('a record is cut short');
    lengths.push(captured);
  }
  return lengths;
}

describe('CaptureBuffer', () => {
  it('keeps every frame since power-on, one pcap header across a reset', () => {
    const capture = new CaptureBuffer();
    const host = bootFromRepo({ onPowerOn: (machine) => capture.attach(machine) });
    host.runUntilPrompt();
    host.command('dns example.com');
    const before = pcapRecords(capture.file());
    expect(before.length).toBeGreaterThanOrEqual(6); // DHCP's four, ARP, DNS
    host.type('reboot\r');
    host.runUntilPrompt();
    const after = pcapRecords(capture.file());
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBeGreaterThan(before.length); // the new boot's DHCP, in the same file
    expect(capture.truncated).toBe(false);
  });

  it('leaves later frames out whole when the limit is reached', () => {
    const capture = new CaptureBuffer(2000);
    const host = bootFromRepo({ onPowerOn: (machine) => capture.attach(machine) });
    host.runUntilPrompt();
    host.command('httpget example.com /');
    const file = capture.file();
    expect(file.length).toBeLessThanOrEqual(2000);
    expect(pcapRecords(file).length).toBeGreaterThan(0);
    expect(capture.truncated).toBe(true);
  });
});
