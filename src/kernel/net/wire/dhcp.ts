/**
 * DHCP messages (RFC 2131 §2, "Protocol Summary"; options from RFC 2132).
 *
 * DHCP rides on BOOTP (RFC 951): a fixed 236-byte part, then the "magic
 * cookie" 99.130.83.99 that says DHCP options follow (RFC 2131 §3, RFC 2132
 * §2), then the options, each one code byte, one length byte and the value;
 * PAD (0) is a lone byte and END (255) closes the list.
 *
 *     0  op | htype | hlen | hops            4  xid (transaction id)
 *     8  secs | flags                       12  ciaddr (client's address)
 *    16  yiaddr ("your" address: offered)   20  siaddr (next server)
 *    24  giaddr (relay agent)               28  chaddr (client MAC, 16 bytes)
 *    44  sname (64 bytes)                  108  file (128 bytes)
 *   236  magic cookie                      240  options ...
 *
 * Only the options a client needs to configure itself are interpreted (the
 * DhcpOptions fields); the others are skipped. A value with the wrong length
 * for its option, or an option running past the end of the message, is
 * refused: a length byte is a promise the parser must never take on trust.
 * Option overload (52: options continued in sname/file) is not supported.
 */
import {
  ipv4FromBytes,
  ipv4ToBytes,
  macFromBytes,
  macToBytes,
  type Ipv4Address,
  type MacAddress,
} from './addresses';
import { readUint16, readUint32, readUint8, writeUint16, writeUint32, writeUint8 } from './bytes';
import { ARP_HARDWARE_ETHERNET } from './arp';
import { MalformedPacket } from './malformed';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
export const BOOTP_OPERATION_REQUEST = 1;
export const BOOTP_OPERATION_REPLY = 2;
export const BOOTP_FIXED_LENGTH = 236;
/** RFC 1542 §2.1: BOOTP messages are at least 300 bytes; emitted messages are padded to it. */
export const BOOTP_MIN_MESSAGE_LENGTH = 300;
export const BOOTP_FLAG_BROADCAST = 0x8000;
export const BOOTP_CHADDR_OFFSET = 28;
export const DHCP_MAGIC_COOKIE = 0x63825363;
export const DHCP_OPTIONS_OFFSET = BOOTP_FIXED_LENGTH + 4;

/** Option codes (RFC 2132 §3-§9). */
export const DHCP_OPTION_PAD = 0;
export const DHCP_OPTION_SUBNET_MASK = 1;
export const DHCP_OPTION_ROUTER = 3;
export const DHCP_OPTION_DNS_SERVERS = 6;
export const DHCP_OPTION_REQUESTED_IP = 50;
export const DHCP_OPTION_LEASE_TIME = 51;
export const DHCP_OPTION_MESSAGE_TYPE = 53;
export const DHCP_OPTION_SERVER_ID = 54;
export const DHCP_OPTION_PARAMETER_REQUEST_LIST = 55;
export const DHCP_OPTION_RENEWAL_TIME = 58;
export const DHCP_OPTION_REBINDING_TIME = 59;
export const DHCP_OPTION_END = 255;
const MAX_OPTION_LENGTH = 255;

/** DHCP message types, the value of option 53 (RFC 2132 §9.6). */
export const DHCPDISCOVER = 1;
export const DHCPOFFER = 2;
export const DHCPREQUEST = 3;
export const DHCPDECLINE = 4;
export const DHCPACK = 5;
export const DHCPNAK = 6;
export const DHCPRELEASE = 7;
export const DHCPINFORM = 8;

export interface DhcpOptions {
  messageType?: number;
  subnetMask?: Ipv4Address;
  routers?: Ipv4Address[];
  dnsServers?: Ipv4Address[];
  requestedAddress?: Ipv4Address;
  serverIdentifier?: Ipv4Address;
  leaseTimeSeconds?: number;
  renewalTimeSeconds?: number;
  rebindingTimeSeconds?: number;
  /** Option codes the client asks the server to send. */
  parameterRequestList?: number[];
}

export interface DhcpMessage {
  operation: typeof BOOTP_OPERATION_REQUEST | typeof BOOTP_OPERATION_REPLY;
  transactionId: number;
  secondsElapsed: number;
  /** The client cannot receive unicast before it has an address: reply by broadcast. */
  broadcast: boolean;
  clientAddress: Ipv4Address;
  yourAddress: Ipv4Address;
  serverAddress: Ipv4Address;
  relayAgentAddress: Ipv4Address;
  clientMac: MacAddress;
  options: DhcpOptions;
}

