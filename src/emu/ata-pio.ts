/**
 * An ATA hard disk on the primary IDE channel, driven by PIO (programmed I/O).
 *
 * Follows ATA/ATAPI-6 (T13/1410D): the command block registers at 0x1F0–0x1F7
 * (§7.2–7.15), the control block at 0x3F6 (alternate status / device control,
 * §7.3, §7.9), the PIO data-in and data-out protocols (§9.5, §9.6) and the
 * commands a PIO driver uses: IDENTIFY DEVICE (§8.15), READ/WRITE SECTORS
 * (§8.27, §8.48), their 48-bit EXT forms (§8.28, §8.49) and FLUSH CACHE
 * (§8.11, §8.12). Each command block register is a two-byte FIFO for LBA48:
 * a write pushes the previous value into the "high order byte", which reads
 * back with the HOB bit of device control.
 *
 * Timing is fixed and virtual: each sector becomes ready (or is committed)
 * ATA_SECTOR_NS after the previous step, scheduled on the clock; then BSY
 * clears, DRQ sets and INTRQ (IRQ14) rises unless nIEN is set. Reading the
 * status register acknowledges INTRQ, the alternate status does not. Reading
 * either first lets due clock events fire, so a driver that polls BSY/DRQ
 * (each IN costing an I/O cycle) sees the command finish.
 *
 * The disk is the master device; a slave is absent (its status reads 0). The
 * medium is a byte array the host supplies; its trailing partial sector, if
 * any, is not addressable. Each completed write command is reported to the
 * host (`onWrite`) so it can persist those sectors.
 */
import type { VirtualClock } from './clock';
import { pieceDigests, type DeviceState } from './device-state';
import type { PortDevice } from './io-bus';

export const ATA_PRIMARY_BASE = 0x1f0;
export const ATA_PRIMARY_CONTROL = 0x3f6;
export const ATA_SECTOR_SIZE = 512;
/** Virtual time for the drive to make one sector ready (or commit one written sector). */
export const ATA_SECTOR_NS = 20_000;

// Command block register offsets from the base.
const REG_DATA = 0;
const REG_ERROR_FEATURES = 1;
const REG_SECTOR_COUNT = 2;
const REG_LBA_LOW = 3;
const REG_LBA_MID = 4;
const REG_LBA_HIGH = 5;
const REG_DEVICE = 6;
const REG_STATUS_COMMAND = 7;

export const ATA_SR_BSY = 0x80;
export const ATA_SR_DRDY = 0x40;
export const ATA_SR_DF = 0x20;
export const ATA_SR_DSC = 0x10;
export const ATA_SR_DRQ = 0x08;
export const ATA_SR_ERR = 0x01;
export const ATA_ER_IDNF = 0x10;
export const ATA_ER_ABRT = 0x04;
export const ATA_DEV_LBA = 0x40;
export const ATA_DEV_DRV = 0x10;
export const ATA_CTL_NIEN = 0x02;
export const ATA_CTL_SRST = 0x04;
export const ATA_CTL_HOB = 0x80;

export const ATA_CMD_READ_SECTORS = 0x20;
export const ATA_CMD_READ_SECTORS_EXT = 0x24;
export const ATA_CMD_WRITE_SECTORS = 0x30;
export const ATA_CMD_WRITE_SECTORS_EXT = 0x34;
export const ATA_CMD_FLUSH_CACHE = 0xe7;
export const ATA_CMD_FLUSH_CACHE_EXT = 0xea;
export const ATA_CMD_IDENTIFY = 0xec;
export const ATA_CMD_SET_FEATURES = 0xef;

/** The medium and how the host learns of writes. */
export interface AtaDiskImage {
  readonly bytes: Uint8Array;
  /** Called after a write command has put `count` sectors from `lba` into `bytes`. */
  readonly onWrite?: (lba: number, count: number) => void;
}

type Transfer = {
  kind: 'in' | 'out';
  lba: number;
  remaining: number;
  firstLba: number;
  total: number;
};

/** A model number reported by IDENTIFY (words 27–46). */
const MODEL = 'Cotton PC ATA disk';
const SERIAL = 'CT0000000001';
const FIRMWARE = '1.0';

/**
 * IDENTIFY DEVICE data (§8.15.8): 256 little-endian words. ATA strings hold
 * two characters per word, the first in the high byte, padded with spaces.
 */
