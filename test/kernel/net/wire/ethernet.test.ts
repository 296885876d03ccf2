import { describe, expect, it } from 'vitest';
import {
  emitEthernetFrame,
  ETHERNET_MIN_FRAME_LENGTH,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  parseEthernetFrame,
} from '../../../../src/kernel/net/wire/ethernet';
import { MalformedPacket } from '../../../../src/kernel/net/wire/malformed';
import { fuzzParser } from './fuzz';

const frame = {
  destination: '52:55:0a:00:02:02',
  source: '52:54:00:12:34:56',
  etherType: ETHERTYPE_IPV4,
  payload: Uint8Array.from({ length: 100 }, (_, i) => i),
};

describe('Ethernet II frames', () => {
  it('round-trips destination, source, type and payload', () => {
    const bytes = emitEthernetFrame(frame);
    expect(bytes.length).toBe(114);
    expect(parseEthernetFrame(bytes)).toEqual(frame);
  });

  it('lays out the header as destination, source, type', () => {
    const bytes = emitEthernetFrame({ ...frame, payload: new Uint8Array(46) });
    // biome-ignore format: laid out as the packet is
    expect([...bytes.subarray(0, 14)]).toEqual([
      0x52, 0x55, 0x0a, 0x00, 0x02, 0x02, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x00,
    ]);
  });

  it('pads short frames with zeros to the 60-byte minimum', () => {
    const bytes = emitEthernetFrame({
      ...frame,
      etherType: ETHERTYPE_ARP,
      payload: new Uint8Array(28).fill(7),
    });
    expect(bytes.length).toBe(ETHERNET_MIN_FRAME_LENGTH);
    expect([...bytes.subarray(14, 42)].every((b) => b === 7)).toBe(true);
    expect([...bytes.subarray(42)].every((b) => b === 0)).toBe(true);
  });

  it('refuses a payload over the 1500-byte MTU', () => {
    expect(() => emitEthernetFrame({ ...frame, payload: new Uint8Array(1501) })).toThrow(
      RangeError,
    );
  });

  it('returns the payload as a view of the frame, not a copy', () => {
    const bytes = emitEthernetFrame(frame);
    const parsed = parseEthernetFrame(bytes);
    expect(parsed.payload.buffer).toBe(bytes.buffer);
    expect(parsed.payload.byteOffset).toBe(14);
  });

  it('refuses frames shorter than a header and 802.3 length fields', () => {
    expect(() => parseEthernetFrame(new Uint8Array(13))).toThrow(MalformedPacket);
    const llc = emitEthernetFrame(frame);
    llc[12] = 0x05;
    llc[13] = 0xdc; // 1500: a length, not a type
    expect(() => parseEthernetFrame(llc)).toThrow(/802\.3/);
  });

  it('survives 10,000 mutated frames with nothing but MalformedPacket', () => {
    const result = fuzzParser(parseEthernetFrame, [emitEthernetFrame(frame)]);
    expect(result.rejected).toBeGreaterThan(0);
    expect(result.accepted).toBeGreaterThan(0);
  });
});
