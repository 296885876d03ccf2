/**
 * Link-layer (Ethernet MAC, IEEE 802-2014 §8.1) and network-layer (IPv4,
 * RFC 791 §2.3 and RFC 4632 §3.1 for prefixes) addresses.
 *
 * An IPv4 address is kept as a plain number: the 32 bits read big-endian
 * ("network order") from the wire, always kept unsigned with `>>> 0`, since
 * JavaScript's bitwise operators return signed 32-bit results. A number makes
 * subnet tests a single AND, and compares with `===`.
 *
 * A MAC address is kept as its usual text, lowercase with colons
 * ('52:54:00:12:34:56'), so it can be a Map key, compared with `===` and
 * printed as it is. The wire formats convert it at the edge.
 */
import { readUint32, readUint8, writeUint32, writeUint8 } from './bytes';

export type Ipv4Address = number;
export type MacAddress = string;

export const BROADCAST_MAC: MacAddress = 'ff:ff:ff:ff:ff:ff';
/** The limited broadcast address 255.255.255.255 (RFC 919 §7). */
export const IPV4_BROADCAST: Ipv4Address = 0xffffffff;
/** 0.0.0.0, "this host" (RFC 1122 §3.2.1.3): a DHCP client's source before it has an address. */
export const IPV4_UNSPECIFIED: Ipv4Address = 0;

export const MAC_ADDRESS_LENGTH = 6;
export const IPV4_ADDRESS_LENGTH = 4;

const DOTTED_DECIMAL_PART = /^(0|[1-9][0-9]{0,2})$/;
const MAC_ADDRESS_TEXT = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/**
 * '10.0.2.15' -> 0x0a00020f; null unless four decimal parts 0-255. Leading
 * zeros are refused: some systems read '010' as octal, so it is ambiguous.
 */
export function parseIpv4Address(text: string): Ipv4Address | null {
  const parts = text.split('.');
  if (parts.length !== IPV4_ADDRESS_LENGTH) return null;
  let address = 0;
  for (const part of parts) {
    if (!DOTTED_DECIMAL_PART.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    address = address * 256 + value;
  }
  return address >>> 0;
}

/** 0x0a00020f -> '10.0.2.15' */
export function formatIpv4Address(address: Ipv4Address): string {
  return [address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff].join(
    '.',
  );
}

/** Read a big-endian IPv4 address from the wire. */
export function ipv4FromBytes(bytes: Uint8Array, offset: number): Ipv4Address {
  return readUint32(bytes, offset);
}

/** Write an IPv4 address big-endian at `offset`. */
export function ipv4ToBytes(address: Ipv4Address, out: Uint8Array, offset: number): void {
  writeUint32(out, offset, address);
}

/** '52-54-00-AB-CD-EF' or '52:54:00:ab:cd:ef' -> '52:54:00:ab:cd:ef'; null if not a MAC. */
export function parseMacAddress(text: string): MacAddress | null {
  const normal = text.toLowerCase().replaceAll('-', ':');
  return MAC_ADDRESS_TEXT.test(normal) ? normal : null;
}

/** Write the six bytes of `mac` at `offset`. Throws RangeError for text that is not a MAC. */
export function macToBytes(mac: MacAddress, out: Uint8Array, offset: number): void {
  if (!MAC_ADDRESS_TEXT.test(mac)) throw new RangeError(`not a MAC address: '${mac}'`);
  for (let i = 0; i < MAC_ADDRESS_LENGTH; i++) {
    writeUint8(out, offset + i, parseInt(mac.slice(i * 3, i * 3 + 2), 16));
  }
}

/** Six bytes at `offset` -> '52:54:00:12:34:56' */
export function macFromBytes(bytes: Uint8Array, offset: number): MacAddress {
  const parts: string[] = [];
  for (let i = 0; i < MAC_ADDRESS_LENGTH; i++) {
    const byte = readUint8(bytes, offset + i);
    parts.push(byte.toString(16).padStart(2, '0'));
  }
  return parts.join(':');
}

/** /24 -> 255.255.255.0 (0xffffff00); /0 -> 0. */
export function prefixToMask(prefixLength: number): Ipv4Address {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
    throw new RangeError(`prefix length out of range: ${prefixLength}`);
  }
  // A shift by 32 is a shift by 0 in JavaScript, so /0 is handled apart.
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/** 255.255.255.0 -> 24; null for a mask whose one bits are not contiguous from the top. */
export function maskToPrefix(mask: Ipv4Address): number | null {
  let prefixLength = 0;
  while (prefixLength < 32 && (mask >>> (31 - prefixLength)) & 1) prefixLength++;
  return prefixToMask(prefixLength) === mask >>> 0 ? prefixLength : null;
}

/** Is `address` in `network`/`prefixLength`? (10.0.2.15 is in 10.0.2.0/24.) */
export function isInSubnet(
  address: Ipv4Address,
  network: Ipv4Address,
  prefixLength: number,
): boolean {
  const mask = prefixToMask(prefixLength);
  return ((address ^ network) & mask) >>> 0 === 0;
}
