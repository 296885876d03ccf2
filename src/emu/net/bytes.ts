/**
 * Byte strings: joining them (messages built in parts, a connection's
 * data gathered until a whole request has arrived) and writing ASCII text
 * as bytes (protocol text and the simulated pages, which are all ASCII).
 */

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/** ASCII text as bytes; throws for any other character, so a page cannot silently lose one. */
export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) throw new RangeError(`not ASCII at ${i}: ${text.slice(i, i + 10)}`);
    bytes[i] = code;
  }
  return bytes;
}
