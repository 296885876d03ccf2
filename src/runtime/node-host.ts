/**
 * Boots the repository's kernel in Node: the entry point for the CLI, tests
 * and benchmarks.
 */
import { readKernelSources } from './kernel-source-tree';
import { MachineHost, type BootOptions } from './machine-host';
import type { KernelSources } from './kernel-loader';

let repoSources: KernelSources | null = null;

/** The kernel sources on disk, read once per process. */
export function repoKernelSources(): KernelSources {
  repoSources ??= readKernelSources();
  return repoSources;
}

/** Boot a machine on the repository's kernel (plus any overrides). */
export function bootFromRepo(options: Omit<BootOptions, 'sources'> = {}): MachineHost {
  return new MachineHost({ sources: repoKernelSources(), ...options });
}
