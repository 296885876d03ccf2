/**
 * Realtek RTL8139 Fast Ethernet controller, the NIC CottonOS drives (as it
 * does under QEMU with `-nic user,model=rtl8139`).
 *
 * Registers as in the RTL8139(A/B/C)L datasheet (Realtek, rev. 1.x, §6) and
 * its programming guide, reached through the I/O BAR (and the same registers
 * through the memory BAR): IDR0–5 (the MAC, loaded from the 93C46 EEPROM at
 * reset and readable from it too, see eeprom-93c46.ts), MAR0–7, the four
 * transmit descriptors TSD0–3/TSAD0–3, RBSTART, CR, CAPR/CBR, IMR/ISR, TCR,
 * RCR, 9346CR, CONFIG0/1, MSR and the PHY's BMCR/BMSR.
 *
 * - Transmit: the driver puts a frame in RAM, writes its address to TSADn and
 *   its size to TSDn with OWN clear. TX_DELAY_NS later the chip has read the
 *   frame by DMA (OWN set), sent it to the switch (TOK set) and raised ISR.TOK.
 * - Receive: each accepted frame is written by DMA at CBR in the ring at
 *   RBSTART: a 4-byte header (receive status, length including the 4-byte
 *   CRC), the frame, its CRC, then CBR moves on to the next dword boundary.
 *   The driver reads at CAPR + 16 (the chip's well-known offset) and writes
 *   CAPR back 16 bytes short of where it stopped. CR.BUFE says the ring is
 *   empty. A frame that does not fit is dropped with ISR.RXOVW. With
 *   RCR.WRAP set, a frame at the end of the ring runs on past it (the driver
 *   allocates the 16 + 1500 spare bytes), else it wraps to the start.
 * - Interrupts: the line is up while ISR & IMR is non-zero; the driver clears
 *   ISR bits by writing ones. The PIC is edge-triggered, so a write to ISR that
 *   leaves bits set drops and raises the line again, as a level-triggered
 *   line would re-interrupt after the EOI.
 * - DMA goes through physical memory and only while the PCI command
 *   register's bus-master bit is set, as on a real bus: a driver must enable
 *   bus mastering first.
 */
import type { VirtualClock } from './clock';
import type { DeviceState } from './device-state';
import { Eeprom93c46 } from './eeprom-93c46';
import type { PortDevice } from './io-bus';
import {
  ethernetFcs,
  ETHERNET_MIN_FRAME,
  isMulticast,
  sameMac,
  type MacAddress,
} from './net/ethernet';
import type { EthernetEndpoint, EthernetLink } from './net/ethernet-switch';
import type { MmioDevice, PhysicalMemory } from './physical-memory';

export const RTL_VENDOR_ID = 0x10ec;
export const RTL_DEVICE_ID = 0x8139;
export const RTL_REGISTER_SPACE = 0x100;
/** Virtual time from a TSD write to the frame being on the wire. */
export const RTL_TX_DELAY_NS = 10_000;

export const RTL_IDR0 = 0x00;
export const RTL_MAR0 = 0x08;
export const RTL_TSD0 = 0x10;
export const RTL_TSAD0 = 0x20;
export const RTL_RBSTART = 0x30;
export const RTL_CR = 0x37;
export const RTL_CAPR = 0x38;
export const RTL_CBR = 0x3a;
export const RTL_IMR = 0x3c;
export const RTL_ISR = 0x3e;
export const RTL_TCR = 0x40;
export const RTL_RCR = 0x44;
export const RTL_MPC = 0x4c;
export const RTL_9346CR = 0x50;
export const RTL_CONFIG0 = 0x51;
export const RTL_CONFIG1 = 0x52;
export const RTL_MSR = 0x58;
export const RTL_TSAD_SUMMARY = 0x60;
export const RTL_BMCR = 0x62;
export const RTL_BMSR = 0x64;

export const RTL_CR_RST = 0x10;
export const RTL_CR_RE = 0x08;
export const RTL_CR_TE = 0x04;
export const RTL_CR_BUFE = 0x01;

export const RTL_ISR_ROK = 0x0001;
export const RTL_ISR_RER = 0x0002;
export const RTL_ISR_TOK = 0x0004;
export const RTL_ISR_TER = 0x0008;
export const RTL_ISR_RXOVW = 0x0010;
export const RTL_ISR_LINK_CHANGE = 0x0020;
export const RTL_ISR_FOVW = 0x0040;

