/**
 * Driver for the Realtek RTL8139 Fast Ethernet controller, the NIC
 * CottonOS drives (QEMU's `-nic user,model=rtl8139`).
 *
 * Follows the RTL8139(A/B/C)L datasheet (§6, the registers) and Realtek's
 * programming guide, as Linux's 8139too.c does:
 *
 * - Bring-up: find the card on PCI (10EC:8139), let it master the bus (it
 *   moves frames by DMA), power it on (CONFIG1), reset it (CR.RST, which
 *   clears itself), read the MAC from IDR0-5, give it a receive ring
 *   (RBSTART) and four transmit buffers, unmask the interrupts it should
 *   raise (IMR), set what to accept (RCR: our MAC, broadcast) and turn the
 *   receiver and transmitter on (CR.RE, CR.TE).
 * - Receive: the card writes each frame into the ring at CBR, behind a
 *   4-byte header (status, length including the CRC), and moves CBR on to
 *   the next dword. The driver reads from its own offset until CR.BUFE says
 *   the ring is empty, and after each frame tells the card how far it got by
 *   writing CAPR - 16 bytes short of the offset, a quirk every RTL8139
 *   driver carries. RCR.WRAP is set: a frame that reaches the end of the
 *   ring runs on past it into RX_RING_SPARE bytes instead of wrapping, so a
 *   frame is always contiguous in memory; the offset itself wraps. A header
 *   that makes no sense (status without ROK, an impossible length) means
 *   the ring is out of step: the driver counts it and resets the receiver.
 * - Transmit: four descriptors used round robin. A frame is copied into
 *   descriptor n's buffer, its address is in TSADn, and writing its length
 *   to TSDn (OWN clear) hands it to the card; when the card is done it sets
 *   OWN and TOK (or TABT on an abort) and raises ISR.TOK. With all four busy,
 *   frames wait in a software queue (TX_QUEUE_LIMIT, then dropped and
 *   counted, like a full qdisc) which the interrupt handler drains.
 * - Interrupts: IRQ 11 through the 8259 PIC. The handler reads ISR, writes
 *   the bits back to acknowledge them, drains the ring, reclaims the
 *   transmit descriptors, and tells the network thread that frames are
 *   waiting. Frames are only copied out here; the protocol work runs in the
 *   thread, as Linux splits a driver's interrupt from its softirq.
 *
 * DMA memory comes from the kernel heap (mm/kernel-heap.ts): physically
 * contiguous, and never moved.
 */
import type { MachineInterface } from '../../emu/machine-interface';
import { installIrqHandler } from '../arch/interrupts';
import type { Pic8259Pair } from '../arch/pic8259';
import type { KernelHeap } from '../mm/kernel-heap';
import { enableBusMastering, findPciDevice, type PciDevice } from './pci-config';

export const RTL8139_VENDOR_ID = 0x10ec;
export const RTL8139_DEVICE_ID = 0x8139;

// Registers (datasheet §6), offsets from the I/O BAR.
const RTL_IDR0 = 0x00;
const RTL_TSD0 = 0x10;
const RTL_TSAD0 = 0x20;
const RTL_RBSTART = 0x30;
const RTL_CR = 0x37;
const RTL_CAPR = 0x38;
const RTL_IMR = 0x3c;
const RTL_ISR = 0x3e;
const RTL_TCR = 0x40;
const RTL_RCR = 0x44;
const RTL_MPC = 0x4c;
const RTL_CONFIG1 = 0x52;
const RTL_MSR = 0x58;
const RTL_BMCR = 0x62;

const CR_RST = 0x10;
const CR_RE = 0x08;
const CR_TE = 0x04;
const CR_BUFE = 0x01;

const ISR_ROK = 0x0001;
const ISR_RER = 0x0002;
const ISR_TOK = 0x0004;
const ISR_TER = 0x0008;
const ISR_RXOVW = 0x0010;
const ISR_LINK_CHANGE = 0x0020;
const ISR_FOVW = 0x0040;
const ISR_RECEIVE = ISR_ROK | ISR_RER | ISR_RXOVW | ISR_FOVW;
const ISR_TRANSMIT = ISR_TOK | ISR_TER;
const IMR_ENABLED = ISR_RECEIVE | ISR_TRANSMIT | ISR_LINK_CHANGE;

