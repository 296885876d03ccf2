/**
 * The Networking chapter's live figures in a real browser: the socket table
 * and the last TCP connection are in the page as the build drew them; after
 * the reader types the same commands as the book, the page redraws them from
 * its own kernel, the same SVG as the build's (Node and the browser run the
 * same machine); closing a connection and opening another change them; a
 * part shows its details on focus; a narrow screen scrolls them in their box.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { figureBox, staticFigureBox, withoutTimes } from './figures';
import {
  BOOT_TIMEOUT_MS,
  COMMAND_TIMEOUT_MS,
  figureOf,
  chapterBrowser,
  runAndRedraw,
} from './chapter-page';

const CONNECTIONS = figureOf('tcp-connections');
const SEQUENCE = figureOf('tcp-sequence');
const BOTH = [CONNECTIONS, SEQUENCE];

const book = chapterBrowser();

let errors: string[] = [];

async function open(width?: number): Promise<Page> {
  const chapter = await book.open('networking/', width);
  errors = chapter.errors;
  return chapter.page;
}

describe(
  'the Networking chapter’s figures',
  () => {
    it('are redrawn from the reader’s machine after the book’s commands, identical to the build', async () => {
      const page = await open();
      const built = await Promise.all(BOTH.map((figure) => staticFigureBox(page, figure)));
      expect(built[0]).toContain('ESTABLISHED');
      expect(built[1]).toContain('[SYN] seq=0');
      expect(await page.getAttribute(CONNECTIONS, 'data-state')).toBe('built');
      await runAndRedraw(page, 'tcpconnect echo.cotton.test 7', BOTH);
      await runAndRedraw(page, 'httpget example.com /', BOTH);
      await runAndRedraw(page, 'ss', BOTH);
      expect(await page.getAttribute(CONNECTIONS, 'data-state')).toBe('live');
      expect(await figureBox(page, CONNECTIONS)).toBe(built[0]);
      // The segments are the same; the last ACK's millisecond depends on where the worker's slice ended.
      expect(withoutTimes(await figureBox(page, SEQUENCE))).toBe(withoutTimes(built[1]!));
      expect(await page.textContent(`${SEQUENCE} .cf-source`)).toMatch(/in your machine\.$/);
      expect(errors).toEqual([]);
    });

    it('follow the machine: a closed connection waits in TIME-WAIT, a new one redraws the diagram', async () => {
      const page = await open();
      await runAndRedraw(page, 'tcpconnect echo.cotton.test 7', BOTH);
      expect(await figureBox(page, CONNECTIONS)).toContain('>ESTABLISHED</text>');
      expect(await figureBox(page, SEQUENCE)).toContain('203.0.113.7:7');
      await runAndRedraw(page, 'tcpclose', BOTH);
      expect(await figureBox(page, CONNECTIONS)).toContain('>TIME-WAIT</text>');
      expect(await figureBox(page, SEQUENCE)).toContain('[FIN,ACK]');
      await runAndRedraw(page, 'httpget example.com /', BOTH);
      expect(await figureBox(page, SEQUENCE)).toContain('93.184.215.14:80');
    });

    it('show a part’s details when it has keyboard focus', async () => {
      const page = await open();
      const part = page.locator(`${SEQUENCE} .cf-part`).first();
      const label = await part.getAttribute('aria-label');
      expect(label).toMatch(/^SYN sent by the machine/);
      await part.focus();
      expect(await page.textContent(`${SEQUENCE} .cf-detail`)).toBe(label);
    });

    it('scroll in their box on a narrow screen instead of widening the page', async () => {
      const page = await open(375);
      for (const figure of BOTH) {
        const sizes = await page.$eval(figure, (element) => {
          const box = element.querySelector('.cf-box')!;
          return {
            right: element.getBoundingClientRect().right,
            viewport: document.documentElement.clientWidth,
            scrolls: box.scrollWidth > box.clientWidth,
          };
        });
        expect(sizes.right).toBeLessThanOrEqual(sizes.viewport);
        expect(sizes.scrolls).toBe(true);
      }
    });
  },
  BOOT_TIMEOUT_MS + COMMAND_TIMEOUT_MS * 4,
);
