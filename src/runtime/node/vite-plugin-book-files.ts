/**
 * Vite plugin: the book's programs and disk/ tree as one binary file for the
 * machine worker (book-files.ts), and the virtual module that names it:
 *
 *   virtual:cotton-book-files   { bookFilesUrl, bookDiskName }
 *        where the worker fetches the file, and the name of the book's disk
 *        those files make (book-disk.ts's bookDiskVersion), hashed here once
 *        rather than in every worker before its first boot
 *
 * A build emits the file as an asset named by its content (`book-files.HASH.bin`
 * beside the scripts), so browsers cache it as long as the programs do not
 * change; the dev server serves it from memory at BOOK_FILES_DEV_PATH. The
 * programs are the committed src/userland/bin/*.elf and the tree the
 * repository's disk/ folder, read as `cotton boot` reads them (node-host.ts).
 */
import type { Plugin } from 'vite';
import { BOOK_DISK_BYTES, bookDiskVersion } from '../host/book-disk';
import { packBookFiles } from '../host/book-files';
import { repoDiskFiles, repoUserPrograms } from './node-host';

const ID = 'virtual:cotton-book-files';
const RESOLVED_ID = `\0${ID}`;
const BOOK_FILES_DEV_PATH = '@cotton/book-files.bin';

const bookFiles = (): Uint8Array =>
  packBookFiles({ programs: repoUserPrograms(), diskFiles: repoDiskFiles() });

const bookDiskNameCode = (): string =>
  `export const bookDiskName = ${JSON.stringify(bookDiskVersion(repoUserPrograms(), BOOK_DISK_BYTES, repoDiskFiles()))};`;

export function cottonBookFiles(): Plugin {
  let base = '/';
  let serving = false;
  return {
    name: 'cotton-book-files',
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      serving = true;
      server.middlewares.use(`${base}${BOOK_FILES_DEV_PATH}`, (_request, response) => {
        response.setHeader('content-type', 'application/octet-stream');
        response.end(bookFiles());
      });
    },
    resolveId(id) {
      return id === ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      if (serving)
        return `export const bookFilesUrl = ${JSON.stringify(base + BOOK_FILES_DEV_PATH)};\n${bookDiskNameCode()}`;
      const reference = this.emitFile({
        type: 'asset',
        name: 'book-files.bin',
        source: bookFiles(),
      });
      return `export const bookFilesUrl = import.meta.ROLLUP_FILE_URL_${reference};\n${bookDiskNameCode()}`;
    },
  };
}
