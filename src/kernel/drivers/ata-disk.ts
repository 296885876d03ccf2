/**
 * Driver for the ATA hard disk on the primary IDE channel, by PIO.
 *
 * Follows ATA/ATAPI-6 (T13/1410D): the command block registers at
 * 0x1F0–0x1F7 and the control block at 0x3F6 (§7), the PIO data-in and
 * data-out protocols (§9.5, §9.6), the non-data protocol (§9.4), and the
 * commands IDENTIFY DEVICE (§8.15), READ SECTORS (§8.27), READ SECTORS EXT
 * (§8.28), WRITE SECTORS (§8.48), WRITE SECTORS EXT (§8.49), FLUSH CACHE
 * (§8.11) and FLUSH CACHE EXT (§8.12). The disk raises IRQ 14, which the
 * remapped PICs deliver at vector 0x2E.
 *
 * Why it is shaped so. A disk is slow: every 512-byte sector takes the drive
 * a while to find (or to commit), and the CPU has better things to do than
 * to watch it. So the driver is interrupt-driven, as Linux's and xv6's are:
 *
 *   - a kernel thread that wants sectors puts a request in the queue and
 *     sleeps on a wait queue (`yield* this.completed.wait()`);
 *   - the driver issues the request's command to the drive;
 *   - each time the drive is ready (a sector to read, room for a sector to
 *     write, a command done) it raises IRQ 14, and the interrupt handler moves
 *     one sector through the data register;
 *   - when the request's last sector has moved, the handler marks it done,
 *     wakes the sleepers, and issues the next request in the queue.
 *
 * The only polling is what the protocols ask of every driver: a few reads of
 * the alternate status after a command is written (the drive needs 400 ns to
 * set BSY), and waiting for DRQ before the first sector of a write, which a
 * drive offers without an interrupt. IDENTIFY at boot is polled too, with the
 * drive's interrupt disabled (nIEN): at boot there is no thread to sleep in.
 *
 * Addressing. 28-bit LBA reaches 2^28 sectors (128 GiB); beyond that the EXT
 * commands take a 48-bit address, written as two bytes per register (the
 * "previous" byte first: each register is a two-deep FIFO). The driver uses
 * the EXT forms only for commands that reach a sector a 28-bit address cannot
 * name.
 */
import type { MachineInterface } from '../../emu/machine-interface';
import { WaitQueue } from '../sched/wait-queue';

export const ATA_PRIMARY_IO = 0x1f0;
export const ATA_PRIMARY_CONTROL = 0x3f6;
export const ATA_PRIMARY_IRQ = 14;
export const ATA_SECTOR_SIZE = 512;
const WORDS_PER_SECTOR = ATA_SECTOR_SIZE / 2;

// Command block registers (§7.1, Table 10): offsets from the base port.
const ATA_REG_DATA = 0;
const ATA_REG_ERROR = 1;
const ATA_REG_SECTOR_COUNT = 2;
const ATA_REG_LBA_LOW = 3;
const ATA_REG_LBA_MID = 4;
const ATA_REG_LBA_HIGH = 5;
const ATA_REG_DEVICE = 6;
const ATA_REG_STATUS = 7; // read: acknowledges the interrupt
const ATA_REG_COMMAND = 7; // write

// Status register bits (§7.15).
export const ATA_SR_BSY = 0x80;
export const ATA_SR_DRDY = 0x40;
export const ATA_SR_DF = 0x20;
export const ATA_SR_DRQ = 0x08;
export const ATA_SR_ERR = 0x01;

// Error register bits (§7.11).
export const ATA_ER_IDNF = 0x10;
export const ATA_ER_ABRT = 0x04;

// Device register (§7.10): LBA addressing; bits 7 and 5 are obsolete and set by tradition; bit 4 = 0 selects the master.
export const ATA_DEV_LBA = 0x40;
const ATA_DEV_OBSOLETE = 0xa0;

