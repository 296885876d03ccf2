// Self-signed server identities for the TLS tests, made with WebCrypto and @peculiar/x509, and a
// PeerAuthenticator that trusts exactly them, checking signatures with node:crypto. Independent
// of the kernel's own certificate code on purpose.

import {
  constants,
  createPrivateKey,
  type KeyObject,
  sign,
  verify,
  webcrypto,
  X509Certificate,
} from 'node:crypto';
import type { PeerAuthenticator } from '../../../../../src/kernel/net/tls/authenticator.ts';

export type KeyKind = 'ecdsa-p256' | 'rsa' | 'ed25519';

export interface TestIdentity {
  kind: KeyKind;
  certificateDer: Uint8Array;
  certificatePem: string;
  privateKeyPem: string;
  privateKey: KeyObject;
  /** Signs as a TLS 1.3 server would with this key (the scheme OpenSSL picks). */
  sign(content: Uint8Array): { scheme: number; signature: Uint8Array };
}

// @peculiar/x509 resolves its algorithms through tsyringe, which wants a Reflect metadata API;
// nothing here needs real metadata, so a small in-memory stand-in is installed before loading it.
function installReflectMetadata(): void {
  const store = new WeakMap<object, Map<unknown, unknown>>();
  const table = (target: object) => {
    let map = store.get(target);
    if (!map) store.set(target, (map = new Map()));
    return map;
  };
  const getMetadata = (key: unknown, target: object) => table(target).get(key);
  Object.assign(Reflect, {
    defineMetadata: (key: unknown, value: unknown, target: object) => table(target).set(key, value),
    getMetadata,
    getOwnMetadata: getMetadata,
  });
}

const ALGORITHMS = {
  'ecdsa-p256': { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  rsa: {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
  ed25519: { name: 'Ed25519' },
} as const;

export async function makeIdentity(kind: KeyKind, hostName: string): Promise<TestIdentity> {
  installReflectMetadata();
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const algorithm = ALGORITHMS[kind];
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${hostName}`,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
    keys,
    signingAlgorithm: algorithm,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: hostName }])],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const certificateDer = new Uint8Array(certificate.rawData);
  return {
    kind,
    certificateDer,
    certificatePem: new X509Certificate(certificateDer).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    privateKey,
    sign: (content) => signAs(kind, privateKey, content),
  };
}

function signAs(
  kind: KeyKind,
  key: KeyObject,
  content: Uint8Array,
): { scheme: number; signature: Uint8Array } {
  if (kind === 'ecdsa-p256') {
    return { scheme: 0x0403, signature: sign('sha256', content, { key, dsaEncoding: 'der' }) };
  }
  if (kind === 'rsa') {
    const options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    return { scheme: 0x0804, signature: sign('sha256', content, options) };
  }
  return { scheme: 0x0807, signature: sign(null, content, key) };
}

/** Trusts exactly the given certificates, for the host names they name. */
export function trustingAuthenticator(trusted: Uint8Array[]): PeerAuthenticator {
  const trustedHex = new Set(trusted.map((der) => Buffer.from(der).toString('hex')));
  return {
    verifyChain(certificates, serverName) {
      const leaf = certificates[0];
      if (!leaf || !trustedHex.has(Buffer.from(leaf).toString('hex'))) {
        return { ok: false, reason: 'the certificate is not one this test trusts' };
      }
      if (!new X509Certificate(leaf).checkHost(serverName)) {
        return { ok: false, reason: `the certificate is not valid for ${serverName}` };
      }
      return { ok: true };
    },
    verifyHandshakeSignature(leafCertificate, scheme, signedContent, signature) {
      try {
        const key = new X509Certificate(leafCertificate).publicKey;
        return verifyScheme(key, scheme, signedContent, signature);
      } catch {
        return false;
      }
    },
  };
}

function verifyScheme(
  key: KeyObject,
  scheme: number,
  content: Uint8Array,
  signature: Uint8Array,
): boolean {
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const pss = (hash: string, saltLength: number) =>
    type === 'rsa' &&
    verify(hash, content, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature);
  switch (scheme) {
    case 0x0403:
      return (
        type === 'ec' &&
        curve === 'prime256v1' &&
        verify('sha256', content, { key, dsaEncoding: 'der' }, signature)
      );
    case 0x0503:
      return (
        type === 'ec' &&
        curve === 'secp384r1' &&
        verify('sha384', content, { key, dsaEncoding: 'der' }, signature)
      );
    case 0x0804:
      return pss('sha256', 32);
    case 0x0805:
      return pss('sha384', 48);
    case 0x0807:
      return type === 'ed25519' && verify(null, content, key, signature);
    default:
      return false;
  }
}
