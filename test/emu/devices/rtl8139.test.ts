import { describe, expect, it } from 'vitest';
import { CottonPC } from '../../../src/emu/machine';
import { buildArp } from '../../../src/emu/net/arp';
import {
  BROADCAST_MAC,
  buildEthernetFrame,
  ethernetFcs,
  parseMac,
} from '../../../src/emu/net/ethernet';
import { buildIcmpEcho } from '../../../src/emu/net/icmp';
import { buildIpv4Packet, internetChecksum, parseIpv4 } from '../../../src/emu/net/ipv4';
import type { TappedFrame } from '../../../src/emu/net/ethernet-switch';

const IO = 0xc000;
const IDR0 = 0x00;
const TSD0 = 0x10;
const TSAD0 = 0x20;
const RBSTART = 0x30;
const CR = 0x37;
const CAPR = 0x38;
const CBR = 0x3a;
const IMR = 0x3c;
const ISR = 0x3e;
const RCR = 0x44;
const CONFIG1 = 0x52;
const CFG9346 = 0x50;
const ROK = 0x01;
const TOK = 0x04;
const RXOVW = 0x10;
const RX_BUFFER = 0x200000;
const TX_BUFFER = 0x300000;
const RING = 8192;

const GUEST_MAC = parseMac('52:54:00:12:34:56');
const GATEWAY_MAC = parseMac('52:55:0a:00:02:02');
const GUEST_IP = parseIpv4('10.0.2.15');
const GATEWAY_IP = parseIpv4('10.0.2.2');

function machine() {
  const pc = new CottonPC({
    kernel: { entry: function* () {}, image: new Uint8Array(0) },
    ramBytes: 8 << 20,
  });
  const frames: TappedFrame[] = [];
  pc.network.tap((tapped) => frames.push(tapped));
  return { pc, frames };
}
type Machine = ReturnType<typeof machine>;

/** Enable bus mastering in the NIC's PCI command register (slot 3). */
function enableBusMaster(pc: CottonPC): void {
  pc.io.out32(0xcf8, 0x8000_1804);
  pc.io.out16(0xcfc, pc.io.in16(0xcfc) | 0x04);
}

/** The classic driver bring-up: power on, reset, RX ring, interrupts, receive configuration, enable. */
function bringUp({ pc }: Machine, rcr = 0x0f | 0x80): void {
  enableBusMaster(pc);
  pc.io.out8(IO + CONFIG1, 0x00);
  pc.io.out8(IO + CR, 0x10);
  let spins = 0;
  while (pc.io.in8(IO + CR) & 0x10) if (++spins > 1000) throw new Error('reset never finishes');
  descriptor = 0; // after a reset the chip sends from TSD0 on, round robin
  pc.io.out32(IO + RBSTART, RX_BUFFER);
  pc.io.out16(IO + IMR, ROK | TOK);
  pc.io.out32(IO + RCR, rcr);
  pc.io.out8(IO + CR, 0x0c);
}

let descriptor = 0;
function transmit({ pc }: Machine, frame: Uint8Array): number {
  const n = descriptor++ % 4;
  pc.memory.writeBytes(TX_BUFFER + n * 2048, frame);
  pc.io.out32(IO + TSAD0 + 4 * n, TX_BUFFER + n * 2048);
  pc.io.out32(IO + TSD0 + 4 * n, frame.length);
  return n;
}

/** Read one packet at CAPR+16 as a driver does: header, frame, then CAPR update. */
function receive({ pc }: Machine): { status: number; frame: Uint8Array; crc: number } | null {
  if (pc.io.in8(IO + CR) & 0x01) return null; // BUFE
  const offset = (pc.io.in16(IO + CAPR) + 16) % RING;
  const status = pc.memory.read16(RX_BUFFER + offset);
  const length = pc.memory.read16(RX_BUFFER + offset + 2);
  const frame = pc.memory.readBytes(RX_BUFFER + offset + 4, length - 4);
  const crc = pc.memory.read32(RX_BUFFER + offset + 4 + length - 4);
  const next = (offset + 4 + length + 3) & ~3;
  pc.io.out16(IO + CAPR, (next - 16) & 0xffff);
  return { status, frame, crc };
}

function arpRequest(): Uint8Array {
  const arp = buildArp({
    operation: 1,
    senderMac: GUEST_MAC,
    senderIp: GUEST_IP,
    targetMac: new Uint8Array(6),
    targetIp: GATEWAY_IP,
  });
  return buildEthernetFrame(BROADCAST_MAC, GUEST_MAC, 0x0806, arp);
}