// Device control register (§7.9).
export const ATA_CTL_NIEN = 0x02;

// Commands (§8).
export const ATA_CMD_READ_SECTORS = 0x20;
export const ATA_CMD_READ_SECTORS_EXT = 0x24;
export const ATA_CMD_WRITE_SECTORS = 0x30;
export const ATA_CMD_WRITE_SECTORS_EXT = 0x34;
export const ATA_CMD_FLUSH_CACHE = 0xe7;
export const ATA_CMD_FLUSH_CACHE_EXT = 0xea;
export const ATA_CMD_IDENTIFY = 0xec;

// IDENTIFY DEVICE data, word offsets (§8.15.8, Table 16).
const ID_SERIAL = 10; // 10 words
const ID_MODEL = 27; // 20 words
const ID_LBA28_SECTORS = 60; // 2 words
const ID_COMMAND_SET_2 = 83;
const ID_COMMAND_SET_2_LBA48 = 1 << 10;
const ID_LBA48_SECTORS = 100; // 4 words

/** Sectors a 28-bit LBA can address. */
export const LBA28_LIMIT = 0x1000_0000;
/**
 * Most sectors the driver moves with one command: what a 28-bit command can
 * (its count register's 0 means 256), so either form of a command will do.
 */
const MAX_SECTORS_PER_COMMAND = 256;
/** Alternate status reads after writing a command: 4 I/O cycles cover the drive's 400 ns (§9.3). */
const SETTLE_READS = 4;
/** Status reads before a polled wait gives up (each read is an I/O cycle, ~1 µs). */
const POLL_LIMIT = 1_000_000;

/** What IDENTIFY DEVICE told us about the drive. */
export interface AtaIdentity {
  readonly model: string;
  readonly serial: string;
  /** Addressable sectors. */
  readonly sectors: number;
  readonly lba48: boolean;
}

export class AtaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AtaError';
  }
}

type RequestKind = 'read' | 'write' | 'flush';

/** One command's worth of work, from the queue to the drive and back. */
interface AtaRequest {
  readonly kind: RequestKind;
  readonly lba: number;
  readonly count: number;
  /** Where the sectors come from or go to (count × 512 bytes). */
  readonly buffer: Uint8Array;
  sectorsMoved: number;
  done: boolean;
  error: string | null;
}

export class AtaDisk {
  private readonly queue: AtaRequest[] = [];
  private active: AtaRequest | null = null;
  /** Uninterruptible: a transfer the file system started must end before its task can die. */
  private readonly completed = new WaitQueue(false);
  /** One sector as the data register moves it: 256 words. */
  private readonly sectorWords = new Uint16Array(WORDS_PER_SECTOR);
  /** Interrupts that came with no request waiting for one (kept for `stats`). */
  spuriousInterrupts = 0;

  constructor(
    private readonly cpu: MachineInterface,
    readonly identity: AtaIdentity,
    private readonly base = ATA_PRIMARY_IO,
    private readonly control = ATA_PRIMARY_CONTROL,
  ) {}

  /**
   * Find the master drive of the primary channel and IDENTIFY it, polling
   * (nIEN set, so it raises no interrupt). Returns null if there is none.
   */
  static probe(
    cpu: MachineInterface,
    base = ATA_PRIMARY_IO,
    control = ATA_PRIMARY_CONTROL,
  ): AtaDisk | null {
    if (cpu.inb(base + ATA_REG_STATUS) === 0xff) return null; // a floating bus: no controller
    cpu.outb(control, ATA_CTL_NIEN);
    cpu.outb(base + ATA_REG_DEVICE, ATA_DEV_OBSOLETE);
    cpu.outb(base + ATA_REG_COMMAND, ATA_CMD_IDENTIFY);
    const identity = readIdentifyData(cpu, base, control);
    cpu.inb(base + ATA_REG_STATUS); // acknowledge the interrupt the drive held back
    cpu.outb(control, 0); // from now on, interrupts
    return identity ? new AtaDisk(cpu, identity, base, control) : null;
  }

