import { describe, expect, it } from 'vitest';
import { FsError } from '../../../src/kernel/fs/vfs';
import { readDiskFile } from '../../../src/runtime/host/disk-file';
import { repoBookDisk } from '../../../src/runtime/node/node-host';

describe('readDiskFile', () => {
  it('reads a file out of the book disk and leaves the image unchanged', () => {
    const image = repoBookDisk().slice();
    const before = image.slice();
    const root = new TextDecoder().decode(
      readDiskFile(image, '/etc/ssl/certs/cotton-book-root.pem'),
    );
    expect(root).toContain('-----BEGIN CERTIFICATE-----');
    expect(Buffer.from(image).equals(Buffer.from(before))).toBe(true);
  });

  it('throws FsError for a path that is not there', () => {
    expect(() => readDiskFile(repoBookDisk(), '/var/log/none.log')).toThrow(FsError);
  });
});
