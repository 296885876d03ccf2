import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/kernel/net/pki/bytes.ts';
import { formatIpAddress } from '../../../../src/kernel/net/pki/ip-address.ts';
import { parsePem } from '../../../../src/kernel/net/pki/pem.ts';
import { PkiError } from '../../../../src/kernel/net/pki/pki-error.ts';
import { rsaModulusBits } from '../../../../src/kernel/net/pki/rsa.ts';
import { certificateSignatureStatus } from '../../../../src/kernel/net/pki/signatures.ts';
import { type Certificate, parseCertificate } from '../../../../src/kernel/net/pki/x509.ts';
import {
  buildCertificate,
  explicit,
  extension,
  FIXTURES,
  fixtureChain,
  fixtureCertificate,
  integer,
  newP256Key,
  sanExtension,
  seq,
  tlv,
} from './certificate-builder.ts';

/** Every distinct certificate in the fixtures, with the file it came from. */
function allFixtureCertificates(): [string, Uint8Array][] {
  const seen = new Set<string>();
  const found: [string, Uint8Array][] = [];
  for (const file of readdirSync(FIXTURES).filter(
    (f) => f.endsWith('.pem') && !f.endsWith('.key.pem'),
  )) {
    for (const [i, der] of parsePem(readFileSync(join(FIXTURES, file), 'utf8')).entries()) {
      const hex = toHex(der);
      if (!seen.has(hex)) found.push([`${file}#${i}`, der]);
      seen.add(hex);
    }
  }
  return found;
}

/** Node prints names one attribute a line in encoded order; RFC 4514 text is the reverse. */
function nodeNameAsRfc4514(text: string): string {
  return text.split('\n').reverse().join(', ');
}

function sanAsNodePrints(certificate: Certificate): string | undefined {
  const names = certificate.extensions.subjectAltName;
  if (names === null) return undefined;
  const dns = names.dnsNames.map((n) => `DNS:${n}`);
  const ips = names.ipAddresses.map((a) => `IP Address:${formatIpAddress(a).toUpperCase()}`);
  return [...dns, ...ips].join(', ');
}

const certificates = allFixtureCertificates();

describe('parseCertificate against node:crypto X509Certificate', () => {
  it('sees all the fixtures', () => {
    expect(certificates.length).toBeGreaterThanOrEqual(20);
  });

  it.each(certificates)(
    '%s: same subject, issuer, validity, SAN, serial, CA flag, key',
    (_, der) => {
      const ours = parseCertificate(der);
      const node = new X509Certificate(der);
      expect(ours.subject.text).toBe(nodeNameAsRfc4514(node.subject));
      expect(ours.issuer.text).toBe(nodeNameAsRfc4514(node.issuer));
      expect(ours.notBefore).toBe(Date.parse(node.validFrom) / 1000);
      expect(ours.notAfter).toBe(Date.parse(node.validTo) / 1000);
      expect(sanAsNodePrints(ours)?.toUpperCase()).toBe(node.subjectAltName?.toUpperCase());
      expect(ours.serialNumber).toBe(node.serialNumber);
      expect(ours.extensions.basicConstraints?.cA ?? false).toBe(node.ca);
      expect(ours.extensions.extKeyUsage ?? undefined).toEqual(node.keyUsage);
      expect(ours.version).toBe(3);

      const key = node.publicKey;
      const algorithm = { ec: 'id-ecPublicKey', rsa: 'rsaEncryption', ed25519: 'Ed25519' }[
        key.asymmetricKeyType as 'ec' | 'rsa' | 'ed25519'
      ];
      expect(ours.subjectPublicKeyInfo.algorithm.name).toBe(algorithm);
      expect(ours.subjectPublicKeyInfo.der).toEqual(
        new Uint8Array(key.export({ type: 'spki', format: 'der' })),
      );
      if (ours.subjectPublicKeyInfo.rsa !== null) {
        expect(rsaModulusBits(ours.subjectPublicKeyInfo.rsa)).toBe(
          key.asymmetricKeyDetails?.modulusLength,
        );
        expect(ours.subjectPublicKeyInfo.rsa.publicExponent).toBe(
          key.asymmetricKeyDetails?.publicExponent,
        );
      }
    },
  );

  it.each(certificates)(
    '%s: signature verdict agrees with node for every possible issuer',
    (_, der) => {
      const ours = parseCertificate(der);
      const node = new X509Certificate(der);
      for (const [, issuerDer] of certificates) {
        const issuerNode = new X509Certificate(issuerDer);
        if (!node.checkIssued(issuerNode)) continue;
        const issuer = parseCertificate(issuerDer);
        const status = certificateSignatureStatus(ours, issuer.subjectPublicKeyInfo);
        expect(status).toBe(node.verify(issuerNode.publicKey) ? 'valid' : 'invalid');
      }
    },
  );
});