  /** How many 512-byte sectors the disk holds. */
  get sectors(): number {
    return this.identity.sectors;
  }

  // ---- what kernel threads call (each blocks until its request is done) ----

  /** Read `count` sectors from `lba` into `into`. */
  *read(lba: number, count: number, into: Uint8Array): Generator<void, void, void> {
    yield* this.transfer('read', lba, count, into);
  }

  /** Write `count` sectors from `data` to `lba`. */
  *write(lba: number, count: number, data: Uint8Array): Generator<void, void, void> {
    yield* this.transfer('write', lba, count, data);
  }

  /** FLUSH CACHE: returns once everything written is on the medium. */
  *flush(): Generator<void, void, void> {
    yield* this.submit({
      kind: 'flush',
      lba: 0,
      count: 0,
      buffer: new Uint8Array(0),
      sectorsMoved: 0,
      done: false,
      error: null,
    });
  }

  /** Split a transfer into commands the drive accepts, and run them one after the other. */
  private *transfer(
    kind: RequestKind,
    lba: number,
    count: number,
    buffer: Uint8Array,
  ): Generator<void, void, void> {
    this.checkRange(lba, count, buffer);
    for (let done = 0; done < count; ) {
      const n = Math.min(count - done, MAX_SECTORS_PER_COMMAND);
      const part = buffer.subarray(done * ATA_SECTOR_SIZE, (done + n) * ATA_SECTOR_SIZE);
      yield* this.submit({
        kind,
        lba: lba + done,
        count: n,
        buffer: part,
        sectorsMoved: 0,
        done: false,
        error: null,
      });
      done += n;
    }
  }

  /** Queue a request, start it if the drive is idle, and sleep until the interrupt handler has finished it. */
  private *submit(request: AtaRequest): Generator<void, void, void> {
    this.queue.push(request);
    if (!this.active) this.startNext();
    while (!request.done) yield* this.completed.wait();
    if (request.error) throw new AtaError(request.error);
  }

  private checkRange(lba: number, count: number, buffer: Uint8Array): void {
    if (
      !Number.isSafeInteger(lba) ||
      !Number.isSafeInteger(count) ||
      lba < 0 ||
      count < 0 ||
      lba + count > this.sectors
    ) {
      throw new AtaError(
        `ata: sectors ${lba}+${count} are outside the disk (0–${this.sectors - 1})`,
      );
    }
    if (buffer.length < count * ATA_SECTOR_SIZE)
      throw new AtaError(`ata: a buffer of ${buffer.length} bytes cannot hold ${count} sectors`);
    if (!this.identity.lba48 && needsLba48(lba, count))
      throw new AtaError(
        `ata: sector ${lba + count - 1} needs 48-bit addressing, which the drive lacks`,
      );
  }

  // ---- the drive side ----

  /** Issue the command of the next queued request, if there is one. */
  private startNext(): void {
    const request = this.queue.shift();
    this.active = request ?? null;
    if (!request) return;
    if (request.kind === 'flush')
      return this.issue(this.identity.lba48 ? ATA_CMD_FLUSH_CACHE_EXT : ATA_CMD_FLUSH_CACHE);
    const ext = needsLba48(request.lba, request.count);
    this.selectSectors(request.lba, request.count, ext);
    if (request.kind === 'read')
      return this.issue(ext ? ATA_CMD_READ_SECTORS_EXT : ATA_CMD_READ_SECTORS);
    this.issue(ext ? ATA_CMD_WRITE_SECTORS_EXT : ATA_CMD_WRITE_SECTORS);
    // PIO data-out (§9.6): the drive asks for the first sector with DRQ, without an interrupt.
    // If it refuses the command instead, the interrupt that reports the error finishes the request.
    if (this.waitWhileBusy() & ATA_SR_DRQ) this.writeSector(request);
  }

