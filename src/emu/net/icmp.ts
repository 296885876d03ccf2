/**
 * ICMP echo request and reply (RFC 792, "Echo or Echo Reply Message"): type,
 * code, checksum over the whole message, identifier, sequence number, data.
 */
import { internetChecksum } from './ipv4';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_ECHO_REQUEST = 8;
const ICMP_ECHO_HEADER_LENGTH = 8;

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
