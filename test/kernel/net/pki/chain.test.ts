import { describe, expect, it } from 'vitest';
import { type PkiFailure, validateChain } from '../../../../src/kernel/net/pki/chain.ts';
import { parseCertificate } from '../../../../src/kernel/net/pki/x509.ts';
import {
  buildCertificate,
  caExtension,
  extension,
  fixtureCertificate,
  fixtureChain,
  generalizedTime,
  keyUsageExtension,
  newP256Key,
  NOW,
  sanExtension,
  seq,
  utcTime,
} from './certificate-builder.ts';

const roots = [fixtureCertificate('root-ca')];

const HOST_VERDICTS: [host: string, serverName: string, verdict: 'ok' | PkiFailure][] = [
  ['example.com', 'example.com', 'ok'],
  ['example.com', 'www.example.com', 'ok'],
  ['wildcard.cotton.test', 'www.cotton.test', 'ok'],
  ['wildcard.cotton.test', 'cotton.test', 'hostname-mismatch'],
  ['wildcard.cotton.test', 'a.b.cotton.test', 'hostname-mismatch'],
  ['localhost', 'localhost', 'ok'],
  ['localhost', '127.0.0.1', 'ok'],
  ['localhost', '::1', 'ok'],
  ['localhost', '127.0.0.2', 'hostname-mismatch'],
  ['rsa.cotton.test', 'rsa.cotton.test', 'ok'],
  ['p384.cotton.test', 'p384.cotton.test', 'ok'],
  ['ed25519.cotton.test', 'ed25519.cotton.test', 'ok'],
  ['expired.cotton.test', 'expired.cotton.test', 'expired'],
  ['not-yet-valid.cotton.test', 'not-yet-valid.cotton.test', 'not-yet-valid'],
  ['wrong-host.cotton.test', 'wrong-host.cotton.test', 'hostname-mismatch'],
  ['self-signed.cotton.test', 'self-signed.cotton.test', 'self-signed'],
  ['untrusted-root.cotton.test', 'untrusted-root.cotton.test', 'unknown-issuer'],
  ['bad-signature.cotton.test', 'bad-signature.cotton.test', 'bad-signature'],
  ['incomplete-chain.cotton.test', 'incomplete-chain.cotton.test', 'unknown-issuer'],
  ['weak-key.cotton.test', 'weak-key.cotton.test', 'weak-key'],
  ['not-a-ca.cotton.test', 'not-a-ca.cotton.test', 'not-a-ca'],
  ['path-length.cotton.test', 'path-length.cotton.test', 'path-length'],
  ['bad-key-usage.cotton.test', 'bad-key-usage.cotton.test', 'bad-key-usage'],
];

function verdictOf(chain: Uint8Array[], serverName: string, now = NOW, trusted = roots) {
  return validateChain(chain, { serverName, now, roots: trusted });
}

function failureOf(verdict: ReturnType<typeof validateChain>): 'ok' | PkiFailure {
  return verdict.ok ? 'ok' : verdict.failure;
}