export const RTL_TSD_SIZE_MASK = 0x1fff;
export const RTL_TSD_OWN = 0x2000;
export const RTL_TSD_TUN = 0x4000;
export const RTL_TSD_TOK = 0x8000;
export const RTL_TSD_TABT = 0x4000_0000;

export const RTL_RCR_AAP = 0x01;
export const RTL_RCR_APM = 0x02;
export const RTL_RCR_AM = 0x04;
export const RTL_RCR_AB = 0x08;
export const RTL_RCR_WRAP = 0x80;
const RTL_RCR_RBLEN_SHIFT = 11;

export const RTL_RX_STATUS_ROK = 0x0001;
export const RTL_RX_STATUS_BAR = 0x2000;
export const RTL_RX_STATUS_PAM = 0x4000;
export const RTL_RX_STATUS_MAR = 0x8000;
const RX_HEADER_LENGTH = 4;
const FCS_LENGTH = 4;
/** The chip keeps CAPR this far behind the driver's read offset. */
export const RTL_CAPR_OFFSET = 16;

const EEM_SHIFT = 6;
const EEM_NORMAL = 0;
const EEM_AUTOLOAD = 1;
const EEM_PROGRAM = 2;
const EE_CS = 0x08;
const EE_SK = 0x04;
const EE_DI = 0x02;
const EE_DO = 0x01;
/** EEPROM word 0: the RTL8139's ID; words 7–9: the MAC address. */
const EEPROM_ID = 0x8129;
const EEPROM_MAC_WORD = 7;

/** TCR hardware version: RTL8139 (HWVERID bits 30–26 = 11000). */
const TCR_HWVERID_RTL8139 = 0x6000_0000;
const MSR_DEFAULT = 0x00; // link up (LINKB clear), 100 Mb/s (SPEED_10 clear)
const BMCR_DEFAULT = 0x3100; // 100 Mb/s, auto-negotiation, full duplex
const BMSR_DEFAULT = 0x782d; // capabilities, auto-negotiation complete, link up

const DESCRIPTORS = 4;

/** The receive ring length RCR.RBLEN selects: 8, 16, 32 or 64 KiB (plus 16 bytes the chip never counts). */
function ringLength(rcr: number): number {
  return 8192 << ((rcr >> RTL_RCR_RBLEN_SHIFT) & 3);
}

/** The EEPROM image: ID, PCI IDs, MAC. */
function eepromWords(mac: MacAddress): Uint16Array {
  const words = new Uint16Array(64);
  words[0] = EEPROM_ID;
  words[1] = RTL_VENDOR_ID;
  words[2] = RTL_DEVICE_ID;
  for (let i = 0; i < 3; i++) words[EEPROM_MAC_WORD + i] = mac[2 * i]! | (mac[2 * i + 1]! << 8);
  return words;
}

export interface Rtl8139Options {
  readonly clock: VirtualClock;
  readonly memory: PhysicalMemory;
  readonly mac: MacAddress;
  /** First port of the I/O BAR. */
  readonly ioBase: number;
  /** Whether the PCI command register allows DMA (bus mastering). */
  readonly busMasterEnabled: () => boolean;
  readonly setIrqLine: (high: boolean) => void;
}

export class Rtl8139 implements PortDevice, MmioDevice, EthernetEndpoint {
  readonly name = 'RTL8139';
  readonly eeprom: Eeprom93c46;
  private readonly regs = new DataView(new ArrayBuffer(RTL_REGISTER_SPACE));
  private isr = 0;
  private cbr = 0;
  /** The descriptor the chip sends from next (they are used round robin). */
  private nextTransmit = 0;
  private link: EthernetLink | null = null;
  private irqHigh = false;
  framesSent = 0;
  framesReceived = 0;

  constructor(private readonly options: Rtl8139Options) {
    this.eeprom = new Eeprom93c46(eepromWords(options.mac));
    this.powerOnReset();
  }

  /** The register file as last written or refreshed, the chip's own state behind it, and the EEPROM. */
  saveState(): DeviceState {
    const { isr, cbr, nextTransmit, irqHigh, framesSent, framesReceived } = this;
    return {
      regs: new Uint8Array(this.regs.buffer.slice(0)),
      isr,
      cbr,
      nextTransmit,
      irqHigh,
      framesSent,
      framesReceived,
      eeprom: this.eeprom.saveState(),
    };
  }

  /** Plug the cable into the switch. */
  connect(link: EthernetLink): void {
    this.link = link;
  }

  // ---- bus interfaces: the same registers by port or by memory ----

