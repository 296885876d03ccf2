/**
 * ICMP messages (RFC 792), the three kinds the kernel sends or understands:
 *
 *   echo request (type 8) / echo reply (type 0), what `ping` sends and gets:
 *     | type | code 0 | checksum | identifier | sequence number | data ... |
 *   destination unreachable (type 3) and time exceeded (type 11), errors a
 *   router or host sends back about a datagram it could not deliver:
 *     | type | code   | checksum | unused (4 bytes)             | original IP header + 8 bytes |
 *
 * The checksum is the Internet checksum of the whole ICMP message (RFC 792,
 * "Echo or Echo Reply Message"). An echo reply must carry the request's
 * identifier, sequence number and data unchanged, which is how `ping` matches
 * replies to requests. The error messages quote the start of the datagram
 * that failed (its IPv4 header and its first 8 bytes: the UDP or TCP ports),
 * so the receiver can tell which connection it is about.
 *
 * Other ICMP types (redirect, timestamp, ...) are refused as unsupported.
 */
import { readUint16, readUint8, writeUint16, writeUint8 } from './bytes';
import { internetChecksum } from './checksum';
import { MalformedPacket } from './malformed';

export const ICMP_HEADER_LENGTH = 8;
export const ICMP_TYPE_ECHO_REPLY = 0;
export const ICMP_TYPE_DESTINATION_UNREACHABLE = 3;
export const ICMP_TYPE_ECHO_REQUEST = 8;
export const ICMP_TYPE_TIME_EXCEEDED = 11;
/** Destination unreachable codes (RFC 792; 4 and 5 as well). */
export const ICMP_CODE_NET_UNREACHABLE = 0;
export const ICMP_CODE_HOST_UNREACHABLE = 1;
export const ICMP_CODE_PROTOCOL_UNREACHABLE = 2;
export const ICMP_CODE_PORT_UNREACHABLE = 3;
export const ICMP_CODE_FRAGMENTATION_NEEDED = 4;
export const ICMP_CODE_SOURCE_ROUTE_FAILED = 5;
/** Time exceeded codes. */
export const ICMP_CODE_TTL_EXCEEDED_IN_TRANSIT = 0;
export const ICMP_CODE_FRAGMENT_REASSEMBLY_TIME_EXCEEDED = 1;

export interface IcmpEcho {
  type: typeof ICMP_TYPE_ECHO_REQUEST | typeof ICMP_TYPE_ECHO_REPLY;
  identifier: number;
  sequenceNumber: number;
  data: Uint8Array;
}

export interface IcmpError {
  type: typeof ICMP_TYPE_DESTINATION_UNREACHABLE | typeof ICMP_TYPE_TIME_EXCEEDED;
  code: number;
  /** The quoted start of the datagram that could not be delivered. */
  originalDatagram: Uint8Array;
}

export type IcmpMessage = IcmpEcho | IcmpError;

function reject(reason: string): never {
  throw new MalformedPacket('icmp', reason);
}

/** Parse and verify an ICMP message (an IPv4 payload). */
export function parseIcmpMessage(bytes: Uint8Array): IcmpMessage {
  if (bytes.length < ICMP_HEADER_LENGTH) reject(`message of ${bytes.length} bytes`);
  if (internetChecksum(bytes) !== 0) reject('bad checksum');
  const type = readUint8(bytes, 0);
  const code = readUint8(bytes, 1);
  const body = bytes.subarray(ICMP_HEADER_LENGTH);
  switch (type) {
    case ICMP_TYPE_ECHO_REQUEST:
    case ICMP_TYPE_ECHO_REPLY:
      if (code !== 0) reject(`echo with code ${code}`);
      return {
        type,
        identifier: readUint16(bytes, 4),
        sequenceNumber: readUint16(bytes, 6),
        data: body,
      };
    case ICMP_TYPE_DESTINATION_UNREACHABLE:
    case ICMP_TYPE_TIME_EXCEEDED:
      return { type, code, originalDatagram: body };
    default:
      return reject(`unsupported type ${type}`);
  }
}

export function isIcmpEcho(message: IcmpMessage): message is IcmpEcho {
  return message.type === ICMP_TYPE_ECHO_REQUEST || message.type === ICMP_TYPE_ECHO_REPLY;
}

export function emitIcmpMessage(message: IcmpMessage): Uint8Array {
  const body = isIcmpEcho(message) ? message.data : message.originalDatagram;
  const bytes = new Uint8Array(ICMP_HEADER_LENGTH + body.length);
  writeUint8(bytes, 0, message.type);
  if (isIcmpEcho(message)) {
    writeUint16(bytes, 4, message.identifier);
    writeUint16(bytes, 6, message.sequenceNumber);
  } else {
    writeUint8(bytes, 1, message.code); // bytes 4-7 stay zero: "unused"
  }
  bytes.set(body, ICMP_HEADER_LENGTH);
  writeUint16(bytes, 2, internetChecksum(bytes));
  return bytes;
}
