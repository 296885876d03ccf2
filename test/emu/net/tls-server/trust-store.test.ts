// The book's trust store: the root CA the HTTPS hosts' chains lead to is on the book's disk at
// /etc/ssl/certs/cotton-book-root.pem (from the repository's disk/ tree), the same certificate
// as the generated data module and the test fixture.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { BOOK_ROOT_CA_PEM } from '../../../../src/emu/net/tls-server/book-certificates';
import { buildCottonFsImage, writeBookFiles } from '../../../../src/runtime/host/book-disk';
import { readDiskTree } from '../../../../src/runtime/node/disk-tree';
import { runToCompletion } from '../../../../src/kernel/fs/block-device';
import { Vfs } from '../../../../src/kernel/fs/vfs';

const FIXTURE_ROOT = join(import.meta.dirname, '../../../fixtures/pki/root-ca.pem');

it('the book disk carries the root CA at /etc/ssl/certs/cotton-book-root.pem', () => {
  const { fs } = buildCottonFsImage(4 * 1024 * 1024, (vfs) =>
    writeBookFiles(vfs, [], readDiskTree()),
  );
  const bytes = runToCompletion(new Vfs(fs).readFile('/etc/ssl/certs/cotton-book-root.pem'));
  const onDisk = new TextDecoder().decode(bytes);
  expect(onDisk).toBe(`${BOOK_ROOT_CA_PEM}\n`);
  expect(onDisk.trim()).toBe(readFileSync(FIXTURE_ROOT, 'utf8').trim());
});