const runFor = (pc: CottonPC, ns: number): void => pc.clock.advanceTo(pc.clock.now + ns);
const nicIrqLatched = (pc: CottonPC): boolean => (pc.pic.slave.irr & (1 << (11 - 8))) !== 0;

describe('RTL8139', () => {
  it('reads its MAC from IDR0–5 after reset', () => {
    const m = machine();
    bringUp(m);
    expect(Array.from({ length: 6 }, (_, i) => m.pc.io.in8(IO + IDR0 + i))).toEqual(
      Array.from(GUEST_MAC),
    );
  });

  it('reads its MAC from the 93C46 EEPROM by bit-banging 9346CR (words 7–9)', () => {
    const { pc } = machine();
    const readWord = (address: number): number => {
      const EEM_PROGRAM = 0x80,
        CS = 0x08,
        SK = 0x04,
        DI = 0x02;
      const command = (0b110 << 6) | address; // start bit, READ, address
      pc.io.out8(IO + CFG9346, EEM_PROGRAM | CS);
      for (let bit = 8; bit >= 0; bit--) {
        const di = (command >> bit) & 1 ? DI : 0;
        pc.io.out8(IO + CFG9346, EEM_PROGRAM | CS | di);
        pc.io.out8(IO + CFG9346, EEM_PROGRAM | CS | di | SK);
      }
      pc.io.out8(IO + CFG9346, EEM_PROGRAM | CS); // clock low again before the data bits
      let word = 0;
      for (let bit = 0; bit < 16; bit++) {
        pc.io.out8(IO + CFG9346, EEM_PROGRAM | CS | SK);
        word = (word << 1) | (pc.io.in8(IO + CFG9346) & 1);
        pc.io.out8(IO + CFG9346, EEM_PROGRAM | CS);
      }
      pc.io.out8(IO + CFG9346, 0);
      return word;
    };
    expect(readWord(0)).toBe(0x8129);
    const mac = [7, 8, 9].flatMap((w) => {
      const word = readWord(w);
      return [word & 0xff, word >> 8];
    });
    expect(mac).toEqual(Array.from(GUEST_MAC));
  });

  it('transmits through TSAD/TSD: the frame is on the switch, TSD gets OWN and TOK, ISR.TOK raises IRQ 11', () => {
    const m = machine();
    bringUp(m);
    const n = transmit(m, arpRequest());
    expect(m.pc.io.in32(IO + TSD0 + 4 * n) & 0x2000).toBe(0);
    runFor(m.pc, 20_000);
    expect(m.frames).toHaveLength(1);
    expect(m.frames[0]!.frame).toEqual(arpRequest());
    expect(m.frames[0]!.from).toBe('RTL8139');
    expect(m.pc.io.in32(IO + TSD0 + 4 * n) & 0xa000).toBe(0xa000);
    expect(m.pc.io.in16(IO + ISR) & TOK).toBe(TOK);
    expect(nicIrqLatched(m.pc)).toBe(true);
    m.pc.io.out16(IO + ISR, TOK);
    expect(m.pc.io.in16(IO + ISR)).toBe(0);
  });

  it('receives the gateway ARP reply into the ring with the 4-byte header and CRC, and moves CBR', () => {
    const m = machine();
    bringUp(m);
    expect(m.pc.io.in8(IO + CR) & 0x01).toBe(0x01); // BUFE: empty
    transmit(m, arpRequest());
    runFor(m.pc, 1_000_000);
    expect(m.pc.io.in16(IO + ISR) & ROK).toBe(ROK);
    const packet = receive(m)!;
    expect(packet.status & 0x4001).toBe(0x4001); // ROK, physical address match
    expect(Array.from(packet.frame.subarray(0, 6))).toEqual(Array.from(GUEST_MAC));
    expect(Array.from(packet.frame.subarray(6, 12))).toEqual(Array.from(GATEWAY_MAC));
    expect((packet.frame[12]! << 8) | packet.frame[13]!).toBe(0x0806);
    expect(Array.from(packet.frame.subarray(14 + 14, 14 + 18))).toEqual(Array.from(GATEWAY_IP)); // sender IP
    expect(packet.crc).toBe(ethernetFcs(packet.frame));
    expect(m.pc.io.in16(IO + CBR)).toBe((4 + 60 + 4 + 3) & ~3);
    expect(m.pc.io.in8(IO + CR) & 0x01).toBe(0x01);
  });

  it('gets an ICMP echo reply from the gateway with correct IPv4 and ICMP checksums', () => {
    const m = machine();
    bringUp(m);
    const data = new TextEncoder().encode('cotton ping data');
    const icmp = buildIcmpEcho({ type: 8, identifier: 0x1234, sequence: 7, data });
    const ip = buildIpv4Packet({
      source: GUEST_IP,
      destination: GATEWAY_IP,
      protocol: 1,
      identification: 1,
      payload: icmp,
    });
    transmit(m, buildEthernetFrame(GATEWAY_MAC, GUEST_MAC, 0x0800, ip));
    runFor(m.pc, 1_000_000);
    const { frame } = receive(m)!;
    const reply = frame.subarray(14);
    const headerLength = (reply[0]! & 0x0f) * 4;
    expect(internetChecksum(reply.subarray(0, headerLength))).toBe(0);
    expect(Array.from(reply.subarray(12, 16))).toEqual(Array.from(GATEWAY_IP));
    expect(Array.from(reply.subarray(16, 20))).toEqual(Array.from(GUEST_IP));
    const totalLength = (reply[2]! << 8) | reply[3]!;
    const echo = reply.subarray(headerLength, totalLength);
    expect(echo[0]).toBe(0);
    expect(internetChecksum(echo)).toBe(0);
    expect((echo[4]! << 8) | echo[5]!).toBe(0x1234);
    expect((echo[6]! << 8) | echo[7]!).toBe(7);
    expect(new TextDecoder().decode(echo.subarray(8))).toBe('cotton ping data');
    expect(m.frames.map((f) => f.from)).toEqual(['RTL8139', 'gateway']);
  });

  it('follows CAPR around the ring, wrapping to its start without RCR.WRAP', () => {
    const m = machine();
    bringUp(m, 0x0f); // no WRAP
    const payload = (i: number) =>
      buildEthernetFrame(GUEST_MAC, GATEWAY_MAC, 0x88b5, new Uint8Array(1000).fill(i));
    for (let i = 0; i < 20; i++) {
      m.pc.nic.receiveFrame(payload(i));
      const packet = receive(m)!;
      // Reassemble across the end of the ring as a driver does with the wrap-around copy.
      expect(packet.frame.length).toBe(1014);
      const offset = (m.pc.io.in16(IO + CAPR) + 16 - ((4 + 1018 + 3) & ~3) + RING) % RING;
      const start = RX_BUFFER + offset + 4;
      const firstPart = Math.min(1014, RX_BUFFER + RING - start);
      const bytes = new Uint8Array(1014);
      bytes.set(m.pc.memory.readBytes(start, firstPart));
      bytes.set(m.pc.memory.readBytes(RX_BUFFER, 1014 - firstPart), firstPart);
      expect(bytes).toEqual(payload(i));
    }
    expect(m.pc.io.in8(IO + CR) & 0x01).toBe(0x01);
  });

  it('drops frames with ISR.RXOVW when the driver does not empty the ring', () => {
    const m = machine();
    bringUp(m);
    for (let i = 0; i < 10; i++)
      m.pc.nic.receiveFrame(
        buildEthernetFrame(GUEST_MAC, GATEWAY_MAC, 0x88b5, new Uint8Array(1400)),
      );
    expect(m.pc.nic.framesReceived).toBe(5);
    expect(m.pc.io.in16(IO + ISR) & RXOVW).toBe(RXOVW);
    expect(m.pc.io.in32(IO + 0x4c)).toBe(5); // MPC
  });

  it('filters by RCR: no broadcast without AB, frames for other MACs only with AAP', () => {
    const m = machine();
    bringUp(m, 0x02); // APM only
    m.pc.nic.receiveFrame(arpRequest());
    m.pc.nic.receiveFrame(
      buildEthernetFrame(parseMac('02:00:00:00:00:01'), GATEWAY_MAC, 0x88b5, new Uint8Array(10)),
    );
    expect(m.pc.nic.framesReceived).toBe(0);
  });

  it('does no DMA until the driver enables PCI bus mastering', () => {
    const m = machine();
    bringUp(m);
    m.pc.io.out32(0xcf8, 0x8000_1804);
    m.pc.io.out16(0xcfc, m.pc.io.in16(0xcfc) & ~0x04);
    transmit(m, arpRequest());
    runFor(m.pc, 1_000_000);
    expect(m.frames).toHaveLength(0);
    expect(m.pc.io.in16(IO + ISR) & 0x08).toBe(0x08); // TER
  });
});