export function identifyData(sectors: number): Uint8Array {
  const words = new Uint16Array(256);
  const putString = (first: number, count: number, text: string): void => {
    const padded = text.padEnd(2 * count, ' ');
    for (let i = 0; i < count; i++)
      words[first + i] = (padded.charCodeAt(2 * i) << 8) | padded.charCodeAt(2 * i + 1);
  };
  const lba28 = Math.min(sectors, 0x0fff_ffff);
  words[0] = 0x0040; // fixed (non-removable) device
  putString(10, 10, SERIAL);
  putString(23, 4, FIRMWARE);
  putString(27, 20, MODEL);
  words[47] = 0x8001; // READ/WRITE MULTIPLE: 1 sector
  words[49] = 0x0200; // LBA supported
  words[53] = 0x0006; // words 64–70 and 88 are valid
  words[60] = lba28 & 0xffff;
  words[61] = lba28 >>> 16;
  words[80] = 0x007e; // ATA-1 … ATA-6
  words[82] = 0x4000;
  words[83] = 0x4400; // 48-bit address feature set supported
  words[84] = 0x4000;
  words[85] = 0x4000;
  words[86] = 0x0400; // 48-bit address feature set enabled
  words[87] = 0x4000;
  words[100] = sectors & 0xffff;
  words[101] = (sectors / 0x1_0000) & 0xffff;
  words[102] = (sectors / 0x1_0000_0000) & 0xffff;
  const bytes = new Uint8Array(ATA_SECTOR_SIZE);
  words.forEach((word, i) => {
    bytes[2 * i] = word & 0xff;
    bytes[2 * i + 1] = word >> 8;
  });
  return bytes;
}

export class AtaPioDisk implements PortDevice {
  readonly name = 'ATA disk (primary)';
  readonly sectors: number;
  private status = ATA_SR_DRDY | ATA_SR_DSC;
  private error = 0x01; // diagnostic code: no error
  private features = 0;
  /** Registers 2–5, each [current, previous] for the LBA48 FIFO. */
  private readonly fifo = [0, 0, 0, 0, 0, 0].map(() => [0, 0] as [number, number]);
  private device = 0;
  private control = 0;
  private intrq = false;
  private readonly buffer = new Uint8Array(ATA_SECTOR_SIZE);
  private bufferPos = ATA_SECTOR_SIZE;
  private transfer: Transfer | null = null;
  private readonly stepDone = (): void => this.finishStep();

  constructor(
    private readonly clock: VirtualClock,
    private readonly disk: AtaDiskImage,
    private readonly setIrqLine: (high: boolean) => void,
  ) {
    this.sectors = Math.floor(disk.bytes.length / ATA_SECTOR_SIZE);
  }

  /** The registers, the sector buffer, the transfer under way, and the medium (as piece digests). */
  saveState(): DeviceState {
    const { status, error, features, device, control, intrq, bufferPos } = this;
    return {
      status,
      error,
      features,
      device,
      control,
      intrq,
      bufferPos,
      fifo: this.fifo.map((pair) => [...pair]),
      buffer: this.buffer.slice(),
      transfer: this.transfer && { ...this.transfer },
      medium: pieceDigests([[0, this.disk.bytes]]),
    };
  }

  private get slaveSelected(): boolean {
    return (this.device & ATA_DEV_DRV) !== 0;
  }

  in8(port: number): number {
    if (port === ATA_PRIMARY_CONTROL) return this.readStatus(false);
    const reg = port - ATA_PRIMARY_BASE;
    if (reg === REG_STATUS_COMMAND) return this.readStatus(true);
    if (this.slaveSelected) return 0;
    if (reg === REG_DATA) return this.readData(1);
    if (reg === REG_ERROR_FEATURES) return this.error;
    if (reg === REG_DEVICE) return this.device | 0xa0;
    return this.fifo[reg]![this.control & ATA_CTL_HOB ? 1 : 0];
  }

  in16(port: number): number {
    if (port === ATA_PRIMARY_BASE + REG_DATA && !this.slaveSelected) return this.readData(2);
    return this.in8(port);
  }

  in32(port: number): number {
    if (port === ATA_PRIMARY_BASE + REG_DATA)
      return (this.in16(port) | (this.in16(port) << 16)) >>> 0;
    return this.in8(port);
  }

