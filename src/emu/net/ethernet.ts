/**
 * Ethernet II frames (IEEE 802.3 §3.1 with an EtherType in the length field):
 * destination and source MAC addresses, EtherType, payload, padded to the
 * 60-byte minimum (64 with the frame check sequence). The virtual switch
 * carries frames without their FCS, as a host's capture does; a NIC that
 * shows the FCS to its driver (the RTL8139) computes it with `ethernetFcs`.
 */

export type MacAddress = Uint8Array;

export const ETHERNET_HEADER_LENGTH = 14;
/** Smallest frame without the FCS. */
export const ETHERNET_MIN_FRAME = 60;
export const ETHERNET_MAX_FRAME = 1514;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const BROADCAST_MAC: MacAddress = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

export interface EthernetFrame {
  readonly destination: MacAddress;
  readonly source: MacAddress;
  readonly etherType: number;
  readonly payload: Uint8Array;
}

/** "52:54:00:12:34:56" → bytes. */
export function parseMac(text: string): MacAddress {
  const parts = text.split(':').map((part) => parseInt(part, 16));
  if (parts.length !== 6 || parts.some((n) => !(n >= 0 && n <= 255)))
    throw new Error(`not a MAC address: ${text}`);
  return Uint8Array.from(parts);
}

export function formatMac(mac: MacAddress): string {
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join(':');
}

export function sameMac(a: MacAddress, b: MacAddress): boolean {
  return a.length === 6 && b.length === 6 && a.every((byte, i) => byte === b[i]);
}

/** Group bit: multicast and broadcast destinations. */
export function isMulticast(mac: MacAddress): boolean {
  return (mac[0]! & 1) !== 0;
}

export function parseEthernetFrame(frame: Uint8Array): EthernetFrame | null {
  if (frame.length < ETHERNET_HEADER_LENGTH) return null;
  return {
    destination: frame.slice(0, 6),
    source: frame.slice(6, 12),
    etherType: (frame[12]! << 8) | frame[13]!,
    payload: frame.subarray(ETHERNET_HEADER_LENGTH),
  };
}

/** A frame with its header, padded with zeros to the minimum length. */
export function buildEthernetFrame(
  destination: MacAddress,
  source: MacAddress,
  etherType: number,
  payload: Uint8Array,
): Uint8Array {
  const frame = new Uint8Array(
    Math.max(ETHERNET_HEADER_LENGTH + payload.length, ETHERNET_MIN_FRAME),
  );
  frame.set(destination, 0);
  frame.set(source, 6);
  frame[12] = etherType >> 8;
  frame[13] = etherType & 0xff;
  frame.set(payload, ETHERNET_HEADER_LENGTH);
  return frame;
}

const CRC32_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The frame check sequence: CRC-32 (IEEE 802.3 §3.2.9), sent least significant byte first. */
export function ethernetFcs(frame: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of frame) crc = CRC32_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