  in8(port: number): number {
    return this.read(port - this.options.ioBase, 1);
  }
  in16(port: number): number {
    return this.read(port - this.options.ioBase, 2);
  }
  in32(port: number): number {
    return this.read(port - this.options.ioBase, 4);
  }
  out8(port: number, value: number): void {
    this.write(port - this.options.ioBase, 1, value);
  }
  out16(port: number, value: number): void {
    this.write(port - this.options.ioBase, 2, value);
  }
  out32(port: number, value: number): void {
    this.write(port - this.options.ioBase, 4, value);
  }
  read8(offset: number): number {
    return this.read(offset, 1);
  }
  read16(offset: number): number {
    return this.read(offset, 2);
  }
  read32(offset: number): number {
    return this.read(offset, 4);
  }
  write8(offset: number, value: number): void {
    this.write(offset, 1, value);
  }
  write16(offset: number, value: number): void {
    this.write(offset, 2, value);
  }
  write32(offset: number, value: number): void {
    this.write(offset, 4, value);
  }

  // ---- the register file ----

  private read(offset: number, width: 1 | 2 | 4): number {
    this.options.clock.fireDue(); // let a finished transmission show, for drivers that poll
    this.refreshStatusRegisters();
    if (offset + width > RTL_REGISTER_SPACE) return 0;
    if (width === 1) return this.regs.getUint8(offset);
    return width === 2 ? this.regs.getUint16(offset, true) : this.regs.getUint32(offset, true);
  }

  /** Registers whose value is the chip's state rather than what was written. */
  private refreshStatusRegisters(): void {
    const r = this.regs;
    const commandBits = r.getUint8(RTL_CR) & (RTL_CR_RE | RTL_CR_TE);
    r.setUint8(RTL_CR, commandBits | (this.readOffset() === this.cbr ? RTL_CR_BUFE : 0));
    r.setUint16(RTL_CBR, this.cbr, true);
    r.setUint16(RTL_ISR, this.isr, true);
    r.setUint8(RTL_9346CR, (r.getUint8(RTL_9346CR) & ~EE_DO) | this.eeprom.dataOut);
    r.setUint16(RTL_TSAD_SUMMARY, this.transmitSummary(), true);
  }

  private write(offset: number, width: 1 | 2 | 4, value: number): void {
    if (offset + width > RTL_REGISTER_SPACE) return;
    if (offset <= RTL_ISR && RTL_ISR < offset + width) {
      this.acknowledge((value >>> (8 * (RTL_ISR - offset))) & 0xffff);
      if (width === 2) return;
    }
    if (width === 1) this.regs.setUint8(offset, value);
    else if (width === 2) this.regs.setUint16(offset, value, true);
    else this.regs.setUint32(offset, value >>> 0, true);
    for (let byte = offset; byte < offset + width; byte++) this.written(byte);
  }

  /** React to a write that touched register byte `offset`. */
  private written(offset: number): void {
    if (offset === RTL_CR) this.writeCommand(this.regs.getUint8(RTL_CR));
    else if (offset === RTL_9346CR) this.writeEepromControl(this.regs.getUint8(RTL_9346CR));
    else if (offset === RTL_IMR || offset === RTL_IMR + 1) this.updateIrq();
    // TSDn's second byte holds OWN: writing it hands the descriptor to the chip.
    else if (offset > RTL_TSD0 && offset < RTL_TSD0 + 4 * DESCRIPTORS && (offset & 3) === 1)
      this.writeTransmitStatus((offset - RTL_TSD0) >> 2);
  }

  private writeCommand(value: number): void {
    if (value & RTL_CR_RST) return this.softwareReset();
    // Turning the receiver off resets its write pointer: how a driver restarts the ring.
    if (!(value & RTL_CR_RE)) this.cbr = 0;
    this.regs.setUint8(RTL_CR, value & (RTL_CR_RE | RTL_CR_TE));
  }

  private acknowledge(bits: number): void {
    this.isr &= ~bits;
    if (this.irqHigh && this.isr & this.regs.getUint16(RTL_IMR, true)) {
      this.options.setIrqLine(false); // re-edge: the line is still asserted after the driver's acknowledgement
      this.irqHigh = false;
    }
    this.updateIrq();
  }

  private raise(bits: number): void {
    this.isr |= bits;
    this.updateIrq();
  }

  private updateIrq(): void {
    const high = (this.isr & this.regs.getUint16(RTL_IMR, true)) !== 0;
    if (high !== this.irqHigh) {
      this.irqHigh = high;
      this.options.setIrqLine(high);
    }
  }