  out8(port: number, value: number): void {
    if (port === ATA_PRIMARY_CONTROL) return this.writeControl(value);
    const reg = port - ATA_PRIMARY_BASE;
    if (reg === REG_DATA) return this.writeData(value, 1);
    if (reg === REG_STATUS_COMMAND) return this.command(value);
    this.control &= ~ATA_CTL_HOB; // a register write clears HOB (§7.9)
    if (reg === REG_ERROR_FEATURES) this.features = value;
    else if (reg === REG_DEVICE) this.device = value;
    else this.fifo[reg] = [value, this.fifo[reg]![0]];
  }

  out16(port: number, value: number): void {
    if (port === ATA_PRIMARY_BASE + REG_DATA) this.writeData(value, 2);
    else this.out8(port, value & 0xff);
  }

  out32(port: number, value: number): void {
    if (port !== ATA_PRIMARY_BASE + REG_DATA) return this.out8(port, value & 0xff);
    this.writeData(value & 0xffff, 2);
    this.writeData(value >>> 16, 2);
  }

  // ---- status and interrupt ----

  private readStatus(acknowledge: boolean): number {
    this.clock.fireDue(); // let a finished step show, for drivers that poll
    if (this.slaveSelected) return 0;
    if (acknowledge && this.intrq) {
      this.intrq = false;
      this.updateIrq();
    }
    return this.status;
  }

  private raiseInterrupt(): void {
    this.intrq = true;
    this.updateIrq();
  }

  private updateIrq(): void {
    this.setIrqLine(this.intrq && !(this.control & ATA_CTL_NIEN));
  }

  private writeControl(value: number): void {
    const releasingReset = this.control & ATA_CTL_SRST && !(value & ATA_CTL_SRST);
    this.control = value;
    if (value & ATA_CTL_SRST) this.status = ATA_SR_BSY;
    if (releasingReset) this.softwareReset();
    this.updateIrq();
  }

  /** SRST released: abort everything and show the ATA signature (§9.2). */
  private softwareReset(): void {
    this.clock.cancel(this.stepDone);
    this.transfer = null;
    this.bufferPos = ATA_SECTOR_SIZE;
    this.fifo[REG_SECTOR_COUNT] = [1, 0];
    this.fifo[REG_LBA_LOW] = [1, 0];
    this.fifo[REG_LBA_MID] = [0, 0];
    this.fifo[REG_LBA_HIGH] = [0, 0];
    this.device = 0;
    this.error = 0x01;
    this.status = ATA_SR_DRDY | ATA_SR_DSC;
    this.intrq = false;
  }

  // ---- commands ----

  private command(code: number): void {
    if (this.slaveSelected || this.status & ATA_SR_BSY) return;
    this.intrq = false;
    this.updateIrq();
    this.error = 0;
    switch (code) {
      case ATA_CMD_IDENTIFY:
        return this.startIdentify();
      case ATA_CMD_READ_SECTORS:
      case ATA_CMD_READ_SECTORS_EXT:
        return this.startTransfer('in', code === ATA_CMD_READ_SECTORS_EXT);
      case ATA_CMD_WRITE_SECTORS:
      case ATA_CMD_WRITE_SECTORS_EXT:
        return this.startTransfer('out', code === ATA_CMD_WRITE_SECTORS_EXT);
      case ATA_CMD_FLUSH_CACHE:
      case ATA_CMD_FLUSH_CACHE_EXT:
      case ATA_CMD_SET_FEATURES:
        return this.startNonData();
      default:
        return this.fail(ATA_ER_ABRT);
    }
  }

  private startIdentify(): void {
    this.transfer = null;
    this.status = ATA_SR_BSY;
    this.clock.schedule(this.clock.now + ATA_SECTOR_NS, () => {
      this.buffer.set(identifyData(this.sectors));
      this.offerBuffer();
    });
  }

  private startNonData(): void {
    this.transfer = null;
    this.status = ATA_SR_BSY;
    this.clock.schedule(this.clock.now + ATA_SECTOR_NS, this.stepDone);
  }

  /** LBA and count from the registers: 28-bit (count 0 = 256) or 48-bit (count 0 = 65536). */
  private addressing(ext: boolean): { lba: number; count: number } {
    const cur = (reg: number): number => this.fifo[reg]![0];
    const prev = (reg: number): number => this.fifo[reg]![1];
    if (!ext) {
      const lba =
        ((this.device & 0x0f) << 24) |
        (cur(REG_LBA_HIGH) << 16) |
        (cur(REG_LBA_MID) << 8) |
        cur(REG_LBA_LOW);
      return { lba: lba >>> 0, count: cur(REG_SECTOR_COUNT) || 256 };
    }
    const low = ((cur(REG_LBA_HIGH) << 16) | (cur(REG_LBA_MID) << 8) | cur(REG_LBA_LOW)) >>> 0;
    const high = (prev(REG_LBA_HIGH) << 16) | (prev(REG_LBA_MID) << 8) | prev(REG_LBA_LOW);
    return {
      lba: high * 0x100_0000 + low,
      count: (prev(REG_SECTOR_COUNT) << 8) | cur(REG_SECTOR_COUNT) || 65536,
    };
  }