const TSD_OWN = 0x2000;
const TSD_TOK = 0x8000;
const TSD_TABT = 0x4000_0000;

const RCR_APM = 0x02; // accept frames to our MAC
const RCR_AB = 0x08; // accept broadcast
const RCR_WRAP = 0x80;
/** RCR.RBLEN = 3: a 64 KiB ring (plus 16 bytes the card never counts), the largest. */
const RCR_RBLEN_64K = 3 << 11;
/** TCR: maximum DMA burst of 1024 bytes (MXDMA = 110b), the normal inter-frame gap. */
const TCR_MXDMA_1024 = 6 << 8;
const TCR_IFG_NORMAL = 3 << 24;

const RX_STATUS_ROK = 0x0001;
const MSR_LINKB = 0x04; // link fail
const MSR_SPEED_10 = 0x08;
const BMCR_DUPLEX = 0x0100;

/**
 * The ring must hold every frame that can arrive before the interrupt is
 * served: on the Cotton PC's virtual wire a whole TCP window can land at one
 * instant, so the stack keeps its receive window well below this.
 */
export const RX_RING_SIZE = 65536;
/** Room past the ring's end for a frame that runs over with WRAP: the longest the card takes. */
const RX_RING_SPARE = 16 + 4096;
/** The card keeps CAPR this far behind the driver's read offset. */
const CAPR_OFFSET = 16;
const RX_HEADER_LENGTH = 4;
const FCS_LENGTH = 4;
/** Smallest and largest Ethernet frame, with its CRC; longer ones are counted and skipped. */
const MIN_RX_LENGTH = 14 + FCS_LENGTH;
const MAX_RX_LENGTH = 1514 + FCS_LENGTH;
/** A header claiming more than this (the card's 4 KiB limit) means the ring is out of step. */
const MAX_RING_ENTRY = 4096;
const TX_DESCRIPTORS = 4;
const TX_BUFFER_SIZE = 1536;
/** The longest frame the card sends (without CRC, which it adds). */
const MAX_TX_LENGTH = 1514;
const TX_QUEUE_LIMIT = 256;
/** Received frames waiting for the network thread before the driver drops more. */
const RX_QUEUE_LIMIT = 512;
/** Reads of CR while waiting for the reset to finish. */
const RESET_POLL_LIMIT = 1000;

/** What `netstats` shows for the card. */
export interface NicCounters {
  interrupts: number;
  rxPackets: number;
  rxBytes: number;
  /** Frames too short or too long, and ring headers that made no sense (the receiver was reset). */
  rxErrors: number;
  /** Frames the card could not fit in the ring (ISR.RXOVW, MPC). */
  rxOverflows: number;
  /** Frames the network thread had no room for. */
  rxDropped: number;
  txPackets: number;
  txBytes: number;
  txErrors: number;
  /** Frames dropped because the software queue was full, or too long to send. */
  txDropped: number;
}

export class Rtl8139Nic {
  readonly name = 'eth0';
  readonly mac: string;
  readonly counters: NicCounters = {
    interrupts: 0,
    rxPackets: 0,
    rxBytes: 0,
    rxErrors: 0,
    rxOverflows: 0,
    rxDropped: 0,
    txPackets: 0,
    txBytes: 0,
    txErrors: 0,
    txDropped: 0,
  };
  /** Called from the interrupt handler when received frames are waiting. */
  onReceive: (() => void) | null = null;
  private readonly received: Uint8Array[] = [];
  private readonly txQueue: Uint8Array[] = [];
  private readonly txBuffers: number[] = [];
  private rxOffset = 0;
  /** The next descriptor to fill, and the oldest one still with the card. */
  private txNext = 0;
  private txOldest = 0;
  private txInFlight = 0;

