/**
 * The orphan list: inodes that no directory names any more but that are still
 * open, so their blocks must live until the last close.
 *
 * Models: ext3/ext4's orphan list (s_last_orphan in the superblock, chained
 * through each orphan inode). Unix lets a program unlink a file it has open
 * and go on reading and writing it; the name goes at once, the inode and its
 * blocks at the last close. If the power goes in between, nothing names the
 * inode, yet it is marked used: the list on disk says which inodes were
 * waiting, so the next mount (and fsck) can free them instead of leaking them.
 *
 * The list is singly linked: the superblock holds the head, each orphan inode
 * the next one (0 ends it). An inode is pushed at the head when its last link
 * goes while it is open, and unlinked from wherever it is when it is freed
 * (the list is short: the files unlinked while open right now). Everything
 * read from disk is checked, so a damaged list ends in an error, not a loop.
 */
import type { Io } from '../block-device';
import { FsError } from '../vfs';
import type { DiskInode } from './inode-format';
import { INODE_COUNT, ROOT_INODE } from './layout';
import type { Superblock } from './superblock';

/** What the list needs of a mounted file system (CottonFs, or fsck's view of a disk). */
export interface OrphanStore {
  readonly superblock: Superblock;
  readInode(number: number): Io<DiskInode>;
  writeInode(number: number, inode: DiskInode): Io<void>;
  superblockChanged(): void;
}

/** Put inode `number` (already read as `inode`, its links at 0) at the head of the list. */
export function* pushOrphan(store: OrphanStore, number: number, inode: DiskInode): Io<void> {
  inode.nextOrphan = store.superblock.orphanHead;
  yield* store.writeInode(number, inode);
  store.superblock.orphanHead = number;
  store.superblockChanged();
}

/** Take inode `number` off the list (before it is freed). */
export function* removeOrphan(store: OrphanStore, number: number): Io<void> {
  const chain = yield* orphanChain(store);
  const index = chain.indexOf(number);
  if (index < 0) return;
  const next = chain[index + 1] ?? 0;
  if (index === 0) {
    store.superblock.orphanHead = next;
    store.superblockChanged();
  } else {
    const previous = chain[index - 1]!;
    const inode = yield* store.readInode(previous);
    inode.nextOrphan = next;
    yield* store.writeInode(previous, inode);
  }
}

/** The inodes on the list, head first; EIO for a number out of range or a loop. */
export function* orphanChain(store: OrphanStore): Io<number[]> {
  const chain: number[] = [];
  const seen = new Set<number>();
  for (let number = store.superblock.orphanHead; number !== 0; ) {
    if (!Number.isInteger(number) || number <= ROOT_INODE || number >= INODE_COUNT)
      throw new FsError('EIO', `orphan list: inode number ${number} is out of range; run fsck`);
    if (seen.has(number))
      throw new FsError('EIO', `orphan list: loops at inode ${number}; run fsck`);
    seen.add(number);
    chain.push(number);
    number = (yield* store.readInode(number)).nextOrphan;
  }
  return chain;
}
