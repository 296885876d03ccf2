// Makes the book's test certificates: a local root CA, intermediates, and one leaf per test host,
// including a broken matrix in the manner of badssl.com under `cotton.test`. Run it with
//   npx tsx scripts/make-test-certificates.ts
// and commit what it writes to test/fixtures/pki/. Keys are random at each run, so the output is made
// once and committed; the validity windows are fixed dates so that tests (which pass `now`
// explicitly) give the same verdicts forever. Uses @peculiar/x509 and WebCrypto, never the kernel's
// own parser, so the fixtures are an independent check of it.

import { webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as X509 from '@peculiar/x509';

// @peculiar/x509 resolves its algorithms through tsyringe, which insists on a Reflect metadata
// API. The `reflect-metadata` package is not a dependency, and nothing here uses decorators'
// metadata, so a minimal in-memory stand-in is enough; it must exist before the library loads.
installReflectMetadata();
const x509 = await import('@peculiar/x509');

function installReflectMetadata(): void {
  const store = new WeakMap<object, Map<unknown, unknown>>();
  const table = (target: object) => store.get(target) ?? store.set(target, new Map()).get(target)!;
  const getMetadata = (key: unknown, target: object) => table(target).get(key);
  Object.assign(Reflect, {
    defineMetadata: (key: unknown, value: unknown, target: object) => table(target).set(key, value),
    getMetadata,
    getOwnMetadata: getMetadata,
  });
}

const OUTPUT_DIRECTORY = join(import.meta.dirname, '..', 'test', 'fixtures', 'pki');

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' };
const ECDSA_P384 = { name: 'ECDSA', namedCurve: 'P-384' };
const ED25519 = { name: 'Ed25519' };
const rsa = (bits: number) => ({
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: bits,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
});
type KeyAlgorithm = typeof ECDSA_P256 | typeof ED25519 | ReturnType<typeof rsa>;

const VALID = { notBefore: '2025-01-01', notAfter: '2035-01-01' };
const CA_VALIDITY = { notBefore: '2020-01-01', notAfter: '2055-01-01' };
const EXPIRED = { notBefore: '2020-01-01', notAfter: '2021-01-01' };
const NOT_YET_VALID = { notBefore: '2040-01-01', notAfter: '2045-01-01' };
type Validity = typeof VALID;

interface Issued {
  certificate: X509.X509Certificate;
  keys: CryptoKeyPair;
}

let nextSerial = 0x1000;

async function generateKeys(algorithm: KeyAlgorithm): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function signingAlgorithmFor(keys: CryptoKeyPair, hash = 'SHA-256'): Algorithm {
  const name = keys.privateKey.algorithm.name;
  if (name === 'ECDSA') return { name, hash } as Algorithm;
  if (name === 'RSASSA-PKCS1-v1_5') return { name, hash } as Algorithm;
  return { name };
}

interface CertificateRequest {
  subject: string;
  keyAlgorithm: KeyAlgorithm;
  issuer: Issued | 'self';
  validity: Validity;
  extensions: X509.Extension[];
  signatureHash?: string;
}

async function issue(request: CertificateRequest): Promise<Issued> {
  const keys = await generateKeys(request.keyAlgorithm);
  const issuer = request.issuer === 'self' ? { certificate: null, keys } : request.issuer;
  const extensions = [
    ...request.extensions,
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
  ];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: (nextSerial++).toString(16).padStart(4, '0'),
    subject: request.subject,
    issuer: issuer.certificate === null ? request.subject : issuer.certificate.subject,
    notBefore: new Date(`${request.validity.notBefore}T00:00:00Z`),
    notAfter: new Date(`${request.validity.notAfter}T00:00:00Z`),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: signingAlgorithmFor(issuer.keys, request.signatureHash),
    extensions,
  });
  return { certificate, keys };
}

function caExtensions(pathLength?: number): X509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.keyCertSign |
        x509.KeyUsageFlags.cRLSign |
        x509.KeyUsageFlags.digitalSignature,
      true,
    ),
  ];
}