  /**
   * Find, reset and start the card; null if there is no RTL8139 on the bus.
   * Throws if the card does not come out of reset or DMA memory runs out.
   */
  static probe(cpu: MachineInterface, pic: Pic8259Pair, heap: KernelHeap): Rtl8139Nic | null {
    const pci = findPciDevice(cpu, RTL8139_VENDOR_ID, RTL8139_DEVICE_ID);
    const io = pci?.bars.find((bar) => bar.kind === 'io');
    if (!pci || !io) return null;
    const nic = new Rtl8139Nic(cpu, pci, io.address, heap);
    installIrqHandler(cpu, pic, pci.interruptLine, () => nic.handleInterrupt());
    return nic;
  }

  private readonly rxRing: number;

  private constructor(
    private readonly cpu: MachineInterface,
    readonly pci: PciDevice,
    readonly ioBase: number,
    heap: KernelHeap,
  ) {
    enableBusMastering(cpu, pci);
    this.outb(RTL_CONFIG1, 0); // LWAKE + LWPTN low: power on
    this.reset();
    this.mac = this.readMac();
    const rxRing = heap.allocate(RX_RING_SIZE + RX_RING_SPARE, 4096);
    if (rxRing === null) throw new Error('rtl8139: no memory for the receive ring');
    this.rxRing = rxRing;
    for (let n = 0; n < TX_DESCRIPTORS; n++) {
      const buffer = heap.allocate(TX_BUFFER_SIZE, 16);
      if (buffer === null) throw new Error('rtl8139: no memory for the transmit buffers');
      this.txBuffers.push(buffer);
      this.outl(RTL_TSAD0 + 4 * n, buffer);
    }
    this.startReceiver();
    this.outl(RTL_TCR, TCR_MXDMA_1024 | TCR_IFG_NORMAL);
    this.outw(RTL_IMR, IMR_ENABLED);
  }

  get irq(): number {
    return this.pci.interruptLine;
  }

  /** MSR and BMCR: link, speed and duplex, e.g. "link up, 100 Mbps, full duplex". */
  linkStatus(): string {
    const msr = this.inb(RTL_MSR);
    if (msr & MSR_LINKB) return 'link down';
    const speed = msr & MSR_SPEED_10 ? 10 : 100;
    const duplex = this.inw(RTL_BMCR) & BMCR_DUPLEX ? 'full' : 'half';
    return `link up, ${speed} Mbps, ${duplex} duplex`;
  }

  // ---- Transmit -----------------------------------------------------------

  /** Send a frame (without FCS): into a free descriptor now, else into the queue. */
  transmit(frame: Uint8Array): void {
    if (frame.length > MAX_TX_LENGTH) {
      this.counters.txDropped++;
      return;
    }
    if (this.txInFlight < TX_DESCRIPTORS) this.startTransmit(frame);
    else if (this.txQueue.length < TX_QUEUE_LIMIT) this.txQueue.push(frame);
    else this.counters.txDropped++;
  }

  private startTransmit(frame: Uint8Array): void {
    const n = this.txNext;
    this.cpu.writeBytes(this.txBuffers[n]!, frame);
    this.outl(RTL_TSD0 + 4 * n, frame.length); // OWN clear: the card's now
    this.txNext = (n + 1) % TX_DESCRIPTORS;
    this.txInFlight++;
  }

  /** Take back the descriptors the card finished with, oldest first, and refill them. */
  private reclaimTransmitted(): void {
    while (this.txInFlight > 0) {
      const status = this.inl(RTL_TSD0 + 4 * this.txOldest);
      if (!(status & TSD_OWN) || !(status & (TSD_TOK | TSD_TABT))) break;
      if (status & TSD_TOK) {
        this.counters.txPackets++;
        this.counters.txBytes += status & 0x1fff;
      } else {
        this.counters.txErrors++;
      }
      this.txOldest = (this.txOldest + 1) % TX_DESCRIPTORS;
      this.txInFlight--;
    }
    while (this.txInFlight < TX_DESCRIPTORS && this.txQueue.length > 0) {
      this.startTransmit(this.txQueue.shift()!);
    }
  }

  // ---- Receive ------------------------------------------------------------

  /** Frames received since the last call, oldest first (for the network thread). */
  takeReceived(): Uint8Array[] {
    return this.received.splice(0);
  }