function reject(reason: string): never {
  throw new MalformedPacket('dhcp', reason);
}

// ---- Parsing ----

/** Parse a DHCP message (a UDP payload). */
export function parseDhcpMessage(bytes: Uint8Array): DhcpMessage {
  if (bytes.length < DHCP_OPTIONS_OFFSET) reject(`message of ${bytes.length} bytes`);
  const operation = readUint8(bytes, 0);
  if (operation !== BOOTP_OPERATION_REQUEST && operation !== BOOTP_OPERATION_REPLY) {
    reject(`operation ${operation}`);
  }
  // htype takes its numbers from ARP's hardware types (RFC 1700): 1 is Ethernet.
  if (readUint8(bytes, 1) !== ARP_HARDWARE_ETHERNET || readUint8(bytes, 2) !== 6) {
    reject('hardware is not Ethernet');
  }
  if (readUint32(bytes, BOOTP_FIXED_LENGTH) !== DHCP_MAGIC_COOKIE) reject('no magic cookie');
  return {
    operation,
    transactionId: readUint32(bytes, 4),
    secondsElapsed: readUint16(bytes, 8),
    broadcast: (readUint16(bytes, 10) & BOOTP_FLAG_BROADCAST) !== 0,
    clientAddress: ipv4FromBytes(bytes, 12),
    yourAddress: ipv4FromBytes(bytes, 16),
    serverAddress: ipv4FromBytes(bytes, 20),
    relayAgentAddress: ipv4FromBytes(bytes, 24),
    clientMac: macFromBytes(bytes, BOOTP_CHADDR_OFFSET),
    options: parseOptions(bytes, DHCP_OPTIONS_OFFSET),
  };
}

/** Walk code/length/value triples up to END; every step moves forward, so it ends. */
function parseOptions(bytes: Uint8Array, start: number): DhcpOptions {
  const options: DhcpOptions = {};
  let offset = start;
  for (;;) {
    if (offset >= bytes.length) reject('options end without an END option');
    const code = readUint8(bytes, offset);
    if (code === DHCP_OPTION_END) return options;
    if (code === DHCP_OPTION_PAD) {
      offset += 1;
      continue;
    }
    if (offset + 2 > bytes.length) reject(`option ${code} has no length byte`);
    const valueStart = offset + 2;
    const valueEnd = valueStart + readUint8(bytes, offset + 1);
    if (valueEnd > bytes.length) reject(`option ${code} overruns the message`);
    storeOption(options, code, bytes.subarray(valueStart, valueEnd));
    offset = valueEnd;
  }
}

function storeOption(options: DhcpOptions, code: number, value: Uint8Array): void {
  switch (code) {
    case DHCP_OPTION_MESSAGE_TYPE:
      options.messageType = byteValue(code, value);
      break;
    case DHCP_OPTION_SUBNET_MASK:
      options.subnetMask = addressValue(code, value);
      break;
    case DHCP_OPTION_ROUTER:
      options.routers = addressListValue(code, value);
      break;
    case DHCP_OPTION_DNS_SERVERS:
      options.dnsServers = addressListValue(code, value);
      break;
    case DHCP_OPTION_REQUESTED_IP:
      options.requestedAddress = addressValue(code, value);
      break;
    case DHCP_OPTION_SERVER_ID:
      options.serverIdentifier = addressValue(code, value);
      break;
    case DHCP_OPTION_LEASE_TIME:
      options.leaseTimeSeconds = secondsValue(code, value);
      break;
    case DHCP_OPTION_RENEWAL_TIME:
      options.renewalTimeSeconds = secondsValue(code, value);
      break;
    case DHCP_OPTION_REBINDING_TIME:
      options.rebindingTimeSeconds = secondsValue(code, value);
      break;
    case DHCP_OPTION_PARAMETER_REQUEST_LIST:
      if (value.length === 0) reject('empty parameter request list');
      options.parameterRequestList = [...value];
      break;
    default:
      break; // an option this client does not use
  }
}

function byteValue(code: number, value: Uint8Array): number {
  if (value.length !== 1) reject(`option ${code} must be 1 byte, is ${value.length}`);
  return readUint8(value, 0);
}

