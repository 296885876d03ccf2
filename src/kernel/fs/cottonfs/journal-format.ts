/**
 * The journal's blocks: header, descriptor and commit record.
 *
 * Models: the JBD journal of ext3/ext4 (and, before it, database write-ahead
 * logs), simplified to one transaction in the log at a time. The journal is a
 * run of blocks starting at the superblock's `journal start`:
 *
 *   journal block 0     header      u32 magic "CTJH", u32 sequence
 *   journal block 1     descriptor  u32 magic "CTJD", u32 sequence, u32 count,
 *                                   then `count` u32 home block numbers
 *   journal blocks 2…   the new contents of those blocks, in that order
 *   after them          commit      u32 magic "CTJC", u32 sequence, u32 count,
 *                                   u32 CRC-32 of the descriptor and data blocks
 *
 * A transaction is in the journal exactly when the descriptor and commit carry
 * the header's sequence number and the checksum matches: a commit record that
 * was written before its data blocks, or a stale one from an older
 * transaction, fails that test, so a power cut can only ever leave a whole
 * transaction or none.
 */
import { BLOCK_SIZE } from './layout';

export const JOURNAL_HEADER_MAGIC = 0x43544a48; // "CTJH"
export const JOURNAL_DESCRIPTOR_MAGIC = 0x43544a44; // "CTJD"
export const JOURNAL_COMMIT_MAGIC = 0x43544a43; // "CTJC"
const DESCRIPTOR_HEADER_BYTES = 12;
/** Home block numbers one descriptor block can list. */
export const DESCRIPTOR_CAPACITY = (BLOCK_SIZE - DESCRIPTOR_HEADER_BYTES) / 4;

export interface JournalHeader {
  magic: number;
  sequence: number;
}

export interface JournalDescriptor {
  magic: number;
  sequence: number;
  homeBlocks: number[];
}

export interface JournalCommit {
  magic: number;
  sequence: number;
  count: number;
  checksum: number;
}

const view = (block: Uint8Array): DataView =>
  new DataView(block.buffer, block.byteOffset, BLOCK_SIZE);

export function encodeJournalHeader(header: JournalHeader, into: Uint8Array): void {
  into.fill(0, 0, BLOCK_SIZE);
  view(into).setUint32(0, header.magic, true);
  view(into).setUint32(4, header.sequence, true);
}

export function decodeJournalHeader(block: Uint8Array): JournalHeader {
  return { magic: view(block).getUint32(0, true), sequence: view(block).getUint32(4, true) };
}

export function encodeJournalDescriptor(descriptor: JournalDescriptor, into: Uint8Array): void {
  if (descriptor.homeBlocks.length > DESCRIPTOR_CAPACITY)
    throw new Error('journal: too many blocks for one descriptor');
  into.fill(0, 0, BLOCK_SIZE);
  const v = view(into);
  v.setUint32(0, descriptor.magic, true);
  v.setUint32(4, descriptor.sequence, true);
  v.setUint32(8, descriptor.homeBlocks.length, true);
  descriptor.homeBlocks.forEach((block, i) =>
    v.setUint32(DESCRIPTOR_HEADER_BYTES + 4 * i, block, true),
  );
}

export function decodeJournalDescriptor(block: Uint8Array): JournalDescriptor {
  const v = view(block);
  const count = Math.min(v.getUint32(8, true), DESCRIPTOR_CAPACITY);
  return {
    magic: v.getUint32(0, true),
    sequence: v.getUint32(4, true),
    homeBlocks: Array.from({ length: count }, (_, i) =>
      v.getUint32(DESCRIPTOR_HEADER_BYTES + 4 * i, true),
    ),
  };
}

export function encodeJournalCommit(commit: JournalCommit, into: Uint8Array): void {
  into.fill(0, 0, BLOCK_SIZE);
  const v = view(into);
  v.setUint32(0, commit.magic, true);
  v.setUint32(4, commit.sequence, true);
  v.setUint32(8, commit.count, true);
  v.setUint32(12, commit.checksum, true);
}

export function decodeJournalCommit(block: Uint8Array): JournalCommit {
  const v = view(block);
  return {
    magic: v.getUint32(0, true),
    sequence: v.getUint32(4, true),
    count: v.getUint32(8, true),
    checksum: v.getUint32(12, true),
  };
}

/** CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), continuing from `crc`. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
