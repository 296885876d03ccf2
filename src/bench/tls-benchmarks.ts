/**
 * Speed of the kernel's TLS 1.3, in Node.
 *
 *   tls.handshake_ms     wall time of one `tls example.com` on the booted machine in fast
 *                        mode: TCP connect, the handshake against the simulated host (x25519,
 *                        TLS_AES_128_GCM_SHA256, an ECDSA P-256 chain of two), the trust store
 *                        read from disk, and printing the steps; median of HANDSHAKES
 *   tls.download_ms      wall time of `httpsget example.com /large` (handshake and the page)
 *   tls.bulk_mb_s        the kernel's record layer (net/tls/record-layer.ts) with
 *                        AES-128-GCM: records received and decrypted, MB (10^6 bytes) per
 *                        second, as a download costs the kernel
 *   tls.seal_mb_s        the same records encrypted, as an upload costs it
 */
import { CIPHER_SUITES } from '../kernel/net/tls/cipher-suites';
import { RecordLayer } from '../kernel/net/tls/record-layer';
import { CONTENT_TYPE_APPLICATION_DATA } from '../kernel/net/tls/registry';
import { bootFromRepo, freshBookDisk } from '../runtime/node/node-host';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const HANDSHAKES = 15;
const BULK_BYTES = 16 * 1024 * 1024;
const RECORD_BYTES = 16 * 1024;
const round = (n: number): number => Math.round(n * 1000) / 1000;
const plain = (text: string) => text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timed(action: () => string): { ms: number; out: string } {
  const start = performance.now();
  const out = plain(action());
  return { ms: performance.now() - start, out };
}

function handshakes(): Result[] {
  const host = bootFromRepo(freshBookDisk());
  host.runUntilPrompt();
  host.command('tls example.com'); // warm up: ARP, DNS, the JIT
  const times = Array.from({ length: HANDSHAKES }, () => {
    const { ms, out } = timed(() => host.command('tls example.com'));
    if (!out.includes('TLS_AES_128_GCM_SHA256, key exchange x25519') || !out.includes('trusted'))
      throw new Error(`tls example.com did not negotiate as expected:\n${out}`);
    return ms;
  });
  const download = timed(() => host.command('httpsget example.com /large', 600_000));
  if (!download.out.includes('HTTP 200 OK')) throw new Error(download.out);
  return [
    { name: 'tls.handshake_ms', value: round(median(times)), unit: 'ms' },
    { name: 'tls.download_ms', value: round(download.ms), unit: 'ms' },
  ];
}

/** AES-128-GCM records of 16 KiB, sealed by one record layer and opened by another. */
function recordLayer(): Result[] {
  const suite = CIPHER_SUITES.find((s) => s.name === 'TLS_AES_128_GCM_SHA256')!;
  const secret = new Uint8Array(suite.hash.outputLen).fill(7);
  const sender = new RecordLayer();
  const receiver = new RecordLayer();
  sender.setWriteSecret(suite, secret);
  receiver.setReadSecret(suite, secret);
  const content = new Uint8Array(RECORD_BYTES).fill(0x61);
  const count = BULK_BYTES / RECORD_BYTES;
  const records: Uint8Array[] = [];
  let start = performance.now();
  for (let i = 0; i < count; i++)
    records.push(sender.encode(CONTENT_TYPE_APPLICATION_DATA, content));
  const sealSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  let received = 0;
  for (const record of records) {
    receiver.receive(record);
    received += receiver.nextRecord()!.content.length;
  }
  const openSeconds = (performance.now() - start) / 1000;
  if (received !== BULK_BYTES) throw new Error(`opened ${received} of ${BULK_BYTES} bytes`);
  return [
    { name: 'tls.bulk_mb_s', value: round(BULK_BYTES / 1e6 / openSeconds), unit: 'MB/s' },
    { name: 'tls.seal_mb_s', value: round(BULK_BYTES / 1e6 / sealSeconds), unit: 'MB/s' },
  ];
}

export function tlsBenchmarks(): Result[] {
  return [...handshakes(), ...recordLayer()];
}
