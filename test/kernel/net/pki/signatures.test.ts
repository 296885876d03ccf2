import { constants, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SHA256, SHA384, SHA512 } from '../../../../src/kernel/net/pki/hash-functions.ts';
import { verifyRsaPkcs1v15, verifyRsaPss } from '../../../../src/kernel/net/pki/rsa.ts';
import {
  TLS_ECDSA_SECP256R1_SHA256,
  TLS_ECDSA_SECP384R1_SHA384,
  TLS_ED25519,
  TLS_RSA_PSS_RSAE_SHA256,
  TLS_RSA_PSS_RSAE_SHA384,
  TLS_RSA_PSS_RSAE_SHA512,
  verifyTlsSignature,
} from '../../../../src/kernel/net/pki/signatures.ts';
import { parseCertificate } from '../../../../src/kernel/net/pki/x509.ts';
import { fixtureChain, fixtureKey } from './certificate-builder.ts';

const leaf = (host: string) => parseCertificate(fixtureChain(host)[0]!);
const content = new TextEncoder().encode(
  `${' '.repeat(64)}TLS 1.3, server CertificateVerify\0transcript`,
);

interface Scheme {
  name: string;
  scheme: number;
  host: string;
  sign: (key: KeyObject, data: Uint8Array) => Uint8Array;
}

const pss = (hash: string, saltLength: number) => (key: KeyObject, data: Uint8Array) =>
  sign(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });

const SCHEMES: Scheme[] = [
  {
    name: 'ecdsa_secp256r1_sha256',
    scheme: TLS_ECDSA_SECP256R1_SHA256,
    host: 'example.com',
    sign: (k, d) => sign('sha256', d, k),
  },
  {
    name: 'ecdsa_secp384r1_sha384',
    scheme: TLS_ECDSA_SECP384R1_SHA384,
    host: 'p384.cotton.test',
    sign: (k, d) => sign('sha384', d, k),
  },
  {
    name: 'rsa_pss_rsae_sha256',
    scheme: TLS_RSA_PSS_RSAE_SHA256,
    host: 'rsa.cotton.test',
    sign: pss('sha256', 32),
  },
  {
    name: 'rsa_pss_rsae_sha384',
    scheme: TLS_RSA_PSS_RSAE_SHA384,
    host: 'rsa.cotton.test',
    sign: pss('sha384', 48),
  },
  {
    name: 'rsa_pss_rsae_sha512',
    scheme: TLS_RSA_PSS_RSAE_SHA512,
    host: 'rsa.cotton.test',
    sign: pss('sha512', 64),
  },
  {
    name: 'ed25519',
    scheme: TLS_ED25519,
    host: 'ed25519.cotton.test',
    sign: (k, d) => sign(null, d, k),
  },
];

function flipBit(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}

