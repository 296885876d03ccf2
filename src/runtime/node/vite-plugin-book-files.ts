/**
 * Vite plugin: the book's programs, its disk/ tree and the book's disk built
 * from them (book-disk.ts), as one binary file for the machine worker
 * (book-files.ts), and the virtual module that names it:
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
import { BOOK_DISK_BYTES, bookDiskVersion, buildBookDiskImage } from '../host/book-disk';
import { type BookFiles, packBookFiles } from '../host/book-files';
import { repoDiskFiles, repoUserPrograms } from './node-host';

const ID = 'virtual:cotton-book-files';
const RESOLVED_ID = `\0${ID}`;
const BOOK_FILES_DEV_PATH = '@cotton/book-files.bin';

const readBookFiles = (): BookFiles => ({
  programs: repoUserPrograms(),
  diskFiles: repoDiskFiles(),
});

/** The file: the programs, the disk/ tree, and the book's disk they make. */
function bookFilesBytes(files: BookFiles): Uint8Array {
  return packBookFiles(files, buildBookDiskImage(files.programs, { files: files.diskFiles }));
}

/** The module that names the file at `url` (code) and the disk these files make. */
function moduleCode(url: string, { programs, diskFiles }: BookFiles): string {
  const name = bookDiskVersion(programs, BOOK_DISK_BYTES, diskFiles);
  return `export const bookFilesUrl = ${url};\nexport const bookDiskName = ${JSON.stringify(name)};`;
}

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
        response.end(bookFilesBytes(readBookFiles()));
      });
    },
    resolveId(id) {
      return id === ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const files = readBookFiles();
      if (serving) return moduleCode(JSON.stringify(base + BOOK_FILES_DEV_PATH), files);
      const reference = this.emitFile({
        type: 'asset',
        name: 'book-files.bin',
        source: bookFilesBytes(files),
      });
      return moduleCode(`import.meta.ROLLUP_FILE_URL_${reference}`, files);
    },
  };
}
