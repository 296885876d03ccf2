/**
 * A machine worker's way to its first prompt, as User Timing entries
 * (`performance.mark` and `performance.measure`, named `cotton:…`): they show
 * in the browser's performance tools, and `npm run bench` reads them from the
 * page's first worker to cut the first prompt into phases
 * (src/bench/browser-benchmarks.ts). Each is taken once per worker, the first
 * time it happens: a worker is one machine, and later boots are its checks'.
 *
 *   worker-ready     the worker's script is loaded and evaluated
 *   kernel-compile   (a measure) compiling the kernel's modules
 *   disk-open        the reader's disk is open (stored, built or handed over)
 *   boot-asked       the page asked for the boot (after `linking` if the
 *                    worker booted ahead, preparation.ts)
 *   linking          the kernel and the disk are ready: the kernel is linked
 *   powered-on       the kernel is linked and the machine powered on
 *   first-prompt     the worker sends the shell's first prompt to the page
 */
export const MILESTONES = [
  'worker-ready',
  'disk-open',
  'boot-asked',
  'linking',
  'powered-on',
  'first-prompt',
] as const;
export type Milestone = (typeof MILESTONES)[number];

export const KERNEL_COMPILE = 'kernel-compile';

export const timingName = (name: Milestone | typeof KERNEL_COMPILE): string => `cotton:${name}`;

const taken = (name: string): boolean => performance.getEntriesByName(name).length > 0;

/** Mark `name` now, unless this worker has already. */
export function milestone(name: Milestone): void {
  if (!taken(timingName(name))) performance.mark(timingName(name));
}

/** Run `compile` (the kernel's modules), measured the first time. */
export function measureKernelCompile(compile: () => void): void {
  const start = performance.now();
  compile();
  const name = timingName(KERNEL_COMPILE);
  if (!taken(name)) performance.measure(name, { start, end: performance.now() });
}