  private startTransfer(kind: 'in' | 'out', ext: boolean): void {
    const { lba, count } = this.addressing(ext);
    if (!(this.device & ATA_DEV_LBA) || lba + count > this.sectors)
      return this.fail(ATA_ER_IDNF | (this.device & ATA_DEV_LBA ? 0 : ATA_ER_ABRT));
    this.transfer = { kind, lba, remaining: count, firstLba: lba, total: count };
    if (kind === 'in') {
      this.status = ATA_SR_BSY;
      this.clock.schedule(this.clock.now + ATA_SECTOR_NS, this.stepDone);
    } else {
      this.bufferPos = 0; // data-out: DRQ for the first sector at once, without an interrupt (§9.6)
      this.status = ATA_SR_DRDY | ATA_SR_DSC | ATA_SR_DRQ;
    }
  }

  private fail(error: number): void {
    this.transfer = null;
    this.error = error;
    this.status = ATA_SR_DRDY | ATA_SR_ERR;
    this.raiseInterrupt();
  }

  /** A timed step finished: a sector is ready to read, a written sector is committed, or a non-data command is done. */
  private finishStep(): void {
    const t = this.transfer;
    if (!t) {
      this.status = ATA_SR_DRDY | ATA_SR_DSC;
      return this.raiseInterrupt();
    }
    if (t.kind === 'in') {
      const offset = t.lba * ATA_SECTOR_SIZE;
      this.buffer.set(this.disk.bytes.subarray(offset, offset + ATA_SECTOR_SIZE));
      t.lba++;
      t.remaining--;
      return this.offerBuffer();
    }
    this.disk.bytes.set(this.buffer, t.lba * ATA_SECTOR_SIZE);
    t.lba++;
    t.remaining--;
    if (t.remaining > 0) {
      this.bufferPos = 0;
      this.status = ATA_SR_DRDY | ATA_SR_DSC | ATA_SR_DRQ;
    } else {
      this.transfer = null;
      this.status = ATA_SR_DRDY | ATA_SR_DSC;
      this.disk.onWrite?.(t.firstLba, t.total);
    }
    this.raiseInterrupt();
  }

  /** Data-in: the buffer holds a sector for the host; DRQ and an interrupt. */
  private offerBuffer(): void {
    this.bufferPos = 0;
    this.status = ATA_SR_DRDY | ATA_SR_DSC | ATA_SR_DRQ;
    this.raiseInterrupt();
  }

  // ---- the data port ----

  private readData(width: 1 | 2): number {
    if (!(this.status & ATA_SR_DRQ) || this.transfer?.kind === 'out') return 0;
    const value =
      width === 1
        ? this.buffer[this.bufferPos]!
        : this.buffer[this.bufferPos]! | (this.buffer[this.bufferPos + 1]! << 8);
    this.bufferPos += width;
    if (this.bufferPos >= ATA_SECTOR_SIZE) this.sectorDrained();
    return value;
  }

  private sectorDrained(): void {
    const t = this.transfer;
    if (t && t.remaining > 0) {
      this.status = ATA_SR_BSY;
      this.clock.schedule(this.clock.now + ATA_SECTOR_NS, this.stepDone);
    } else {
      this.transfer = null;
      this.status = ATA_SR_DRDY | ATA_SR_DSC;
    }
  }

  private writeData(value: number, width: 1 | 2): void {
    if (!(this.status & ATA_SR_DRQ) || this.transfer?.kind !== 'out') return;
    this.buffer[this.bufferPos] = value & 0xff;
    if (width === 2) this.buffer[this.bufferPos + 1] = value >> 8;
    this.bufferPos += width;
    if (this.bufferPos >= ATA_SECTOR_SIZE) {
      this.status = ATA_SR_BSY;
      this.clock.schedule(this.clock.now + ATA_SECTOR_NS, this.stepDone);
    }
  }
}