describe('validateChain on the fixture hosts', () => {
  it.each(HOST_VERDICTS)('%s as %s gives %s', (host, serverName, expected) => {
    expect(failureOf(verdictOf(fixtureChain(host), serverName))).toBe(expected);
  });

  it('returns the path from the leaf to the root', () => {
    const verdict = verdictOf(fixtureChain('example.com'), 'example.com');
    expect(verdict.path.map((c) => c.subject.text)).toEqual([
      'CN=example.com, O=CottonOS Book',
      'CN=CottonOS Book Intermediate CA, O=CottonOS Book',
      'CN=CottonOS Book Root CA, O=CottonOS Book',
    ]);
  });

  it('takes the RSA intermediate variant to the same root', () => {
    const verdict = verdictOf(fixtureChain('rsa.cotton.test'), 'rsa.cotton.test');
    expect(verdict.path[1]?.subjectPublicKeyInfo.algorithm.name).toBe('rsaEncryption');
    expect(verdict.path[1]?.signatureAlgorithm.name).toBe('ecdsa-with-SHA256');
    expect(verdict.path[0]?.signatureAlgorithm.name).toBe('sha256WithRSAEncryption');
  });

  it('says when a certificate expired', () => {
    const verdict = verdictOf(fixtureChain('expired.cotton.test'), 'expired.cotton.test');
    expect(verdict.ok ? '' : verdict.message).toContain(
      'expired at 2021-01-01T00:00:00Z (notAfter)',
    );
  });

  it('lists the certificate names on a mismatch', () => {
    const verdict = verdictOf(fixtureChain('example.com'), 'example.org');
    expect(verdict.ok ? '' : verdict.message).toContain('example.com, www.example.com');
    const local = verdictOf(fixtureChain('localhost'), '10.0.2.2');
    expect(local.ok ? '' : local.message).toContain('localhost, 127.0.0.1, 0:0:0:0:0:0:0:1');
  });

  it('accepts the last second of the validity window and refuses the next', () => {
    const leaf = parseCertificate(fixtureChain('example.com')[0]!);
    expect(failureOf(verdictOf(fixtureChain('example.com'), 'example.com', leaf.notAfter))).toBe(
      'ok',
    );
    expect(
      failureOf(verdictOf(fixtureChain('example.com'), 'example.com', leaf.notAfter + 1)),
    ).toBe('expired');
    expect(
      failureOf(verdictOf(fixtureChain('example.com'), 'example.com', leaf.notBefore - 1)),
    ).toBe('not-yet-valid');
  });

  it('finds issuers whatever order the server sent them in, and accepts a sent root', () => {
    const [leaf, intermediate] = fixtureChain('path-length.cotton.test');
    const rsaIntermediate = fixtureChain('rsa.cotton.test')[1]!;
    const shuffled = [fixtureChain('rsa.cotton.test')[0]!, intermediate!, leaf!, rsaIntermediate];
    expect(failureOf(verdictOf(shuffled, 'rsa.cotton.test'))).toBe('ok');
    const withRoot = [...fixtureChain('example.com'), roots[0]!.der];
    expect(verdictOf(withRoot, 'example.com').path).toHaveLength(3);
  });

  it('trusts the untrusted root once it is in the trust store', () => {
    const trusted = [...roots, fixtureCertificate('untrusted-root-ca')];
    const chain = fixtureChain('untrusted-root.cotton.test');
    expect(failureOf(verdictOf(chain, 'untrusted-root.cotton.test', NOW, trusted))).toBe('ok');
  });

  it('trusts a self-signed leaf that is itself a root', () => {
    const chain = fixtureChain('self-signed.cotton.test');
    const trusted = [parseCertificate(chain[0]!)];
    expect(failureOf(verdictOf(chain, 'self-signed.cotton.test', NOW, trusted))).toBe('ok');
  });

  it('fails with nothing but a malformed verdict on an empty or broken chain', () => {
    expect(failureOf(verdictOf([], 'example.com'))).toBe('malformed');
    const broken = fixtureChain('example.com');
    broken[1] = broken[1]!.subarray(0, 100);
    const verdict = verdictOf(broken, 'example.com');
    expect(failureOf(verdict)).toBe('malformed');
    expect(verdict.ok ? '' : verdict.message).toMatch(/^certificate 1: /);
  });

  it('checks the intermediate validity too', () => {
    const root = fixtureCertificate('root-ca');
    expect(
      failureOf(verdictOf(fixtureChain('example.com'), 'example.com', root.notAfter + 1)),
    ).toBe('expired');
  });
});

