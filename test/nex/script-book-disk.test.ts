/**
 * `disk book` in a recording script: the machine boots with a fresh copy of
 * the book's own disk, so a recording can use what is on it (the TLS
 * chapter's root CA in /etc/ssl/certs), and the copy is the same every run.
 */
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../src/nex/script';
import type { Session } from '../../src/nex/session';
import { bootFromRepo } from '../../src/runtime/node/node-host';
import { recordScript } from '../../src/runtime/node/script-runner';

function screenText(session: Session): string {
  const decoder = new TextDecoder();
  return session.events
    .filter((e) => e.kind === 'output')
    .map((e) => decoder.decode((e as { data: Uint8Array }).data, { stream: true }))
    .join('')
    .replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r\n/g, '\n');
}

describe('disk book', () => {
  it('is a setting of its own, not a size', () => {
    const settings = parseScript('disk book\nprompt\n').settings;
    expect(settings.bookDisk).toBe(true);
    expect(settings.diskMiB).toBeUndefined();
  });

  it("boots with the book's disk: its root CA is in /etc/ssl/certs", () => {
    const session = recordScript(
      parseScript('disk book\nprompt\nrun ls /etc/ssl/certs\n'),
      bootFromRepo,
    );
    expect(screenText(session)).toContain('cotton-book-root.pem');
  });
});
