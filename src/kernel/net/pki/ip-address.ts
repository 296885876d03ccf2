// IP address text <-> bytes, for matching a server name that is an address against a
// certificate's iPAddress names (RFC 5280 section 4.2.1.6: 4 octets for IPv4, 16 for IPv6, in
// network order). Text forms: dotted decimal (four numbers 0-255, no leading zeros, which some
// software reads as octal) and RFC 4291 section 2.2 IPv6 (eight hex groups, one '::' for a run of
// zero groups, optionally ending in dotted decimal).

const IPV4_PATTERN = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;
const IPV6_GROUP_PATTERN = /^[0-9a-f]{1,4}$/i;
const IPV6_GROUPS = 8;

/** The address's bytes, or null when `text` is not an IP address (then it is a host name). */
export function parseIpAddress(text: string): Uint8Array | null {
  return parseIpv4(text) ?? parseIpv6(text);
}

function parseIpv4(text: string): Uint8Array | null {
  const match = IPV4_PATTERN.exec(text);
  if (match === null) return null;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? Uint8Array.from(octets) : null;
}

function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const tail = halves.length === 1 || halves[1] === '' ? [] : halves[1]!.split(':');
  const groups = [...head, ...tail];
  const last = text.endsWith('::') ? undefined : groups[groups.length - 1];
  const embeddedIpv4 = last === undefined ? null : parseIpv4(last);
  const groupCount = groups.length + (embeddedIpv4 === null ? 0 : 1);
  const hasGap = halves.length === 2;
  if (hasGap ? groupCount >= IPV6_GROUPS : groupCount !== IPV6_GROUPS) return null;
  const hexGroups = embeddedIpv4 === null ? groups : groups.slice(0, -1);
  if (!hexGroups.every((group) => IPV6_GROUP_PATTERN.test(group))) return null;

  const words = hexGroups.map((group) => Number.parseInt(group, 16));
  const bytes = new Uint8Array(16);
  const zeroWords = IPV6_GROUPS - groupCount;
  words.forEach((word, i) => {
    const position = i < head.length ? i : i + zeroWords;
    bytes[position * 2] = word >> 8;
    bytes[position * 2 + 1] = word & 0xff;
  });
  if (embeddedIpv4 !== null) bytes.set(embeddedIpv4, 12);
  return bytes;
}

/** '192.0.2.1', or IPv6 as eight hex groups without compression (as OpenSSL prints them). */
export function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const words: string[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    words.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  }
  return words.join(':');
}
