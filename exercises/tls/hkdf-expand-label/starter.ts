/**
 * The starter for exercise tls/hkdf-expand-label: the text that takes the
 * place of the `exercise:hkdf-expand-label` region in
 * src/kernel/net/tls/key-schedule.ts.
 */
export const starter = `/**
 * HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length)
 *
 *   struct {
 *     uint16 length = Length;
 *     opaque label<7..255> = "tls13 " + Label;
 *     opaque context<0..255> = Context;
 *   } HkdfLabel;
 */
export function hkdfExpandLabel(
  hash: HashFunction,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  // TODO (exercise tls/hkdf-expand-label): RFC 8446 section 7.1.
  //
  // Build the HkdfLabel structure above as bytes: the output length as two bytes
  // (u16), then LABEL_PREFIX + label as ASCII with its length in one byte in front
  // (vector8(asciiBytes(...))), then the context, also with a one-byte length.
  // concatBytes() joins them; expand(hash, secret, info, length) is HKDF-Expand.
  return new Uint8Array(length);
}`;
