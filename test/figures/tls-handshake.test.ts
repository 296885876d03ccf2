/**
 * The message diagram of the last TLS handshake (TLS chapter), drawn from a
 * fixture of the chapter's machine after `tls example.com`.
 */
import { describe, expect, it } from 'vitest';
import { tlsHandshakeFigure } from '../../src/figures/tls-handshake';
import type { TlsHandshakeInfo } from '../../src/kernel/net/tls-history';
import { readFixture, shapeOf } from './fixtures';
import { GOLDEN_CONTEXT, liveView, partDetails, TLS } from './net-figures';

const info = readFixture<TlsHandshakeInfo>('tls-handshake');
const context = { ...GOLDEN_CONTEXT, id: 'fig-tls-handshake' };

describe('tls-handshake figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(tlsHandshakeFigure(info, context).svg).toMatchFileSnapshot(
      'golden/tls-handshake.svg',
    );
  });

  it('draws every message as an arrow and every conclusion as a note, in order', () => {
    const details = partDetails(tlsHandshakeFigure(info, context).svg);
    expect(details).toHaveLength(info.steps.length);
    expect(details.slice(0, 3)).toEqual([
      '-> ClientHello (164 bytes), at +0 ms',
      '<- ServerHello (90 bytes), at +0 ms',
      'negotiated TLS 1.3, TLS_AES_128_GCM_SHA256, key exchange x25519, at +0 ms',
    ]);
    expect(details).toContain('certificate chain trusted, at +0 ms');
  });

  it('marks verdicts with words as well as tones, and a refusal with its reason', () => {
    const { svg } = tlsHandshakeFigure(info, context);
    expect(svg).toContain('OK: certificate chain trusted');
    expect(svg).toContain('verdict: trusted');
    const refused: TlsHandshakeInfo = {
      serverName: 'expired.cotton.test',
      steps: [
        ...info.steps.slice(0, 6),
        { kind: 'chain-verdict', at: 13, ok: false, reason: 'certificate expired' },
      ],
      failure: 'certificate expired',
    };
    const figure = tlsHandshakeFigure(refused, context);
    expect(figure.svg).toContain('NO: certificate chain refused: certificate expired');
    expect(figure.alt).toMatch(/verdict: REFUSED - certificate expired\.$/);
  });

  it('explains the machine before any TLS connection', () => {
    expect(tlsHandshakeFigure(null, context).svg).toContain('No TLS connection yet');
  });

  it('has the shape of the view of today’s kernel', () => {
    expect(shapeOf(liveView(TLS, 'tls-handshake'))).toEqual(shapeOf(info));
  }, 60_000);
});
