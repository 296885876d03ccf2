/**
 * The libraries kernel code may import besides its own modules: the @noble
 * cryptography packages (docs/architecture.md §2), which the TLS client and
 * the certificate module (src/kernel/net/tls, src/kernel/net/pki) use for
 * hashes, ciphers and elliptic curves. They are pure, platform-free
 * JavaScript with no state a reboot would need to reset, so the linker hands
 * the host's one instance of each to every kernel, the way a real kernel
 * links a vendored crypto library into its image.
 *
 * Like a kernel's exported symbols, the table lists what the kernel uses,
 * not each package whole: a namespace handed over whole keeps every export
 * of it in the machine worker's script, where the bundler can drop what no
 * one names (FROST, OPRF and hash-to-curve came with ed25519: 60 KB of the
 * worker's script, and their set-up at every page load). Kernel code that
 * reads a name the table does not link (a reader's edit) stops with an error
 * that names what it does link, rather than calling `undefined`.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';

/** Kernel code read a name its library does not link. */
export class UnlinkedExportError extends Error {
  override name = 'UnlinkedExportError';
}

/** Names a module loader asks of any module (sucrase's interop helpers), which are not imports. */
const LOADER_NAMES = new Set(['__esModule', 'default', 'then']);

/** `exports` as kernel code sees the library `specifier`: a name it does not link is an error. */
function linked(specifier: string, exports: Record<string, unknown>): object {
  return new Proxy(Object.freeze(exports), {
    get(target, name, receiver) {
      if (typeof name === 'string' && !(name in target) && !LOADER_NAMES.has(name))
        throw new UnlinkedExportError(
          `the kernel does not link '${name}' from '${specifier}': it links ${Object.keys(target).join(', ')} (src/runtime/host/kernel-libraries.ts)`,
        );
      return Reflect.get(target, name, receiver);
    },
  });
}

/** The exports of each library the kernel links, by import specifier. */
export const LINKED_EXPORTS = {
  '@noble/ciphers/aes.js': { gcm },
  '@noble/ciphers/chacha.js': { chacha20poly1305 },
  '@noble/curves/ed25519.js': { ed25519, x25519 },
  '@noble/curves/nist.js': { p256, p384 },
  '@noble/hashes/hkdf.js': { expand, extract },
  '@noble/hashes/hmac.js': { hmac },
  '@noble/hashes/sha2.js': { sha256, sha384, sha512 },
} as const satisfies Record<string, Record<string, unknown>>;

/** Import specifier → what `require` gives kernel code, for `import ... from '@noble/...'`. */
export const KERNEL_LIBRARIES: Readonly<Record<string, object>> = Object.fromEntries(
  Object.entries(LINKED_EXPORTS).map(([specifier, exports]) => [
    specifier,
    linked(specifier, exports),
  ]),
);