function secondsValue(code: number, value: Uint8Array): number {
  if (value.length !== 4) reject(`option ${code} must be 4 bytes, is ${value.length}`);
  return readUint32(value, 0);
}

function addressValue(code: number, value: Uint8Array): Ipv4Address {
  if (value.length !== 4) reject(`option ${code} must be 4 bytes, is ${value.length}`);
  return ipv4FromBytes(value, 0);
}

function addressListValue(code: number, value: Uint8Array): Ipv4Address[] {
  if (value.length === 0 || value.length % 4 !== 0) {
    reject(`option ${code} must be a list of addresses, is ${value.length} bytes`);
  }
  const addresses: Ipv4Address[] = [];
  for (let offset = 0; offset < value.length; offset += 4) {
    addresses.push(ipv4FromBytes(value, offset));
  }
  return addresses;
}

// ---- Emitting ----

export function emitDhcpMessage(message: DhcpMessage): Uint8Array {
  const options = encodeOptions(message.options);
  const length = Math.max(BOOTP_MIN_MESSAGE_LENGTH, DHCP_OPTIONS_OFFSET + options.length);
  const bytes = new Uint8Array(length); // sname, file and the padding stay zero
  writeUint8(bytes, 0, message.operation);
  writeUint8(bytes, 1, ARP_HARDWARE_ETHERNET);
  writeUint8(bytes, 2, 6);
  writeUint32(bytes, 4, message.transactionId);
  writeUint16(bytes, 8, message.secondsElapsed);
  writeUint16(bytes, 10, message.broadcast ? BOOTP_FLAG_BROADCAST : 0);
  ipv4ToBytes(message.clientAddress, bytes, 12);
  ipv4ToBytes(message.yourAddress, bytes, 16);
  ipv4ToBytes(message.serverAddress, bytes, 20);
  ipv4ToBytes(message.relayAgentAddress, bytes, 24);
  macToBytes(message.clientMac, bytes, BOOTP_CHADDR_OFFSET);
  writeUint32(bytes, BOOTP_FIXED_LENGTH, DHCP_MAGIC_COOKIE);
  bytes.set(options, DHCP_OPTIONS_OFFSET);
  return bytes;
}

/** The options in a fixed order, message type first, closed by END. */
function encodeOptions(options: DhcpOptions): Uint8Array {
  const out: number[] = [];
  const add = (code: number, value: number[]) => {
    if (value.length === 0 || value.length > MAX_OPTION_LENGTH) {
      throw new RangeError(`option ${code} with a value of ${value.length} bytes`);
    }
    out.push(code, value.length, ...value);
  };
  // Addresses and times alike are 32-bit big-endian values.
  const uint32Bytes = (value: number) => {
    const bytes = new Uint8Array(4);
    writeUint32(bytes, 0, value);
    return [...bytes];
  };
  if (options.messageType !== undefined) add(DHCP_OPTION_MESSAGE_TYPE, [options.messageType]);
  if (options.requestedAddress !== undefined) {
    add(DHCP_OPTION_REQUESTED_IP, uint32Bytes(options.requestedAddress));
  }
  if (options.serverIdentifier !== undefined) {
    add(DHCP_OPTION_SERVER_ID, uint32Bytes(options.serverIdentifier));
  }
  if (options.leaseTimeSeconds !== undefined) {
    add(DHCP_OPTION_LEASE_TIME, uint32Bytes(options.leaseTimeSeconds));
  }
  if (options.renewalTimeSeconds !== undefined) {
    add(DHCP_OPTION_RENEWAL_TIME, uint32Bytes(options.renewalTimeSeconds));
  }
  if (options.rebindingTimeSeconds !== undefined) {
    add(DHCP_OPTION_REBINDING_TIME, uint32Bytes(options.rebindingTimeSeconds));
  }
  if (options.subnetMask !== undefined) {
    add(DHCP_OPTION_SUBNET_MASK, uint32Bytes(options.subnetMask));
  }
  if (options.routers !== undefined) add(DHCP_OPTION_ROUTER, options.routers.flatMap(uint32Bytes));
  if (options.dnsServers !== undefined) {
    add(DHCP_OPTION_DNS_SERVERS, options.dnsServers.flatMap(uint32Bytes));
  }
  if (options.parameterRequestList !== undefined) {
    add(DHCP_OPTION_PARAMETER_REQUEST_LIST, options.parameterRequestList);
  }
  out.push(DHCP_OPTION_END);
  return Uint8Array.from(out);
}
