/**
 * The TLS chapter's live figures in a real browser: after `tls example.com`
 * the handshake and the certificate chain are redrawn from the reader's
 * kernel, the same SVG as the build's; a refused host redraws both with the
 * refusal and its reason.
 */
import { describe, expect, it } from 'vitest';
import { figureBox, staticFigureBox, withoutTimes } from './figures';
import {
  BOOT_TIMEOUT_MS,
  COMMAND_TIMEOUT_MS,
  figureOf,
  chapterBrowser,
  runAndRedraw,
} from './chapter-page';

const HANDSHAKE = figureOf('tls-handshake');
const CHAIN = figureOf('tls-chain');
const BOTH = [HANDSHAKE, CHAIN];

const book = chapterBrowser();

/**
 * The handshake without what the reader's timing changes: the times, and
 * CertificateVerify's size. The kernel stirs the timer tick into its random
 * numbers (src/kernel/lib/random.ts), so the handshake's keys, and with them
 * the ECDSA signature's DER length (70 to 72 bytes), depend on the tick the
 * reader typed at, which is not the build's.
 */
const withoutMoment = (svg: string): string =>
  withoutTimes(svg).replace(/CertificateVerify \(\d+ (B|bytes)\)/g, 'CertificateVerify (N $1)');

describe(
  'the TLS chapter’s figures',
  () => {
    it('are redrawn from the reader’s machine after tls example.com, identical to the build, and show a refusal', async () => {
      const { page, errors } = await book.open('tls/');
      const built = await Promise.all(BOTH.map((figure) => staticFigureBox(page, figure)));
      expect(built[0]).toContain('ClientHello (164 B)');
      expect(built[1]).toContain('subject CN=example.com');
      await runAndRedraw(page, 'tls example.com', BOTH);
      expect(await page.getAttribute(HANDSHAKE, 'data-state')).toBe('live');
      expect(withoutMoment(await figureBox(page, HANDSHAKE))).toBe(withoutMoment(built[0]!));
      expect(await figureBox(page, CHAIN)).toBe(built[1]);

      await runAndRedraw(page, 'tls expired.cotton.test', BOTH);
      const handshake = await figureBox(page, HANDSHAKE);
      expect(handshake).toContain('TLS 1.3 handshake with expired.cotton.test');
      expect(handshake).toContain('verdict: REFUSED - certificate expired');
      expect(handshake).toContain('alert bad_certificate');
      expect(await figureBox(page, CHAIN)).toContain('subject CN=expired.cotton.test');
      expect(await page.textContent(`${CHAIN} .cf-words p`)).toMatch(
        /Refused: certificate expired/,
      );
      expect(errors).toEqual([]);
    });
  },
  BOOT_TIMEOUT_MS + COMMAND_TIMEOUT_MS * 3,
);
