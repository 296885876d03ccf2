// PEM, the text wrapping of DER (RFC 7468): base64 between '-----BEGIN CERTIFICATE-----' and
// '-----END CERTIFICATE-----' lines. Trust stores and server chains are files of such blocks;
// text around the blocks (comments, other labels such as keys) is skipped.

import { PkiError } from './pki-error.ts';

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CERTIFICATE_LABEL = 'CERTIFICATE';
const BOUNDARY = /^-----(BEGIN|END) ([A-Z0-9 ]*)-----$/;

/** The DER of every CERTIFICATE block in `text`, in order. */
export function parsePem(text: string): Uint8Array[] {
  const certificates: Uint8Array[] = [];
  let openLabel: string | null = null;
  let body: string[] = [];
  for (const [index, rawLine] of text.split('\n').entries()) {
    const line = rawLine.trim();
    const boundary = BOUNDARY.exec(line);
    if (openLabel === null) {
      if (boundary?.[1] === 'BEGIN') [openLabel, body] = [boundary[2]!, []];
    } else if (boundary === null) {
      body.push(line);
    } else if (boundary[1] === 'END' && boundary[2] === openLabel) {
      if (openLabel === CERTIFICATE_LABEL)
        certificates.push(decodeBase64(body.join(''), index + 1));
      openLabel = null;
    } else {
      throw new PkiError(`PEM line ${index + 1}: '${line}' inside a ${openLabel} block`);
    }
  }
  if (openLabel !== null) throw new PkiError(`PEM: ${openLabel} block without an END line`);
  return certificates;
}

/** Base64 (RFC 4648 section 4), strictly: whole 4-character groups, '=' only at the very end. */
export function decodeBase64(text: string, line: number): Uint8Array {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const digits = text.slice(0, text.length - padding);
  if (text.length % 4 !== 0) throw new PkiError(`PEM block ending line ${line}: base64 length`);
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let accumulator = 0;
  let bits = 0;
  let written = 0;
  for (const character of digits) {
    const value = BASE64_ALPHABET.indexOf(character);
    if (value < 0)
      throw new PkiError(`PEM block ending line ${line}: '${character}' is not base64`);
    accumulator = ((accumulator << 6) | value) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[written++] = (accumulator >> bits) & 0xff;
    }
  }
  return bytes;
}