function serverExtensions(
  names: string[],
  addresses: string[] = [],
  extendedKeyUsage = x509.ExtendedKeyUsage.serverAuth,
): X509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([extendedKeyUsage]),
    new x509.SubjectAlternativeNameExtension([
      ...names.map((value) => ({ type: 'dns' as const, value })),
      ...addresses.map((value) => ({ type: 'ip' as const, value })),
    ]),
  ];
}

function leafRequest(host: string, issuer: Issued, overrides: Partial<CertificateRequest> = {}) {
  return {
    subject: `O=CottonOS Book, CN=${host}`,
    keyAlgorithm: ECDSA_P256,
    issuer,
    validity: VALID,
    extensions: serverExtensions([host]),
    ...overrides,
  };
}

function flipLastSignatureByte(certificate: X509.X509Certificate): Uint8Array {
  const der = new Uint8Array(certificate.rawData).slice();
  der[der.length - 1] = der[der.length - 1]! ^ 0x01;
  return der;
}

function pem(der: ArrayBuffer | Uint8Array, label: string): string {
  return x509.PemConverter.encode(der instanceof Uint8Array ? der.slice().buffer : der, label);
}

async function keyPem(keys: CryptoKeyPair): Promise<string> {
  return pem(await crypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
}

function write(name: string, text: string): void {
  writeFileSync(join(OUTPUT_DIRECTORY, name), text.endsWith('\n') ? text : `${text}\n`);
}

async function writeAuthority(name: string, issued: Issued): Promise<void> {
  write(`${name}.pem`, issued.certificate.toString('pem'));
  write(`${name}.key.pem`, await keyPem(issued.keys));
}

async function writeHost(
  host: string,
  chain: (X509.X509Certificate | Uint8Array)[],
  keys: CryptoKeyPair,
) {
  const blocks = chain.map((c) =>
    c instanceof Uint8Array ? pem(c, 'CERTIFICATE') : c.toString('pem'),
  );
  write(`${host}.chain.pem`, blocks.join('\n'));
  write(`${host}.key.pem`, await keyPem(keys));
}

async function main(): Promise<void> {
  mkdirSync(OUTPUT_DIRECTORY, { recursive: true });

  const root = await issue({
    subject: 'O=CottonOS Book, CN=CottonOS Book Root CA',
    keyAlgorithm: ECDSA_P256,
    issuer: 'self',
    validity: CA_VALIDITY,
    extensions: caExtensions(),
  });
  const intermediate = await issue({
    subject: 'O=CottonOS Book, CN=CottonOS Book Intermediate CA',
    keyAlgorithm: ECDSA_P256,
    issuer: root,
    validity: CA_VALIDITY,
    extensions: caExtensions(1),
  });
  const rsaIntermediate = await issue({
    subject: 'O=CottonOS Book, CN=CottonOS Book RSA Intermediate CA',
    keyAlgorithm: rsa(2048),
    issuer: root,
    validity: CA_VALIDITY,
    extensions: caExtensions(0),
  });
  const untrustedRoot = await issue({
    subject: 'O=Nobody, CN=Untrusted Root CA',
    keyAlgorithm: ECDSA_P256,
    issuer: 'self',
    validity: CA_VALIDITY,
    extensions: caExtensions(),
  });
  const endOfPathIntermediate = await issue({
    subject: 'O=CottonOS Book, CN=CottonOS Book Last Intermediate CA',
    keyAlgorithm: ECDSA_P256,
    issuer: rsaIntermediate,
    validity: CA_VALIDITY,
    extensions: caExtensions(),
  });
  await writeAuthority('root-ca', root);
  await writeAuthority('intermediate-ca', intermediate);
  await writeAuthority('rsa-intermediate-ca', rsaIntermediate);
  await writeAuthority('untrusted-root-ca', untrustedRoot);

  const hosts: [string, Issued, (X509.X509Certificate | Uint8Array)[]][] = [];
  const addHost = async (host: string, leaf: Issued, rest: (X509.X509Certificate | Uint8Array)[]) =>
    hosts.push([host, leaf, [leaf.certificate, ...rest]]);

  const example = await issue(
    leafRequest('example.com', intermediate, {
      extensions: serverExtensions(['example.com', 'www.example.com']),
    }),
  );
  await addHost('example.com', example, [intermediate.certificate]);
  const wildcard = await issue(
    leafRequest('*.cotton.test', intermediate, { extensions: serverExtensions(['*.cotton.test']) }),
  );
  await addHost('wildcard.cotton.test', wildcard, [intermediate.certificate]);
  const localhost = await issue(
    leafRequest('localhost', intermediate, {
      extensions: serverExtensions(['localhost'], ['127.0.0.1', '::1']),
    }),
  );
  await addHost('localhost', localhost, [intermediate.certificate]);
  const rsaLeaf = await issue(
    leafRequest('rsa.cotton.test', rsaIntermediate, { keyAlgorithm: rsa(2048) }),
  );
  await addHost('rsa.cotton.test', rsaLeaf, [rsaIntermediate.certificate]);
  const p384 = await issue(
    leafRequest('p384.cotton.test', intermediate, {
      keyAlgorithm: ECDSA_P384,
      signatureHash: 'SHA-384',
    }),
  );
  await addHost('p384.cotton.test', p384, [intermediate.certificate]);
  const ed25519 = await issue(
    leafRequest('ed25519.cotton.test', intermediate, { keyAlgorithm: ED25519 }),
  );
  await addHost('ed25519.cotton.test', ed25519, [intermediate.certificate]);

  const expired = await issue(
    leafRequest('expired.cotton.test', intermediate, { validity: EXPIRED }),
  );
  await addHost('expired.cotton.test', expired, [intermediate.certificate]);
  const notYetValid = await issue(
    leafRequest('not-yet-valid.cotton.test', intermediate, { validity: NOT_YET_VALID }),
  );
  await addHost('not-yet-valid.cotton.test', notYetValid, [intermediate.certificate]);
  const wrongHost = await issue(leafRequest('example.net', intermediate));
  await addHost('wrong-host.cotton.test', wrongHost, [intermediate.certificate]);
  const selfSigned = await issue(
    leafRequest('self-signed.cotton.test', intermediate, { issuer: 'self' }),
  );
  await addHost('self-signed.cotton.test', selfSigned, []);
  const untrusted = await issue(leafRequest('untrusted-root.cotton.test', untrustedRoot));
  await addHost('untrusted-root.cotton.test', untrusted, [untrustedRoot.certificate]);
  const badSignature = await issue(leafRequest('bad-signature.cotton.test', intermediate));
  hosts.push([
    'bad-signature.cotton.test',
    badSignature,
    [flipLastSignatureByte(badSignature.certificate), intermediate.certificate],
  ]);
  const incomplete = await issue(leafRequest('incomplete-chain.cotton.test', intermediate));
  await addHost('incomplete-chain.cotton.test', incomplete, []);
  const weakKey = await issue(
    leafRequest('weak-key.cotton.test', intermediate, { keyAlgorithm: rsa(1024) }),
  );
  await addHost('weak-key.cotton.test', weakKey, [intermediate.certificate]);
  const notACa = await issue(leafRequest('not-a-ca.cotton.test', example));
  await addHost('not-a-ca.cotton.test', notACa, [example.certificate, intermediate.certificate]);
  const pathLength = await issue(leafRequest('path-length.cotton.test', endOfPathIntermediate));
  await addHost('path-length.cotton.test', pathLength, [
    endOfPathIntermediate.certificate,
    rsaIntermediate.certificate,
  ]);
  const badKeyUsage = await issue(
    leafRequest('bad-key-usage.cotton.test', intermediate, {
      extensions: serverExtensions(
        ['bad-key-usage.cotton.test'],
        [],
        x509.ExtendedKeyUsage.clientAuth,
      ),
    }),
  );
  await addHost('bad-key-usage.cotton.test', badKeyUsage, [intermediate.certificate]);

  for (const [host, leaf, chain] of hosts) await writeHost(host, chain, leaf.keys);
  console.log(`wrote ${hosts.length} hosts and 4 authorities to ${OUTPUT_DIRECTORY}`);
}

await main();
