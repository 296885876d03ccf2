import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin, ResolvedConfig, ViteDevServer } from 'vite';
import { describe, expect, it } from 'vitest';
import { BOOK_DISK_BYTES, bookDiskVersion } from '../../../src/runtime/host/book-disk';
import { unpackBookFiles } from '../../../src/runtime/host/book-files';
import { cottonBookFiles } from '../../../src/runtime/node/vite-plugin-book-files';
import { repoDiskFiles, repoUserPrograms } from '../../../src/runtime/node/node-host';

type Hook = (...args: unknown[]) => unknown;
const call = (plugin: Plugin, hook: keyof Plugin, self: object, ...args: unknown[]): unknown =>
  (plugin[hook] as Hook).call(self, ...args);

const ID = 'virtual:cotton-book-files';

/** The disk's name line the module ends with: the version book-disk.ts gives these files. */
const diskNameLine = (): string =>
  `export const bookDiskName = "${bookDiskVersion(repoUserPrograms(), BOOK_DISK_BYTES, repoDiskFiles())}";`;

describe('the book files plugin', () => {
  it("emits the packed programs as a built asset, names it by its file URL and names the book's disk", () => {
    const plugin = cottonBookFiles();
    call(plugin, 'configResolved', {}, { base: '/book/' } as ResolvedConfig);
    const emitted: { name: string; source: Uint8Array }[] = [];
    const context = {
      emitFile: (file: { name: string; source: Uint8Array }) => emitted.push(file) && 'ref7',
    };
    const resolved = call(plugin, 'resolveId', context, ID) as string;
    expect(call(plugin, 'resolveId', context, 'virtual:other')).toBeUndefined();
    expect(call(plugin, 'load', context, resolved)).toBe(
      `export const bookFilesUrl = import.meta.ROLLUP_FILE_URL_ref7;\n${diskNameLine()}`,
    );
    expect(emitted.map((file) => file.name)).toEqual(['book-files.bin']);
    const { programs } = unpackBookFiles(emitted[0]!.source);
    expect(programs.map((p) => p.name)).toEqual(repoUserPrograms().map((p) => p.name));
  });

  it('serves the file from memory under the base on a dev server', () => {
    const plugin = cottonBookFiles();
    call(plugin, 'configResolved', {}, { base: '/book/' } as ResolvedConfig);
    let mounted: { path: string; handler: Hook } | null = null;
    const server = {
      middlewares: { use: (path: string, handler: Hook) => (mounted = { path, handler }) },
    } as unknown as ViteDevServer;
    call(plugin, 'configureServer', {}, server);
    const resolved = call(plugin, 'resolveId', {}, ID) as string;
    expect(call(plugin, 'load', {}, resolved)).toBe(
      `export const bookFilesUrl = "/book/@cotton/book-files.bin";\n${diskNameLine()}`,
    );
    expect(mounted!.path).toBe('/book/@cotton/book-files.bin');
    let body: Uint8Array | null = null;
    const response = {
      setHeader: () => {},
      end: (bytes: Uint8Array) => (body = bytes),
    } as unknown as ServerResponse;
    mounted!.handler({} as IncomingMessage, response);
    expect(unpackBookFiles(body!).programs.length).toBe(repoUserPrograms().length);
  });
});
