/**
 * The book's recordings never go stale: each committed public/recordings/*.nex
 * is exactly what its script gives on the current kernel, byte for byte. When
 * the kernel changes what it prints, this fails until `npm run recordings`
 * regenerates them (and the change is committed with the kernel's).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBookRecordings, OUTPUT_DIR, renderBookRecording } from '../../src/cli/book-recordings';
import { readNex } from '../../src/nex/nex-format';

const ROOT = join(import.meta.dirname, '..', '..');
const recordings = listBookRecordings(ROOT);

describe("the book's recordings", () => {
  it.each(recordings.map((r) => [r.id, r] as const))(
    '%s is what its script gives on this kernel',
    (_, recording) => {
      const fresh = renderBookRecording(ROOT, recording);
      const committed = new Uint8Array(readFileSync(join(ROOT, recording.output)));
      expect(
        Buffer.from(committed).equals(Buffer.from(fresh)),
        `${recording.output} is stale: run npm run recordings`,
      ).toBe(true);
      expect(readNex(committed).commands.length).toBeGreaterThan(0);
    },
  );

  it('has a script for every committed recording, and a recording for every chapter', () => {
    const files = readdirSync(join(ROOT, OUTPUT_DIR))
      .filter((f) => f.endsWith('.nex'))
      .sort();
    expect(files).toEqual(recordings.map((r) => `${r.id}.nex`).sort());
    const chapters = readdirSync(join(ROOT, 'chapters'))
      .filter((f) => /\.mdx?$/.test(f))
      .map((f) => f.replace(/\.mdx?$/, ''));
    for (const chapter of chapters)
      expect(
        recordings.some((r) => r.id.startsWith(`${chapter}-`)),
        chapter,
      ).toBe(true);
  });
});
