/**
 * ICMP echo request and reply (RFC 792, "Echo or Echo Reply Message"): type,
 * code, checksum over the whole message, identifier, sequence number, data.
 * And "destination unreachable" (RFC 792, type 3), which a host sends for a
 * UDP datagram to a port nobody listens on (code 3, RFC 1122 §4.1.3.1):
 * four unused bytes, then the offending datagram's IP header and first
 * eight bytes of data, so the sender can tell which of its datagrams failed.
 */
import { internetChecksum } from './ipv4';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_DESTINATION_UNREACHABLE = 3;
export const ICMP_CODE_PORT_UNREACHABLE = 3;
const ICMP_ECHO_HEADER_LENGTH = 8;
const ICMP_UNREACHABLE_HEADER_LENGTH = 8;
/** How much of the offending datagram's data goes back after its header. */
const ICMP_QUOTED_DATA_LENGTH = 8;

export interface IcmpEcho {
  readonly type: number;
  readonly identifier: number;
  readonly sequence: number;
  readonly data: Uint8Array;
}

/** An echo request or reply with a correct checksum, or null. */
export function parseIcmpEcho(bytes: Uint8Array): IcmpEcho | null {
  if (bytes.length < ICMP_ECHO_HEADER_LENGTH || bytes[1] !== 0) return null;
  if (bytes[0] !== ICMP_ECHO_REQUEST && bytes[0] !== ICMP_ECHO_REPLY) return null;
  if (internetChecksum(bytes) !== 0) return null;
  return {
    type: bytes[0]!,
    identifier: (bytes[4]! << 8) | bytes[5]!,
    sequence: (bytes[6]! << 8) | bytes[7]!,
    data: bytes.subarray(ICMP_ECHO_HEADER_LENGTH),
  };
}

export function buildIcmpEcho(echo: IcmpEcho): Uint8Array {
  const bytes = new Uint8Array(ICMP_ECHO_HEADER_LENGTH + echo.data.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = echo.type;
  view.setUint16(4, echo.identifier);
  view.setUint16(6, echo.sequence);
  bytes.set(echo.data, ICMP_ECHO_HEADER_LENGTH);
  view.setUint16(2, internetChecksum(bytes));
  return bytes;
}

/** A destination-unreachable message quoting `datagram`, an IPv4 datagram as it arrived. */
export function buildIcmpDestinationUnreachable(code: number, datagram: Uint8Array): Uint8Array {
  const headerLength = (datagram[0]! & 0x0f) * 4;
  const quoted = datagram.subarray(0, headerLength + ICMP_QUOTED_DATA_LENGTH);
  const bytes = new Uint8Array(ICMP_UNREACHABLE_HEADER_LENGTH + quoted.length);
  bytes[0] = ICMP_DESTINATION_UNREACHABLE;
  bytes[1] = code;
  bytes.set(quoted, ICMP_UNREACHABLE_HEADER_LENGTH);
  new DataView(bytes.buffer).setUint16(2, internetChecksum(bytes));
  return bytes;
}
