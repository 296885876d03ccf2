/**
 * DHCP messages (RFC 2131 §2, Figure 1; options from RFC 2132): the BOOTP
 * layout that DHCP kept - operation, hardware type and length, transaction
 * id, seconds, flags, four addresses (client's, "your", server's, relay's),
 * the client's hardware address, two legacy text fields - then the magic
 * cookie 99.130.83.99 and options as type-length-value triples, ended by
 * option 255. Only Ethernet clients (hardware type 1, 6-byte addresses) are
 * parsed; the option-overload trick (option 52) is not honoured, as
 * nothing on this network uses it.
 */
import type { MacAddress } from './ethernet';
import type { Ipv4Address } from './ipv4';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
export const BOOTP_OP_REQUEST = 1;
export const BOOTP_OP_REPLY = 2;
export const BOOTP_HTYPE_ETHERNET = 1;
/** The flags bit a client sets when it cannot receive unicast before it has an address. */
export const DHCP_FLAG_BROADCAST = 0x8000;
export const DHCP_MAGIC_COOKIE = 0x63825363;
/** op .. file: everything before the magic cookie. */
export const DHCP_FIXED_LENGTH = 236;
/** BOOTP's minimum message (RFC 1542 §3.4): some clients drop shorter ones. */
export const BOOTP_MIN_LENGTH = 300;

export const DHCP_OPTION_PAD = 0;
export const DHCP_OPTION_SUBNET_MASK = 1;
export const DHCP_OPTION_ROUTER = 3;
export const DHCP_OPTION_DNS_SERVER = 6;
export const DHCP_OPTION_REQUESTED_ADDRESS = 50;
export const DHCP_OPTION_LEASE_TIME = 51;
export const DHCP_OPTION_MESSAGE_TYPE = 53;
export const DHCP_OPTION_SERVER_ID = 54;
export const DHCP_OPTION_RENEWAL_TIME = 58;
export const DHCP_OPTION_REBINDING_TIME = 59;
export const DHCP_OPTION_CLIENT_ID = 61;
export const DHCP_OPTION_END = 255;

export const DHCPDISCOVER = 1;
export const DHCPOFFER = 2;
export const DHCPREQUEST = 3;
export const DHCPDECLINE = 4;
export const DHCPACK = 5;
export const DHCPNAK = 6;
export const DHCPRELEASE = 7;
export const DHCPINFORM = 8;

const UNSPECIFIED: Ipv4Address = new Uint8Array(4);

export interface DhcpMessage {
  readonly op: number;
  readonly xid: number;
  readonly secs: number;
  readonly flags: number;
  readonly ciaddr: Ipv4Address;
  readonly yiaddr: Ipv4Address;
  readonly siaddr: Ipv4Address;
  readonly giaddr: Ipv4Address;
  readonly chaddr: MacAddress;
  /** Option code → value, in the order they appear. */
  readonly options: ReadonlyMap<number, Uint8Array>;
}

/** An Ethernet client's DHCP message with well-formed options, or null. */
export function parseDhcp(bytes: Uint8Array): DhcpMessage | null {
  if (bytes.length < DHCP_FIXED_LENGTH + 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[1] !== BOOTP_HTYPE_ETHERNET || bytes[2] !== 6) return null;
  if (view.getUint32(DHCP_FIXED_LENGTH) !== DHCP_MAGIC_COOKIE) return null;
  const options = parseOptions(bytes.subarray(DHCP_FIXED_LENGTH + 4));
  if (!options) return null;
  return {
    op: bytes[0]!,
    xid: view.getUint32(4),
    secs: view.getUint16(8),
    flags: view.getUint16(10),
    ciaddr: bytes.slice(12, 16),
    yiaddr: bytes.slice(16, 20),
    siaddr: bytes.slice(20, 24),
    giaddr: bytes.slice(24, 28),
    chaddr: bytes.slice(28, 34),
    options,
  };
}

/** Options up to END (or the end of the message); null when one runs past the end. */
function parseOptions(bytes: Uint8Array): Map<number, Uint8Array> | null {
  const options = new Map<number, Uint8Array>();
  let at = 0;
  while (at < bytes.length) {
    const code = bytes[at]!;
    if (code === DHCP_OPTION_END) break;
    if (code === DHCP_OPTION_PAD) {
      at++;
      continue;
    }
    const length = bytes[at + 1];
    if (length === undefined || at + 2 + length > bytes.length) return null;
    options.set(code, bytes.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return options;
}

export interface DhcpMessageFields {
  readonly op: number;
  readonly xid: number;
  readonly flags?: number;
  readonly ciaddr?: Ipv4Address;
  readonly yiaddr?: Ipv4Address;
  readonly siaddr?: Ipv4Address;
  readonly chaddr: MacAddress;
  readonly options: ReadonlyMap<number, Uint8Array>;
}

/** A message padded to BOOTP's 300 bytes; each option value must be at most 255 bytes. */
export function buildDhcp(message: DhcpMessageFields): Uint8Array {
  const optionsLength = [...message.options.values()].reduce(
    (sum, value) => sum + 2 + value.length,
    0,
  );
  const bytes = new Uint8Array(
    Math.max(DHCP_FIXED_LENGTH + 4 + optionsLength + 1, BOOTP_MIN_LENGTH),
  );
  const view = new DataView(bytes.buffer);
  bytes[0] = message.op;
  bytes[1] = BOOTP_HTYPE_ETHERNET;
  bytes[2] = 6;
  view.setUint32(4, message.xid);
  view.setUint16(10, message.flags ?? 0);
  bytes.set(message.ciaddr ?? UNSPECIFIED, 12);
  bytes.set(message.yiaddr ?? UNSPECIFIED, 16);
  bytes.set(message.siaddr ?? UNSPECIFIED, 20);
  bytes.set(message.chaddr, 28);
  view.setUint32(DHCP_FIXED_LENGTH, DHCP_MAGIC_COOKIE);
  let at = DHCP_FIXED_LENGTH + 4;
  for (const [code, value] of message.options) {
    if (value.length > 255)
      throw new RangeError(`DHCP option ${code} is ${value.length} bytes long`);
    bytes[at] = code;
    bytes[at + 1] = value.length;
    bytes.set(value, at + 2);
    at += 2 + value.length;
  }
  bytes[at] = DHCP_OPTION_END;
  return bytes;
}

/** The DHCP message type (option 53), or null for a plain BOOTP message. */
export function dhcpMessageType(message: DhcpMessage): number | null {
  return message.options.get(DHCP_OPTION_MESSAGE_TYPE)?.[0] ?? null;
}

/** A 32-bit option value (lease and renewal times), big-endian. */
export function uint32Option(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}