  /** Put the address and count into the command block registers (LBA48: previous bytes first). */
  private selectSectors(lba: number, count: number, ext: boolean): void {
    const { cpu, base } = this;
    if (ext) {
      cpu.outb(base + ATA_REG_DEVICE, ATA_DEV_OBSOLETE | ATA_DEV_LBA);
      cpu.outb(base + ATA_REG_SECTOR_COUNT, (count >> 8) & 0xff);
      cpu.outb(base + ATA_REG_LBA_LOW, lbaByte(lba, 3));
      cpu.outb(base + ATA_REG_LBA_MID, lbaByte(lba, 4));
      cpu.outb(base + ATA_REG_LBA_HIGH, lbaByte(lba, 5));
    } else {
      cpu.outb(base + ATA_REG_DEVICE, ATA_DEV_OBSOLETE | ATA_DEV_LBA | lbaByte(lba, 3));
    }
    cpu.outb(base + ATA_REG_SECTOR_COUNT, count & 0xff);
    cpu.outb(base + ATA_REG_LBA_LOW, lbaByte(lba, 0));
    cpu.outb(base + ATA_REG_LBA_MID, lbaByte(lba, 1));
    cpu.outb(base + ATA_REG_LBA_HIGH, lbaByte(lba, 2));
  }

  /** Write the command register, then give the drive its 400 ns to raise BSY. */
  private issue(command: number): void {
    this.cpu.outb(this.base + ATA_REG_COMMAND, command);
    for (let i = 0; i < SETTLE_READS; i++) this.cpu.inb(this.control);
  }

  /** Poll the alternate status (which does not acknowledge anything) until BSY clears; returns the status. */
  private waitWhileBusy(): number {
    for (let i = 0; i < POLL_LIMIT; i++) {
      const status = this.cpu.inb(this.control);
      if (!(status & ATA_SR_BSY)) return status;
    }
    return ATA_SR_BSY;
  }

  /**
   * IRQ 14: the drive has a sector for us, wants the next one, or is done.
   * Reading the status register acknowledges the interrupt.
   */
  handleInterrupt(): void {
    const status = this.cpu.inb(this.base + ATA_REG_STATUS);
    const request = this.active;
    if (!request || status & ATA_SR_BSY) {
      this.spuriousInterrupts++;
      return;
    }
    if (status & (ATA_SR_ERR | ATA_SR_DF))
      return this.finish(request, this.describeError(request, status));
    if (request.kind === 'flush') return this.finish(request, null);
    if (request.kind === 'read') {
      if (!(status & ATA_SR_DRQ))
        return this.finish(
          request,
          `ata: read of sector ${request.lba + request.sectorsMoved} ended without data (status ${hex2(status)})`,
        );
      this.readSector(request);
      if (request.sectorsMoved === request.count) this.finish(request, null);
      return;
    }
    if (request.sectorsMoved === request.count) return this.finish(request, null); // the last sector is committed
    if (!(status & ATA_SR_DRQ))
      return this.finish(
        request,
        `ata: write of sector ${request.lba + request.sectorsMoved} was not accepted (status ${hex2(status)})`,
      );
    this.writeSector(request);
  }

  /** Move one sector from the data register into the request's buffer (REP INSW). */
  private readSector(request: AtaRequest): void {
    const words = this.sectorWords;
    this.cpu.insw(this.base + ATA_REG_DATA, words);
    const buffer = request.buffer;
    let at = request.sectorsMoved * ATA_SECTOR_SIZE;
    for (let i = 0; i < WORDS_PER_SECTOR; i++, at += 2) {
      buffer[at] = words[i]! & 0xff;
      buffer[at + 1] = words[i]! >> 8;
    }
    request.sectorsMoved++;
  }

