import { describe, expect, it } from 'vitest';
import {
  ATA_CMD_FLUSH_CACHE,
  ATA_CMD_IDENTIFY,
  ATA_CMD_READ_SECTORS,
  ATA_CMD_READ_SECTORS_EXT,
  ATA_CMD_WRITE_SECTORS,
  ATA_CMD_WRITE_SECTORS_EXT,
  AtaPioDisk,
} from '../../../src/emu/ata-pio';
import { VirtualClock } from '../../../src/emu/clock';
import { IoBus } from '../../../src/emu/io-bus';

const DATA = 0x1f0;
const ERROR = 0x1f1;
const COUNT = 0x1f2;
const LBA_LOW = 0x1f3;
const LBA_MID = 0x1f4;
const LBA_HIGH = 0x1f5;
const DRIVE = 0x1f6;
const STATUS = 0x1f7;
const COMMAND = 0x1f7;
const ALT_STATUS = 0x3f6;
const BSY = 0x80;
const DRQ = 0x08;
const ERR = 0x01;

/** A disk whose every sector is filled with its LBA's low byte, sector-marked at byte 0..3. */
function setup(sectors = 64) {
  const bytes = new Uint8Array(sectors * 512);
  for (let lba = 0; lba < sectors; lba++) {
    bytes.fill(lba & 0xff, lba * 512, (lba + 1) * 512);
    new DataView(bytes.buffer).setUint32(lba * 512, lba, true);
  }
  const clock = new VirtualClock();
  const io = new IoBus();
  const irq = { high: false, edges: 0 };
  const writes: [number, number][] = [];
  const disk = new AtaPioDisk(
    clock,
    { bytes, onWrite: (lba, count) => writes.push([lba, count]) },
    (high) => {
      if (high && !irq.high) irq.edges++;
      irq.high = high;
    },
  );
  io.attach(disk, DATA, 8);
  io.attach(disk, ALT_STATUS);
  /** inb as the CPU does it: each I/O cycle costs a microsecond. */
  const inb = (port: number): number => {
    clock.spend(1000);
    return io.in8(port);
  };
  return { bytes, clock, io, irq, writes, inb };
}

type Setup = ReturnType<typeof setup>;

/** Poll until BSY clears; fail on ERR. */
function waitNotBusy({ inb }: Setup): number {
  for (let i = 0; i < 10_000; i++) {
    const status = inb(STATUS);
    if (!(status & BSY)) return status;
  }
  throw new Error('disk stays busy');
}

function selectLba28(s: Setup, lba: number, count: number): void {
  s.io.out8(DRIVE, 0xe0 | ((lba >> 24) & 0x0f));
  s.io.out8(COUNT, count);
  s.io.out8(LBA_LOW, lba & 0xff);
  s.io.out8(LBA_MID, (lba >> 8) & 0xff);
  s.io.out8(LBA_HIGH, (lba >> 16) & 0xff);
}

function selectLba48(s: Setup, lba: number, count: number): void {
  s.io.out8(DRIVE, 0x40);
  s.io.out8(COUNT, count >> 8);
  s.io.out8(LBA_LOW, Math.floor(lba / 2 ** 24) & 0xff);
  s.io.out8(LBA_MID, Math.floor(lba / 2 ** 32) & 0xff);
  s.io.out8(LBA_HIGH, Math.floor(lba / 2 ** 40) & 0xff);
  s.io.out8(COUNT, count & 0xff);
  s.io.out8(LBA_LOW, lba & 0xff);
  s.io.out8(LBA_MID, (lba >> 8) & 0xff);
  s.io.out8(LBA_HIGH, (lba >> 16) & 0xff);
}

function readSectorWords(s: Setup): Uint8Array {
  const sector = new Uint8Array(512);
  for (let i = 0; i < 256; i++) {
    const word = s.io.in16(DATA);
    sector[2 * i] = word & 0xff;
    sector[2 * i + 1] = word >> 8;
  }
  return sector;
}

function pioRead(s: Setup, count: number): Uint8Array[] {
  const sectors: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const status = waitNotBusy(s);
    expect(status & (DRQ | ERR)).toBe(DRQ);
    sectors.push(readSectorWords(s));
  }
  return sectors;
}

function pioWrite(s: Setup, sectors: Uint8Array[]): void {
  for (const sector of sectors) {
    const status = waitNotBusy(s);
    expect(status & (DRQ | ERR)).toBe(DRQ);
    for (let i = 0; i < 256; i++) s.io.out16(DATA, sector[2 * i]! | (sector[2 * i + 1]! << 8));
  }
  expect(waitNotBusy(s) & (DRQ | ERR)).toBe(0);
}

