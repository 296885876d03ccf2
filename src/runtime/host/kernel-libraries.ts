/**
 * The libraries kernel code may import besides its own modules: the @noble
 * cryptography packages (docs/architecture.md §2), which the TLS client and
 * the certificate module (src/kernel/net/tls, src/kernel/net/pki) use for
 * hashes, ciphers and elliptic curves. They are pure, platform-free
 * JavaScript with no state a reboot would need to reset, so the linker hands
 * the host's one instance of each to every kernel, the way a real kernel
 * links a vendored crypto library into its image.
 */
import * as aes from '@noble/ciphers/aes.js';
import * as chacha from '@noble/ciphers/chacha.js';
import * as ed25519 from '@noble/curves/ed25519.js';
import * as nist from '@noble/curves/nist.js';
import * as hkdf from '@noble/hashes/hkdf.js';
import * as hmac from '@noble/hashes/hmac.js';
import * as sha2 from '@noble/hashes/sha2.js';
import * as utils from '@noble/hashes/utils.js';

/** Import specifier → module namespace, for `import ... from '@noble/...'` in kernel code. */
export const KERNEL_LIBRARIES: Readonly<Record<string, object>> = {
  '@noble/ciphers/aes.js': aes,
  '@noble/ciphers/chacha.js': chacha,
  '@noble/curves/ed25519.js': ed25519,
  '@noble/curves/nist.js': nist,
  '@noble/hashes/hkdf.js': hkdf,
  '@noble/hashes/hmac.js': hmac,
  '@noble/hashes/sha2.js': sha2,
  '@noble/hashes/utils.js': utils,
};
