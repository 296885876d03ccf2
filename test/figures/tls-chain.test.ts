/**
 * The certificate chain of the last TLS handshake (TLS chapter), drawn from
 * a fixture of the chapter's machine after `tls example.com`.
 */
import { describe, expect, it } from 'vitest';
import { tlsChainFigure } from '../../src/figures/tls-chain';
import type { TlsHandshakeInfo } from '../../src/kernel/net/tls-history';
import { readFixture, shapeOf } from './fixtures';
import { GOLDEN_CONTEXT, liveView, partDetails, TLS } from './net-figures';

const info = readFixture<TlsHandshakeInfo>('tls-chain');
const context = { ...GOLDEN_CONTEXT, id: 'fig-tls-chain' };

describe('tls-chain figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(tlsChainFigure(info, context).svg).toMatchFileSnapshot('golden/tls-chain.svg');
  });

  it('draws each certificate with its subject and issuer, then the root the machine holds', () => {
    const details = partDetails(tlsChainFigure(info, context).svg);
    expect(details).toHaveLength(3);
    expect(details[0]).toMatch(/^0: the server's own certificate\. subject CN=example\.com/);
    expect(details[1]).toMatch(
      /^1: last in the chain the server sent\. subject CN=CottonOS Book Intermediate CA/,
    );
    expect(details[2]).toMatch(
      /^the root, CN=CottonOS Book Root CA, O=CottonOS Book: looked up in \/etc\/ssl\/certs/,
    );
  });

  it('states both verdicts in words', () => {
    const { svg, alt } = tlsChainFigure(info, context);
    expect(svg).toContain('OK: certificate chain trusted');
    expect(svg).toContain('OK: CertificateVerify (ecdsa_secp256r1_sha256) verified');
    expect(alt).toMatch(
      /^The certificate chain example\.com sent, 2 certificate\(s\): 0: subject CN=example\.com/,
    );
  });

  it('explains a handshake that ended before the certificates', () => {
    const early = { ...info, steps: info.steps.slice(0, 2), failure: 'handshake_failure' };
    expect(tlsChainFigure(early, context).alt).toBe(
      'The handshake with example.com ended before a certificate arrived.',
    );
  });

  it('has the shape of the view of today’s kernel', () => {
    expect(shapeOf(liveView(TLS, 'tls-chain'))).toEqual(shapeOf(info));
  }, 60_000);
});