  get hasReceived(): boolean {
    return this.received.length > 0;
  }

  /** Copy every frame out of the ring, up to the card's write pointer (CR.BUFE). */
  private drainRing(): void {
    while (!(this.inb(RTL_CR) & CR_BUFE)) {
      const header = this.cpu.read32(this.rxRing + this.rxOffset);
      const status = header & 0xffff;
      const length = header >>> 16;
      if (!(status & RX_STATUS_ROK) || length < FCS_LENGTH || length > MAX_RING_ENTRY) {
        this.counters.rxErrors++;
        this.startReceiver(); // out of step with the card: start the ring afresh
        return;
      }
      const frameAt = this.rxRing + this.rxOffset + RX_HEADER_LENGTH;
      if (length < MIN_RX_LENGTH || length > MAX_RX_LENGTH) this.counters.rxErrors++;
      else this.accept(this.cpu.readBytes(frameAt, length - FCS_LENGTH));
      this.rxOffset = ((this.rxOffset + RX_HEADER_LENGTH + length + 3) & ~3) % RX_RING_SIZE;
      this.outw(RTL_CAPR, (this.rxOffset - CAPR_OFFSET) & 0xffff);
    }
  }

  private accept(frame: Uint8Array): void {
    if (this.received.length >= RX_QUEUE_LIMIT) {
      this.counters.rxDropped++;
      return;
    }
    this.counters.rxPackets++;
    this.counters.rxBytes += frame.length;
    this.received.push(frame);
  }

  /** Reset the receiver's ring (at start, and after a bad header): RBSTART, CAPR, RCR, CR.RE. */
  private startReceiver(): void {
    this.outb(RTL_CR, CR_TE);
    this.rxOffset = 0;
    this.outl(RTL_RBSTART, this.rxRing);
    this.outw(RTL_CAPR, (0 - CAPR_OFFSET) & 0xffff);
    this.outl(RTL_RCR, RCR_APM | RCR_AB | RCR_WRAP | RCR_RBLEN_64K);
    this.outb(RTL_CR, CR_RE | CR_TE);
  }

  // ---- Interrupts ---------------------------------------------------------

  /** IRQ 11: acknowledge, drain the ring, reclaim descriptors, wake the network thread. */
  handleInterrupt(): void {
    this.counters.interrupts++;
    const status = this.inw(RTL_ISR);
    this.outw(RTL_ISR, status); // writing the bits back acknowledges them
    if (status & (ISR_RXOVW | ISR_FOVW)) {
      this.counters.rxOverflows += this.inl(RTL_MPC) || 1;
      this.outl(RTL_MPC, 0);
    }
    if (status & ISR_RECEIVE) this.drainRing();
    if (status & ISR_TRANSMIT) this.reclaimTransmitted();
    if (this.received.length > 0) this.onReceive?.();
  }

  // ---- Reset and registers -------------------------------------------------

  private reset(): void {
    this.outb(RTL_CR, CR_RST);
    for (let i = 0; this.inb(RTL_CR) & CR_RST; i++) {
      if (i >= RESET_POLL_LIMIT) throw new Error('rtl8139: the card did not come out of reset');
    }
  }

  private readMac(): string {
    const bytes: string[] = [];
    for (let i = 0; i < 6; i++)
      bytes.push(
        this.inb(RTL_IDR0 + i)
          .toString(16)
          .padStart(2, '0'),
      );
    return bytes.join(':');
  }

  private inb(register: number): number {
    return this.cpu.inb(this.ioBase + register);
  }
  private inw(register: number): number {
    return this.cpu.inw(this.ioBase + register);
  }
  private inl(register: number): number {
    return this.cpu.inl(this.ioBase + register) >>> 0;
  }
  private outb(register: number, value: number): void {
    this.cpu.outb(this.ioBase + register, value);
  }
  private outw(register: number, value: number): void {
    this.cpu.outw(this.ioBase + register, value);
  }
  private outl(register: number, value: number): void {
    this.cpu.outl(this.ioBase + register, value >>> 0);
  }
}