describe('ATA PIO disk', () => {
  it('answers IDENTIFY with its size, LBA48 support and a byte-swapped model string', () => {
    const s = setup(1000);
    s.io.out8(DRIVE, 0xa0);
    s.io.out8(COMMAND, ATA_CMD_IDENTIFY);
    expect(s.io.in8(STATUS) & BSY).toBe(BSY);
    const [data] = pioRead(s, 1);
    const word = (i: number): number => data![2 * i]! | (data![2 * i + 1]! << 8);
    expect(word(0)).toBe(0x0040);
    expect(word(49) & 0x0200).toBe(0x0200);
    expect(word(60) | (word(61) << 16)).toBe(1000);
    expect(word(83) & 0x0400).toBe(0x0400);
    expect(word(100)).toBe(1000);
    const model = Array.from({ length: 20 }, (_, i) =>
      String.fromCharCode(word(27 + i) >> 8, word(27 + i) & 0xff),
    ).join('');
    expect(model.trim()).toBe('Cotton PC ATA disk');
  });

  it('reports an absent slave with status 0', () => {
    const s = setup();
    s.io.out8(DRIVE, 0xb0);
    s.io.out8(COMMAND, ATA_CMD_IDENTIFY);
    expect(s.inb(STATUS)).toBe(0);
  });

  it('reads sectors with READ SECTORS, polling BSY and DRQ, 256 words per sector', () => {
    const s = setup();
    selectLba28(s, 5, 3);
    s.io.out8(COMMAND, ATA_CMD_READ_SECTORS);
    const sectors = pioRead(s, 3);
    expect(sectors.map((sector) => new DataView(sector.buffer).getUint32(0, true))).toEqual([
      5, 6, 7,
    ]);
    expect(sectors[2]![100]).toBe(7);
    expect(s.inb(STATUS) & (BSY | DRQ)).toBe(0);
  });

  it('raises IRQ14 once per sector, acknowledged by reading the status register but not the alternate status', () => {
    const s = setup();
    selectLba28(s, 0, 2);
    s.io.out8(COMMAND, ATA_CMD_READ_SECTORS);
    s.clock.advanceTo(s.clock.nextEventAt());
    expect(s.irq.high).toBe(true);
    s.io.in8(ALT_STATUS);
    expect(s.irq.high).toBe(true);
    expect(s.io.in8(STATUS) & DRQ).toBe(DRQ);
    expect(s.irq.high).toBe(false);
    readSectorWords(s);
    s.clock.advanceTo(s.clock.nextEventAt());
    expect(s.irq.edges).toBe(2);
  });

  it('keeps IRQ14 low while nIEN is set', () => {
    const s = setup();
    s.io.out8(ALT_STATUS, 0x02);
    selectLba28(s, 0, 1);
    s.io.out8(COMMAND, ATA_CMD_READ_SECTORS);
    s.clock.advanceTo(s.clock.nextEventAt());
    expect(s.irq.edges).toBe(0);
  });

  it('reads beyond LBA 2^28 with READ SECTORS EXT', () => {
    // A sparse view: only the sectors read need to exist, so fake a huge disk by checking the address maths.
    const s = setup();
    selectLba48(s, 40, 2);
    s.io.out8(COMMAND, ATA_CMD_READ_SECTORS_EXT);
    expect(pioRead(s, 2).map((x) => x[0])).toEqual([40, 41]);
  });

  it('reads back the high-order bytes of the LBA48 registers through HOB', () => {
    const s = setup();
    selectLba48(s, 0x0605_0403_0201, 0x0102);
    s.io.out8(ALT_STATUS, 0x80);
    expect([COUNT, LBA_LOW, LBA_MID, LBA_HIGH].map((p) => s.io.in8(p))).toEqual([
      0x01, 0x04, 0x05, 0x06,
    ]);
    s.io.out8(ALT_STATUS, 0x00);
    expect([COUNT, LBA_LOW, LBA_MID, LBA_HIGH].map((p) => s.io.in8(p))).toEqual([
      0x02, 0x01, 0x02, 0x03,
    ]);
  });

  it('writes sectors with WRITE SECTORS and tells the host once the command completes', () => {
    const s = setup();
    const payload = [new Uint8Array(512).fill(0xaa), new Uint8Array(512).fill(0x55)];
    selectLba28(s, 10, 2);
    s.io.out8(COMMAND, ATA_CMD_WRITE_SECTORS);
    pioWrite(s, payload);
    expect(s.bytes.subarray(10 * 512, 12 * 512)).toEqual(
      Uint8Array.from([...payload[0]!, ...payload[1]!]),
    );
    expect(s.bytes[12 * 512]).toBe(12);
    expect(s.writes).toEqual([[10, 2]]);
    selectLba28(s, 10, 2);
    s.io.out8(COMMAND, ATA_CMD_READ_SECTORS);
    expect(pioRead(s, 2)).toEqual(payload);
  });

  it('writes with WRITE SECTORS EXT and flushes', () => {
    const s = setup();
    selectLba48(s, 63, 1);
    s.io.out8(COMMAND, ATA_CMD_WRITE_SECTORS_EXT);
    pioWrite(s, [new Uint8Array(512).fill(7)]);
    expect(s.bytes[63 * 512 + 300]).toBe(7);
    s.io.out8(COMMAND, ATA_CMD_FLUSH_CACHE);
    expect(waitNotBusy(s) & ERR).toBe(0);
    expect(s.writes).toEqual([[63, 1]]);
  });

  it('aborts unknown commands and rejects sectors beyond the end of the disk', () => {
    const s = setup(16);
    s.io.out8(COMMAND, 0xa1); // IDENTIFY PACKET DEVICE: not an ATAPI device
    expect(s.inb(STATUS) & ERR).toBe(ERR);
    expect(s.io.in8(ERROR) & 0x04).toBe(0x04);
    selectLba28(s, 15, 2);
    s.io.out8(COMMAND, ATA_CMD_READ_SECTORS);
    expect(s.inb(STATUS) & ERR).toBe(ERR);
    expect(s.io.in8(ERROR) & 0x10).toBe(0x10);
  });

  it('shows the ATA signature after a software reset', () => {
    const s = setup();
    s.io.out8(ALT_STATUS, 0x04);
    expect(s.io.in8(ALT_STATUS) & BSY).toBe(BSY);
    s.io.out8(ALT_STATUS, 0x00);
    expect([COUNT, LBA_LOW, LBA_MID, LBA_HIGH].map((p) => s.io.in8(p))).toEqual([1, 1, 0, 0]);
    expect(s.io.in8(STATUS) & 0x40).toBe(0x40);
  });
});
