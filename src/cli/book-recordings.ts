/**
 * The book's recordings, which never go stale: every
 * `recordings/<chapter>/<name>.script` is run on the headless machine (fast
 * mode, virtual clock) and gives `public/recordings/<chapter>-<name>.nex`,
 * which the chapter embeds with <Player>. Adding a recording is adding one
 * script file; nothing lists them.
 *
 * Generation is deterministic (same script, same kernel: same bytes), so the
 * check is simply "regenerate and compare": `cotton nex build-recordings
 * --check` and the unit test fail when a committed file differs from what the
 * current kernel produces.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeNex } from '../nex/nex-format';
import { parseScript } from '../nex/script';
import { recordScript } from '../runtime/node/script-runner';
import type { KernelSources } from '../runtime/host/kernel-loader';
import { MachineHost } from '../runtime/host/machine-host';
import { repoKernelSources, repoUserPrograms } from '../runtime/node/node-host';

export const SCRIPTS_DIR = 'recordings';
export const OUTPUT_DIR = join('public', 'recordings');

export interface BookRecording {
  /** `<chapter>-<name>`: the file name of the recording, without `.nex`. */
  readonly id: string;
  /** The script, relative to the repository root. */
  readonly script: string;
  /** The .nex file, relative to the repository root. */
  readonly output: string;
}

/** Every recording script, in a stable order. */
export function listBookRecordings(root: string): BookRecording[] {
  const scripts = join(root, SCRIPTS_DIR);
  const chapters = readdirSync(scripts, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return chapters.flatMap((chapter) =>
    readdirSync(join(scripts, chapter))
      .filter((file) => file.endsWith('.script'))
      .sort()
      .map((file) => {
        const id = `${chapter}-${file.slice(0, -'.script'.length)}`;
        return {
          id,
          script: join(SCRIPTS_DIR, chapter, file),
          output: join(OUTPUT_DIR, `${id}.nex`),
        };
      }),
  );
}

/** Run one recording's script on a kernel (the repository's by default); the .nex bytes. */
export function renderBookRecording(
  root: string,
  recording: BookRecording,
  sources: KernelSources = repoKernelSources(),
): Uint8Array {
  const script = parseScript(readFileSync(join(root, recording.script), 'utf8'));
  return writeNex(
    recordScript(
      script,
      (options) => new MachineHost({ sources, programs: repoUserPrograms(), ...options }),
    ),
  );
}

function sameBytes(path: string, bytes: Uint8Array): boolean {
  return existsSync(path) && Buffer.compare(readFileSync(path), bytes) === 0;
}

export interface BuildReport {
  /** Recordings whose file was (or, with `check`, would be) rewritten. */
  readonly changed: string[];
  readonly unchanged: string[];
}

/** Regenerate every recording; with `check`, write nothing and only report what differs. */
export function buildBookRecordings(
  root: string,
  { check = false, sources = repoKernelSources() } = {},
): BuildReport {
  const report: BuildReport = { changed: [], unchanged: [] };
  for (const recording of listBookRecordings(root)) {
    const bytes = renderBookRecording(root, recording, sources);
    const path = join(root, recording.output);
    if (sameBytes(path, bytes)) {
      report.unchanged.push(relative(root, path));
      continue;
    }
    report.changed.push(relative(root, path));
    if (check) continue;
    mkdirSync(join(root, OUTPUT_DIR), { recursive: true });
    writeFileSync(path, bytes);
  }
  return report;
}