  // ---- reset and the EEPROM ----

  private powerOnReset(): void {
    this.loadFromEeprom();
    this.regs.setUint32(RTL_TCR, TCR_HWVERID_RTL8139, true);
    this.regs.setUint8(RTL_MSR, MSR_DEFAULT);
    this.regs.setUint16(RTL_BMCR, BMCR_DEFAULT, true);
    this.regs.setUint16(RTL_BMSR, BMSR_DEFAULT, true);
    this.softwareReset();
  }

  /** CR.RST: the datasheet's reset values; the MAC and configuration stay. The reset is over at once. */
  private softwareReset(): void {
    const r = this.regs;
    for (let n = 0; n < DESCRIPTORS; n++) r.setUint32(RTL_TSD0 + 4 * n, RTL_TSD_OWN, true);
    for (let n = 0; n < DESCRIPTORS; n++) r.setUint32(RTL_TSAD0 + 4 * n, 0, true);
    r.setUint32(RTL_RBSTART, 0, true);
    r.setUint8(RTL_CR, 0);
    r.setUint16(RTL_CAPR, 0x10000 - RTL_CAPR_OFFSET, true);
    r.setUint16(RTL_IMR, 0, true);
    r.setUint32(RTL_RCR, 0, true);
    r.setUint32(RTL_MPC, 0, true);
    this.cbr = 0;
    this.nextTransmit = 0;
    this.isr = 0;
    this.options.clock.cancel(this.transmitDue);
    this.updateIrq();
  }

  private loadFromEeprom(): void {
    for (let i = 0; i < 3; i++)
      this.regs.setUint16(RTL_IDR0 + 2 * i, this.eeprom.words[EEPROM_MAC_WORD + i]!, true);
  }

  private writeEepromControl(value: number): void {
    const mode = value >> EEM_SHIFT;
    if (mode === EEM_AUTOLOAD) {
      this.loadFromEeprom();
      this.regs.setUint8(RTL_9346CR, EEM_NORMAL); // auto-load finishes at once
    } else if (mode === EEM_PROGRAM) {
      this.eeprom.drive((value & EE_CS) !== 0, (value & EE_SK) !== 0, value & EE_DI ? 1 : 0);
    }
  }

  // ---- transmit ----

  private readonly transmitDue = (): void => this.transmitPending();

  private writeTransmitStatus(descriptor: number): void {
    const tsd = this.regs.getUint32(RTL_TSD0 + 4 * descriptor, true);
    if (tsd & RTL_TSD_OWN) return;
    this.regs.setUint32(
      RTL_TSD0 + 4 * descriptor,
      tsd & ~(RTL_TSD_TOK | RTL_TSD_TUN | RTL_TSD_TABT),
      true,
    );
    this.options.clock.schedule(this.options.clock.now + RTL_TX_DELAY_NS, this.transmitDue);
  }

  /**
   * Send every descriptor the driver handed over (OWN clear), round robin
   * from the one after the last sent, as the chip does: a driver fills the
   * four in turn, so this is the order the frames were queued in.
   */
  private transmitPending(): void {
    for (let i = 0; i < DESCRIPTORS; i++) {
      const n = this.nextTransmit;
      const tsd = this.regs.getUint32(RTL_TSD0 + 4 * n, true);
      if (tsd & RTL_TSD_OWN) break;
      this.transmit(n, tsd);
      this.nextTransmit = (n + 1) % DESCRIPTORS;
    }
  }

  private transmit(descriptor: number, tsd: number): void {
    const tsdOffset = RTL_TSD0 + 4 * descriptor;
    if (!(this.regs.getUint8(RTL_CR) & RTL_CR_TE) || !this.options.busMasterEnabled()) {
      this.regs.setUint32(tsdOffset, (tsd | RTL_TSD_OWN | RTL_TSD_TABT) >>> 0, true);
      return this.raise(RTL_ISR_TER);
    }
    const address = this.regs.getUint32(RTL_TSAD0 + 4 * descriptor, true);
    const frame = this.options.memory.readBytes(address, tsd & RTL_TSD_SIZE_MASK);
    this.regs.setUint32(tsdOffset, (tsd | RTL_TSD_OWN | RTL_TSD_TOK) >>> 0, true);
    this.framesSent++;
    this.link?.send(padFrame(frame));
    this.raise(RTL_ISR_TOK);
  }

