/**
 * The benchmark's loads in a reader's browser (src/bench/reader-loads.ts):
 * the script it adds to the chapter reports the first prompt, once, for its
 * load, and the fresh browser starts where it should.
 */
import { describe, expect, it } from 'vitest';
import {
  LOAD_PARAM,
  readerArgs,
  startPage,
  withPromptReporter,
} from '../../src/bench/reader-loads';

const CHAPTER = '<!doctype html><html><body><main>the chapter</main></body></html>';

/** The reporting script's code, as the page would run it. */
function reporterCode(html: string): string {
  const match = /<script>([\s\S]*?)<\/script><\/body>/.exec(html);
  if (!match) throw new Error('no reporting script before </body>');
  return match[1]!;
}

/**
 * Run the reporting script against a terminal that shows `screens` one
 * animation frame after another; what it sent by beacon.
 */
function runReporter(html: string, screens: string[]): { url: string; body: string }[] {
  const sent: { url: string; body: string }[] = [];
  const frames: (() => void)[] = [];
  let shown = '';
  const document = {
    querySelector: (selector: string) =>
      selector === 'cotton-machine' ? { terminalText: () => shown } : null,
  };
  const navigator = {
    sendBeacon: (url: string, body: string) => {
      sent.push({ url, body });
      return true;
    },
  };
  const performance = { now: () => 1234.5 };
  const requestAnimationFrame = (frame: () => void) => frames.push(frame);
  new Function('document', 'navigator', 'performance', 'requestAnimationFrame', reporterCode(html))(
    document,
    navigator,
    performance,
    requestAnimationFrame,
  );
  for (const screen of screens) {
    shown = screen;
    frames.shift()?.();
  }
  return sent;
}

describe('reader loads', () => {
  it('adds the reporting script at the end of the chapter, and nothing else', () => {
    const html = withPromptReporter(CHAPTER, '3');
    expect(html.startsWith('<!doctype html><html><body><main>the chapter</main><script>')).toBe(
      true,
    );
    expect(html.endsWith('</script></body></html>')).toBe(true);
    expect(() => withPromptReporter('<p>no body</p>', '3')).toThrow(/<\/body>/);
  });

  it('reports the time of the first frame that shows a shell prompt, once, for its load', () => {
    const sent = runReporter(withPromptReporter(CHAPTER, '7'), [
      '',
      'CottonOS booting...\r\n[    0.001] kernel at 0x00100000',
      'cotton:/ $ ',
      'cotton:/ $ ls',
    ]);
    expect(sent).toEqual([{ url: `/__bench/first-prompt?${LOAD_PARAM}=7`, body: '1234.5' }]);
  });

  it('does not take a line that merely mentions the prompt for one', () => {
    const sent = runReporter(withPromptReporter(CHAPTER, '1'), [
      'the shell will print cotton:/ $ when ready',
      'cotton: starting the shell',
    ]);
    expect(sent).toEqual([]);
  });

  it('starts a fresh browser on the start page, which goes to the chapter', () => {
    const args = readerArgs('/tmp/profile', 'http://localhost:1/__bench/start');
    expect(args).toContain('--user-data-dir=/tmp/profile');
    expect(args.at(-1)).toBe('http://localhost:1/__bench/start');
    expect(startPage('http://127.0.0.1:1/boot/?bench-load=0')).toContain(
      'location.href="http://127.0.0.1:1/boot/?bench-load=0"',
    );
  });
});