describe('parseCertificate fields', () => {
  it('reads the extensions of a leaf', () => {
    const leaf = parseCertificate(fixtureChain('example.com')[0]!);
    const intermediate = fixtureCertificate('intermediate-ca');
    expect(leaf.extensions.subjectAltName?.dnsNames).toEqual(['example.com', 'www.example.com']);
    expect(leaf.extensions.basicConstraints).toEqual({ cA: false, pathLenConstraint: null });
    expect(leaf.extensions.keyUsage).toEqual(['digitalSignature']);
    expect(leaf.extensions.authorityKeyIdentifier).toEqual(
      intermediate.extensions.subjectKeyIdentifier,
    );
    expect(leaf.extensions.unknownCritical).toEqual([]);
    expect(leaf.signatureAlgorithm).toEqual({
      oid: '1.2.840.10045.4.3.2',
      name: 'ecdsa-with-SHA256',
      parameters: null,
    });
    expect(leaf.subjectPublicKeyInfo.curveOid).toBe('1.2.840.10045.3.1.7');
    expect(leaf.subject.rdns).toEqual([
      [{ oid: '2.5.4.10', shortName: 'O', value: 'CottonOS Book' }],
      [{ oid: '2.5.4.3', shortName: 'CN', value: 'example.com' }],
    ]);
  });

  it('reads the constraints of the CAs', () => {
    expect(fixtureCertificate('intermediate-ca').extensions.basicConstraints).toEqual({
      cA: true,
      pathLenConstraint: 1,
    });
    expect(fixtureCertificate('root-ca').extensions.keyUsage).toEqual([
      'digitalSignature',
      'keyCertSign',
      'cRLSign',
    ]);
    expect(fixtureCertificate('rsa-intermediate-ca').subjectPublicKeyInfo.rsa?.publicExponent).toBe(
      65537n,
    );
  });

  it('keeps the exact signed bytes', () => {
    const der = fixtureChain('example.com')[0]!;
    const leaf = parseCertificate(der);
    expect(der.subarray(4, 4 + leaf.tbsCertificate.length)).toEqual(leaf.tbsCertificate);
    expect(der.subarray(der.length - leaf.signatureValue.length)).toEqual(leaf.signatureValue);
  });

  it('escapes special characters in printed names (RFC 4514)', () => {
    const key = newP256Key();
    const der = buildCertificate({
      subject: ' Smith, "Jo" #1 ',
      issuer: 'A+B',
      subjectKey: key,
      issuerKey: key,
    });
    const certificate = parseCertificate(der);
    expect(certificate.subject.text).toBe('CN=\\ Smith\\, \\"Jo\\" #1\\ ');
    expect(certificate.issuer.text).toBe('CN=A\\+B');
  });
});

describe('parseCertificate refusals', () => {
  const key = newP256Key();
  const base = { subject: 's', issuer: 'i', subjectKey: key, issuerKey: key };

  function refusal(der: Uint8Array): string {
    try {
      parseCertificate(der);
    } catch (error) {
      expect(error).toBeInstanceOf(PkiError);
      return (error as Error).message;
    }
    throw new Error('parsed a certificate that should have been refused');
  }

  it('accepts what the builder makes', () => {
    expect(parseCertificate(buildCertificate(base)).subject.text).toBe('CN=s');
    expect(parseCertificate(buildCertificate({ ...base, version: null })).version).toBe(1);
  });

  it('refuses extensions in a version 1 certificate', () => {
    const der = buildCertificate({ ...base, version: null, extensions: [sanExtension(['a'])] });
    expect(refusal(der)).toContain('extensions in a version 1 certificate');
  });

  it('refuses a version number beyond v3', () => {
    expect(refusal(buildCertificate({ ...base, version: 3 }))).toContain('tbsCertificate.version');
  });

  it('refuses an extension that appears twice', () => {
    const der = buildCertificate({
      ...base,
      extensions: [sanExtension(['a']), sanExtension(['b'])],
    });
    expect(refusal(der)).toContain('2.5.29.17 twice');
  });

  it('refuses an iPAddress that is neither 4 nor 16 octets', () => {
    const der = buildCertificate({ ...base, extensions: [sanExtension([], [[10, 0, 2]])] });
    expect(refusal(der)).toContain('iPAddress of 3 octets');
  });

  it('refuses a basicConstraints with a negative path length', () => {
    const constraints = extension(
      '2.5.29.19',
      true,
      seq(tlv(0x01, Uint8Array.of(0xff)), integer(-1n)),
    );
    expect(refusal(buildCertificate({ ...base, extensions: [constraints] }))).toContain(
      'pathLenConstraint',
    );
  });

  it('refuses an outer signature algorithm that differs from the signed one', () => {
    const tampered = buildCertificate(base).slice();
    const ecdsaWithSha256 = '2a8648ce3d040302';
    const outerOid = toHex(tampered).lastIndexOf(ecdsaWithSha256) / 2;
    tampered[outerOid + 7] = 0x03; // ecdsa-with-SHA384
    expect(refusal(tampered)).toContain('signatureAlgorithm differs');
  });

  it('refuses trailing bytes and truncation with the field named', () => {
    const der = buildCertificate(base);
    expect(refusal(Uint8Array.from([...der, 0]))).toContain('1 bytes after the end');
    expect(refusal(der.subarray(0, der.length - 1))).toContain('runs past the end');
    expect(refusal(new Uint8Array())).toContain('found end of data');
  });

  it('names the field where the structure breaks', () => {
    const signatureAlgorithm = seq(tlv(0x06, Uint8Array.of(0x2a)));
    const signature = tlv(0x03, Uint8Array.of(0));
    const noSerial = seq(seq(explicit(0, integer(2)), seq()), signatureAlgorithm, signature);
    expect(refusal(noSerial)).toContain(
      'tbsCertificate.serialNumber: expected INTEGER, found SEQUENCE',
    );
  });
});
