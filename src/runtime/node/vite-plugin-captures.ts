/**
 * Vite plugin: the networking chapter's live captures, made at build time.
 *
 *   import { captures } from 'virtual:cotton-captures';
 *
 * gives, for every entry of BOOK_CAPTURES, its frames (network-capture.ts
 * boots the repository's kernel in Node and runs the entry's steps), as
 * `{ timeMicros, fromGuest, hex }` objects. The captures are made once per
 * build; in dev, a change to the kernel reloads the page through
 * vite-plugin-kernel.ts and they are made again.
 */
import type { Plugin, ViteDevServer } from 'vite';
import { captureSession, type CaptureStep } from './network-capture';

const CAPTURES_ID = 'virtual:cotton-captures';
const RESOLVED_ID = `\0${CAPTURES_ID}`;

/** The captures the book draws: the chapter names one by its key. */
export const BOOK_CAPTURES: Readonly<Record<string, readonly CaptureStep[]>> = {
  /** Boot (DHCP), a name with a CNAME, and one page by HTTP. */
  'first-fetch': [{ command: 'dns www.example.com' }, { command: 'httpget example.com /' }],
  /** 6 KiB to the echo server and back, over a link that loses one frame in five. */
  'lossy-echo': [
    { command: 'dns echo.cotton.test' },
    { link: { lossPercent: 20 } },
    { command: 'tcpbulk echo.cotton.test 7 6000 echo' },
  ],
};

function capturesModule(): string {
  const captures = Object.fromEntries(
    Object.entries(BOOK_CAPTURES).map(([name, steps]) => [
      name,
      captureSession(steps).map(({ timeMicros, fromGuest, bytes }) => ({
        timeMicros,
        fromGuest,
        hex: Buffer.from(bytes).toString('hex'),
      })),
    ]),
  );
  return `export const captures = ${JSON.stringify(captures)};`;
}

export function cottonCaptures(): Plugin {
  return {
    name: 'cotton-captures',
    resolveId(id) {
      return id === CAPTURES_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      return id === RESOLVED_ID ? capturesModule() : undefined;
    },
    configureServer(server: ViteDevServer) {
      // The kernel plugin reloads the page on a kernel edit; forget the captures too.
      server.watcher.on('change', (path) => {
        if (!path.includes('/src/kernel/')) return;
        const module = server.moduleGraph.getModuleById(RESOLVED_ID);
        if (module) server.moduleGraph.invalidateModule(module);
      });
    },
  };
}
