/**
 * Timers and the monotonic clock, which every host of a machine has (the
 * browser's worker and page, Node). Only src/runtime/host sees them, for
 * pacing a machine to wall time; the kernel and the emulator never read the
 * host's clock.
 */
declare function setTimeout(callback: () => void, delayMs?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare const performance: { now(): number };