describe('verifyTlsSignature', () => {
  describe.each(SCHEMES)('$name', ({ scheme, host, sign: signWith }) => {
    const certificate = leaf(host);
    const key = fixtureKey(host);

    it('accepts signatures node:crypto makes with the certificate key, 20 of them', () => {
      for (let i = 0; i < 20; i++) {
        const data = Uint8Array.from([...content, i]);
        expect(verifyTlsSignature(certificate, scheme, data, signWith(key, data))).toBe(true);
      }
    });

    it('refuses a changed message and a changed, cut or lengthened signature', () => {
      const signature = signWith(key, content);
      expect(verifyTlsSignature(certificate, scheme, flipBit(content, 70), signature)).toBe(false);
      expect(
        verifyTlsSignature(certificate, scheme, content, flipBit(signature, signature.length - 1)),
      ).toBe(false);
      expect(verifyTlsSignature(certificate, scheme, content, flipBit(signature, 10))).toBe(false);
      expect(verifyTlsSignature(certificate, scheme, content, signature.subarray(1))).toBe(false);
      expect(verifyTlsSignature(certificate, scheme, content, new Uint8Array())).toBe(false);
      expect(
        verifyTlsSignature(certificate, scheme, content, Uint8Array.from([...signature, 0])),
      ).toBe(false);
    });

    it('refuses the scheme with a certificate of another key type', () => {
      for (const other of [
        'example.com',
        'p384.cotton.test',
        'rsa.cotton.test',
        'ed25519.cotton.test',
      ]) {
        if (other === host) continue;
        expect(
          verifyTlsSignature(leaf(other), scheme, content, signWith(key, content)),
          other,
        ).toBe(false);
      }
    });
  });

  it('refuses a signature by another key of the same type', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const certificate = leaf('example.com');
    expect(
      verifyTlsSignature(
        certificate,
        TLS_ECDSA_SECP256R1_SHA256,
        content,
        sign('sha256', content, other),
      ),
    ).toBe(false);
  });

  it('refuses schemes TLS 1.3 does not allow or this code does not offer', () => {
    const rsa = leaf('rsa.cotton.test');
    const pkcs1 = sign('sha256', content, fixtureKey('rsa.cotton.test'));
    const rsaPkcs1Sha256 = 0x0401;
    expect(verifyTlsSignature(rsa, rsaPkcs1Sha256, content, pkcs1)).toBe(false);
    expect(verifyTlsSignature(rsa, TLS_RSA_PSS_RSAE_SHA256, content, pkcs1)).toBe(false);
    const rsaPssPssSha256 = 0x0809;
    expect(
      verifyTlsSignature(
        rsa,
        rsaPssPssSha256,
        content,
        pss('sha256', 32)(fixtureKey('rsa.cotton.test'), content),
      ),
    ).toBe(false);
  });

  it('refuses RSA-PSS whose salt is not as long as the digest (RFC 8446 4.2.3)', () => {
    const rsa = leaf('rsa.cotton.test');
    const key = fixtureKey('rsa.cotton.test');
    expect(
      verifyTlsSignature(rsa, TLS_RSA_PSS_RSAE_SHA256, content, pss('sha256', 20)(key, content)),
    ).toBe(false);
    expect(
      verifyTlsSignature(rsa, TLS_RSA_PSS_RSAE_SHA256, content, pss('sha256', 0)(key, content)),
    ).toBe(false);
  });

  it('refuses an ECDSA signature whose DER is broken or whose r is out of range', () => {
    const certificate = leaf('example.com');
    const good = sign('sha256', content, fixtureKey('example.com'));
    const broken = good.slice();
    broken[1] = broken[1]! + 1;
    expect(verifyTlsSignature(certificate, TLS_ECDSA_SECP256R1_SHA256, content, broken)).toBe(
      false,
    );
    const zeroR = Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01);
    expect(verifyTlsSignature(certificate, TLS_ECDSA_SECP256R1_SHA256, content, zeroR)).toBe(false);
    const longR = Uint8Array.of(
      0x30,
      0x26,
      0x02,
      0x21,
      0x01,
      ...new Array<number>(32).fill(0),
      0x02,
      0x01,
      0x01,
    );
    expect(verifyTlsSignature(certificate, TLS_ECDSA_SECP256R1_SHA256, content, longR)).toBe(false);
  });
});

describe('RSA verification with BigInt (RFC 8017)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaKey = rsaPublicKeyOf(publicKey);
  const hashes = [
    ['sha256', SHA256],
    ['sha384', SHA384],
    ['sha512', SHA512],
  ] as const;

  it.each(hashes)(
    'PKCS#1 v1.5 with %s verifies node:crypto signatures and nothing else',
    (name, hash) => {
      const signature = sign(name, content, privateKey);
      expect(verifyRsaPkcs1v15(rsaKey, hash, content, signature)).toBe(true);
      expect(verifyRsaPkcs1v15(rsaKey, hash, flipBit(content, 0), signature)).toBe(false);
      expect(verifyRsaPkcs1v15(rsaKey, hash === SHA256 ? SHA384 : SHA256, content, signature)).toBe(
        false,
      );
    },
  );

  it.each(hashes)('PSS with %s verifies any salt length it is told', (name, hash) => {
    for (const saltLength of [0, 20, hash.outputLength]) {
      const signature = pss(name, saltLength)(privateKey, content);
      expect(verifyRsaPss(rsaKey, hash, content, signature, saltLength)).toBe(true);
      expect(verifyRsaPss(rsaKey, hash, content, signature, saltLength + 1)).toBe(false);
    }
  });

  it('refuses a signature not smaller than the modulus', () => {
    const modulusBytes = Buffer.from(rsaKey.modulus.toString(16).padStart(512, '0'), 'hex');
    expect(verifyRsaPkcs1v15(rsaKey, SHA256, content, modulusBytes)).toBe(false);
    expect(verifyRsaPss(rsaKey, SHA256, content, modulusBytes, 32)).toBe(false);
  });

  it('handles a modulus whose bit length is one more than a multiple of 8', () => {
    const odd = generateKeyPairSync('rsa', { modulusLength: 2049 });
    const key = rsaPublicKeyOf(odd.publicKey);
    const signature = pss('sha256', 32)(odd.privateKey, content);
    expect(verifyRsaPss(key, SHA256, content, signature, 32)).toBe(true);
    expect(verifyRsaPkcs1v15(key, SHA256, content, sign('sha256', content, odd.privateKey))).toBe(
      true,
    );
  });
});

function rsaPublicKeyOf(publicKey: KeyObject) {
  const jwk = publicKey.export({ format: 'jwk' });
  const big = (base64url: string) =>
    BigInt(`0x${Buffer.from(base64url, 'base64url').toString('hex')}`);
  return { modulus: big(jwk.n!), publicExponent: big(jwk.e!) };
}
