import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePem } from '../../../../src/kernel/net/pki/pem.ts';
import { PkiError } from '../../../../src/kernel/net/pki/pki-error.ts';
import { FIXTURES } from './certificate-builder.ts';

const chainText = readFileSync(join(FIXTURES, 'example.com.chain.pem'), 'utf8');

function block(label: string, base64: string): string {
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}

describe('parsePem', () => {
  it('reads every certificate of a chain file, as Node decodes them', () => {
    const certificates = parsePem(chainText);
    expect(certificates).toHaveLength(2);
    const base64Blocks = chainText.split('-----END CERTIFICATE-----').slice(0, 2);
    certificates.forEach((der, i) => {
      const body = base64Blocks[i]!.replace(/-----BEGIN CERTIFICATE-----/, '').replace(/\s/g, '');
      expect(Buffer.from(der).toString('base64')).toBe(body);
    });
  });

  it('skips keys, comments and blank lines, and accepts CRLF', () => {
    const key = readFileSync(join(FIXTURES, 'example.com.key.pem'), 'utf8');
    const text = `# roots\n\n${key}${chainText}`.replace(/\n/g, '\r\n');
    expect(parsePem(text)).toEqual(parsePem(chainText));
    expect(parsePem(key)).toEqual([]);
  });

  it('decodes padding and refuses broken base64', () => {
    expect(parsePem(block('CERTIFICATE', 'AQID'))).toEqual([Uint8Array.of(1, 2, 3)]);
    expect(parsePem(block('CERTIFICATE', 'AQI='))).toEqual([Uint8Array.of(1, 2)]);
    expect(parsePem(block('CERTIFICATE', 'AQ=='))).toEqual([Uint8Array.of(1)]);
    expect(() => parsePem(block('CERTIFICATE', 'AQI'))).toThrow(/base64 length/);
    expect(() => parsePem(block('CERTIFICATE', 'A=QI'))).toThrow(/'=' is not base64/);
    expect(() => parsePem(block('CERTIFICATE', 'AQ!D'))).toThrow(PkiError);
  });

  it('refuses a block without its END line or with a mismatched one', () => {
    expect(() => parsePem('-----BEGIN CERTIFICATE-----\nAQID\n')).toThrow(/without an END line/);
    expect(() =>
      parsePem('-----BEGIN CERTIFICATE-----\nAQID\n-----END PRIVATE KEY-----\n'),
    ).toThrow(/inside a CERTIFICATE block/);
  });
});