describe('validateChain on built certificates', () => {
  const rootKey = newP256Key();
  const root = buildCertificate({
    subject: 'Test Root',
    issuer: 'Test Root',
    subjectKey: rootKey,
    issuerKey: rootKey,
    extensions: [caExtension()],
  });
  const testRoots = [parseCertificate(root)];
  const leafKey = newP256Key();

  function leafUnder(
    issuer: string,
    issuerKey: typeof rootKey,
    extensions = [sanExtension(['host.test'])],
  ) {
    return buildCertificate({
      subject: 'host.test',
      issuer,
      subjectKey: leafKey,
      issuerKey,
      extensions,
    });
  }

  it('accepts a plain leaf straight under the root', () => {
    expect(
      failureOf(verdictOf([leafUnder('Test Root', rootKey)], 'host.test', NOW, testRoots)),
    ).toBe('ok');
  });

  it('ends path building on a loop of cross-issued CAs', () => {
    const [keyA, keyB] = [newP256Key(), newP256Key()];
    const a = buildCertificate({
      subject: 'CA A',
      issuer: 'CA B',
      subjectKey: keyA,
      issuerKey: keyB,
      extensions: [caExtension()],
    });
    const b = buildCertificate({
      subject: 'CA B',
      issuer: 'CA A',
      subjectKey: keyB,
      issuerKey: keyA,
      extensions: [caExtension()],
    });
    const verdict = verdictOf([leafUnder('CA A', keyA), a, b, a, b], 'host.test', NOW, testRoots);
    expect(failureOf(verdict)).toBe('unknown-issuer');
    expect(verdict.path.length).toBeLessThanOrEqual(3);
  });

  it('gives up on a path longer than eight certificates', () => {
    const keys = Array.from({ length: 10 }, () => newP256Key());
    const cas = keys.map((key, i) =>
      buildCertificate({
        subject: `CA ${i}`,
        issuer: i === keys.length - 1 ? 'Test Root' : `CA ${i + 1}`,
        subjectKey: key,
        issuerKey: i === keys.length - 1 ? rootKey : keys[i + 1]!,
        extensions: [caExtension()],
      }),
    );
    const verdict = verdictOf([leafUnder('CA 0', keys[0]!), ...cas], 'host.test', NOW, testRoots);
    expect(failureOf(verdict)).toBe('unknown-issuer');
    expect(verdict.ok ? '' : verdict.message).toContain('within 8 certificates');
  });

  it('refuses an unknown critical extension but ignores an unknown non-critical one', () => {
    const unknown = (critical: boolean) => extension('1.3.6.1.4.1.99999.1', critical, seq());
    const withCritical = leafUnder('Test Root', rootKey, [
      sanExtension(['host.test']),
      unknown(true),
    ]);
    const withPlain = leafUnder('Test Root', rootKey, [
      sanExtension(['host.test']),
      unknown(false),
    ]);
    const verdict = verdictOf([withCritical], 'host.test', NOW, testRoots);
    expect(failureOf(verdict)).toBe('unsupported-algorithm');
    expect(verdict.ok ? '' : verdict.message).toContain('1.3.6.1.4.1.99999.1');
    expect(failureOf(verdictOf([withPlain], 'host.test', NOW, testRoots))).toBe('ok');
  });

  it('refuses a version 1 intermediate (no basicConstraints) as not a CA', () => {
    const caKey = newP256Key();
    const v1 = buildCertificate({
      subject: 'Old CA',
      issuer: 'Test Root',
      subjectKey: caKey,
      issuerKey: rootKey,
      version: null,
    });
    expect(
      failureOf(verdictOf([leafUnder('Old CA', caKey), v1], 'host.test', NOW, testRoots)),
    ).toBe('not-a-ca');
  });

  it('refuses an issuer whose keyUsage lacks keyCertSign', () => {
    const caKey = newP256Key();
    const ca = buildCertificate({
      subject: 'Signing CA',
      issuer: 'Test Root',
      subjectKey: caKey,
      issuerKey: rootKey,
      extensions: [caExtension(), keyUsageExtension([0])],
    });
    expect(
      failureOf(verdictOf([leafUnder('Signing CA', caKey), ca], 'host.test', NOW, testRoots)),
    ).toBe('bad-key-usage');
  });

  it('refuses a leaf whose keyUsage lacks digitalSignature', () => {
    const leaf = leafUnder('Test Root', rootKey, [
      sanExtension(['host.test']),
      keyUsageExtension([2]),
    ]);
    expect(failureOf(verdictOf([leaf], 'host.test', NOW, testRoots))).toBe('bad-key-usage');
  });

  it('reads UTCTime up to 2049 and GeneralizedTime from 2050', () => {
    const leaf = buildCertificate({
      subject: 'host.test',
      issuer: 'Test Root',
      subjectKey: leafKey,
      issuerKey: rootKey,
      notBefore: utcTime('491231235959Z'),
      notAfter: generalizedTime('20500101000000Z'),
      extensions: [sanExtension(['host.test'])],
    });
    const parsed = parseCertificate(leaf);
    expect(parsed.notBefore).toBe(Date.UTC(2049, 11, 31, 23, 59, 59) / 1000);
    expect(parsed.notAfter).toBe(Date.UTC(2050, 0, 1) / 1000);
    expect(failureOf(verdictOf([leaf], 'host.test', parsed.notAfter, testRoots))).toBe('expired');
  });
});
