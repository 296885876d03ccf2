/** Byte vectors shared by more than one test. */

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

/**
 * A recursive resolver's answer for www.example.com A, as resolvers send it:
 * the CNAME's owner points at the question (c0 0c), its data and the A
 * record's owner point at "example.com" inside the question (c0 10).
 */
// biome-ignore format: laid out as the packet is
export const RESPONSE_WITH_COMPRESSION = Uint8Array.from([
  0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
  // 12: question www.example.com A IN
  3, ...ascii('www'), 7, ...ascii('example'), 3, ...ascii('com'), 0, 0x00, 0x01, 0x00, 0x01,
  // 33: www.example.com CNAME example.com, TTL 3600
  0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x02, 0xc0, 0x10,
  // 47: example.com A 93.184.216.34, TTL 3600
  0xc0, 0x10, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x04, 93, 184, 216, 34,
]);
