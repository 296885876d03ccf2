/**
 * The starter for exercise networking/dns-name: the text that takes the
 * place of the `exercise:dns-name` region in src/kernel/net/wire/dns.ts.
 */
export const starter = `export function encodeDnsName(name: string): number[] {
  // TODO (exercise networking/dns-name): RFC 1035 §3.1.
  //
  // "www.example.com" is sent as labels, each one preceded by its length, and a
  // zero length for the root at the end:
  //   3 w w w 7 e x a m p l e 3 c o m 0
  // A trailing dot ("example.com.") means the same name; "" and "." are the root alone.
  //
  // Throw a RangeError for an empty label ("a..b"), a label longer than
  // DNS_MAX_LABEL_LENGTH (63) bytes, a character below PRINTABLE_FIRST, above
  // PRINTABLE_LAST or equal to BACKSLASH, and a result longer than
  // DNS_MAX_NAME_LENGTH (255) bytes, the zero included.
  return [0];
}`;