  /** Move one sector from the request's buffer to the data register (REP OUTSW). */
  private writeSector(request: AtaRequest): void {
    const words = this.sectorWords;
    const buffer = request.buffer;
    let at = request.sectorsMoved * ATA_SECTOR_SIZE;
    for (let i = 0; i < WORDS_PER_SECTOR; i++, at += 2)
      words[i] = buffer[at]! | (buffer[at + 1]! << 8);
    this.cpu.outsw(this.base + ATA_REG_DATA, words);
    request.sectorsMoved++;
  }

  /** The request is over: wake its thread (and everyone else waiting: each checks its own request) and go on. */
  private finish(request: AtaRequest, error: string | null): void {
    request.error = error;
    request.done = true;
    this.completed.wakeAll();
    this.startNext();
  }

  private describeError(request: AtaRequest, status: number): string {
    const error = this.cpu.inb(this.base + ATA_REG_ERROR);
    const what =
      request.kind === 'flush'
        ? 'flush'
        : `${request.kind} of sectors ${request.lba}+${request.count}`;
    const reasons = [
      error & ATA_ER_IDNF ? 'sector not found (IDNF)' : '',
      error & ATA_ER_ABRT ? 'command aborted (ABRT)' : '',
      status & ATA_SR_DF ? 'device fault (DF)' : '',
    ].filter(Boolean);
    return `ata: ${what} failed: ${reasons.join(', ') || 'error'} (status ${hex2(status)}, error ${hex2(error)})`;
  }
}

/** Does a transfer of `count` sectors from `lba` reach past what 28 bits can address? */
export function needsLba48(lba: number, count: number): boolean {
  return lba + count > LBA28_LIMIT;
}

/** Byte `index` (0 = least significant) of a 48-bit LBA; JavaScript's bit operators stop at 32 bits. */
function lbaByte(lba: number, index: number): number {
  return Math.floor(lba / 2 ** (8 * index)) & 0xff;
}

function hex2(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}

/** Poll for the IDENTIFY data and decode it; null if no ATA drive answers. */
function readIdentifyData(
  cpu: MachineInterface,
  base: number,
  control: number,
): AtaIdentity | null {
  for (let i = 0; i < SETTLE_READS; i++) cpu.inb(control);
  if (cpu.inb(base + ATA_REG_STATUS) === 0) return null; // nothing on the master position
  for (let i = 0; ; i++) {
    const status = cpu.inb(control);
    if (status & ATA_SR_ERR || i === POLL_LIMIT) return null; // an ATAPI device, or a hung one
    if (!(status & ATA_SR_BSY) && status & ATA_SR_DRQ) break;
  }
  const words = new Uint16Array(WORDS_PER_SECTOR);
  cpu.insw(base + ATA_REG_DATA, words);
  return decodeIdentity(words);
}

/** Decode IDENTIFY DEVICE data (256 words). */
export function decodeIdentity(words: Uint16Array): AtaIdentity {
  const lba48 = (words[ID_COMMAND_SET_2]! & ID_COMMAND_SET_2_LBA48) !== 0;
  const lba28Sectors = words[ID_LBA28_SECTORS]! + words[ID_LBA28_SECTORS + 1]! * 0x1_0000;
  let lba48Sectors = 0;
  for (let i = 3; i >= 0; i--)
    lba48Sectors = lba48Sectors * 0x1_0000 + words[ID_LBA48_SECTORS + i]!;
  return {
    model: identifyString(words, ID_MODEL, 20),
    serial: identifyString(words, ID_SERIAL, 10),
    sectors: lba48 ? lba48Sectors : lba28Sectors,
    lba48,
  };
}

/** An ATA string: two characters per word, the first in the high byte, padded with spaces. */
function identifyString(words: Uint16Array, first: number, count: number): string {
  let text = '';
  for (let i = first; i < first + count; i++)
    text += String.fromCharCode(words[i]! >> 8, words[i]! & 0xff);
  return text.trim();
}