  /** TSAD (0x60): TOK, TUN, TABT and OWN of the four descriptors, bit n for descriptor n. */
  private transmitSummary(): number {
    let summary = 0;
    for (let n = 0; n < DESCRIPTORS; n++) {
      const tsd = this.regs.getUint32(RTL_TSD0 + 4 * n, true);
      if (tsd & RTL_TSD_TOK) summary |= 1 << (12 + n);
      if (tsd & RTL_TSD_TUN) summary |= 1 << (8 + n);
      if (tsd & RTL_TSD_TABT) summary |= 1 << (4 + n);
      if (tsd & RTL_TSD_OWN) summary |= 1 << n;
    }
    return summary;
  }

  // ---- receive ----

  private readOffset(): number {
    return (
      ((this.regs.getUint16(RTL_CAPR, true) + RTL_CAPR_OFFSET) & 0xffff) %
      ringLength(this.regs.getUint32(RTL_RCR, true))
    );
  }

  /** A frame from the switch. */
  receiveFrame(frame: Uint8Array): void {
    if (!(this.regs.getUint8(RTL_CR) & RTL_CR_RE) || !this.options.busMasterEnabled()) return;
    const status = this.acceptance(frame);
    if (status === 0) return;
    const length = frame.length + FCS_LENGTH;
    const ring = ringLength(this.regs.getUint32(RTL_RCR, true));
    const used = (this.cbr - this.readOffset() + ring) % ring;
    if (RX_HEADER_LENGTH + length + 3 >= ring - used) {
      this.regs.setUint32(RTL_MPC, this.regs.getUint32(RTL_MPC, true) + 1, true);
      return this.raise(RTL_ISR_RXOVW);
    }
    this.writeToRing(receivePacket(frame, status | RTL_RX_STATUS_ROK), ring);
    this.framesReceived++;
    this.raise(RTL_ISR_ROK);
  }

  /** The receive status bits for an accepted frame, or 0 if RCR rejects it. */
  private acceptance(frame: Uint8Array): number {
    const rcr = this.regs.getUint32(RTL_RCR, true);
    const destination = frame.subarray(0, 6);
    const mac = new Uint8Array(this.regs.buffer, RTL_IDR0, 6);
    const broadcast = destination.every((byte) => byte === 0xff);
    if (broadcast) return rcr & (RTL_RCR_AB | RTL_RCR_AAP) ? RTL_RX_STATUS_BAR : 0;
    if (isMulticast(destination)) return rcr & (RTL_RCR_AM | RTL_RCR_AAP) ? RTL_RX_STATUS_MAR : 0;
    if (sameMac(destination, mac)) return rcr & (RTL_RCR_APM | RTL_RCR_AAP) ? RTL_RX_STATUS_PAM : 0;
    return rcr & RTL_RCR_AAP ? RTL_RX_STATUS_ROK : 0;
  }

  /** DMA the packet to the ring at CBR and advance CBR to the next dword. */
  private writeToRing(packet: Uint8Array, ring: number): void {
    const base = this.regs.getUint32(RTL_RBSTART, true);
    const memory = this.options.memory;
    const wrapInside = !(this.regs.getUint32(RTL_RCR, true) & RTL_RCR_WRAP);
    const firstPart = wrapInside ? Math.min(packet.length, ring - this.cbr) : packet.length;
    memory.writeBytes(base + this.cbr, packet.subarray(0, firstPart));
    if (firstPart < packet.length) memory.writeBytes(base, packet.subarray(firstPart));
    this.cbr = ((this.cbr + packet.length + 3) & ~3) % ring;
  }
}

/** The receive header (status, length with CRC), the frame and its CRC, as the chip writes them. */
export function receivePacket(frame: Uint8Array, status: number): Uint8Array {
  const packet = new Uint8Array(RX_HEADER_LENGTH + frame.length + FCS_LENGTH);
  const view = new DataView(packet.buffer);
  view.setUint16(0, status, true);
  view.setUint16(2, frame.length + FCS_LENGTH, true);
  packet.set(frame, RX_HEADER_LENGTH);
  view.setUint32(RX_HEADER_LENGTH + frame.length, ethernetFcs(frame), true);
  return packet;
}

/** The chip pads short frames to the Ethernet minimum before sending. */
function padFrame(frame: Uint8Array): Uint8Array {
  if (frame.length >= ETHERNET_MIN_FRAME) return frame;
  const padded = new Uint8Array(ETHERNET_MIN_FRAME);
  padded.set(frame);
  return padded;
}
