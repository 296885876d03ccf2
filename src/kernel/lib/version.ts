/** The kernel's name and version, as `info` and the boot banner show them. */
export const KERNEL_NAME = 'CottonOS';
export const KERNEL_VERSION = '0.1.0';
/** CottonOS is written in Rust; this is its TypeScript retelling. */
export const KERNEL_EDITION = 'TypeScript edition';
