/**
 * libpcap capture files ("pcap", the classic format Wireshark and tshark
 * read; draft-ietf-opsawg-pcap §4–5): a 24-byte global header (magic
 * 0xA1B2C3D4 for microsecond timestamps, version 2.4, snap length, link type
 * 1 = Ethernet), then per frame a 16-byte record header (seconds,
 * microseconds, captured length, original length) and the frame. Everything
 * is written in the writer's byte order, little-endian here; readers detect
 * it from the magic.
 *
 * Timestamps are the machine's: its configured start time (the RTC's date at
 * power-on) plus virtual time, so a capture of the same run is the same file.
 * The writer emits bytes to a sink (a file in Node, a list of chunks in the
 * browser) and keeps nothing itself.
 */

export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_VERSION_MAJOR = 2;
export const PCAP_VERSION_MINOR = 4;
export const PCAP_LINKTYPE_ETHERNET = 1;
export const PCAP_GLOBAL_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;
const DEFAULT_SNAP_LENGTH = 65535;

export function pcapGlobalHeader(
  snapLength = DEFAULT_SNAP_LENGTH,
  linkType = PCAP_LINKTYPE_ETHERNET,
): Uint8Array {
  const bytes = new Uint8Array(PCAP_GLOBAL_HEADER_LENGTH);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, PCAP_MAGIC_MICROSECONDS, true);
  view.setUint16(4, PCAP_VERSION_MAJOR, true);
  view.setUint16(6, PCAP_VERSION_MINOR, true);
  view.setInt32(8, 0, true); // thiszone: timestamps are UTC
  view.setUint32(12, 0, true); // sigfigs
  view.setUint32(16, snapLength, true);
  view.setUint32(20, linkType, true);
  return bytes;
}

/** One record: header and (up to snapLength bytes of) the frame. */
export function pcapRecord(
  frame: Uint8Array,
  seconds: number,
  microseconds: number,
  snapLength = DEFAULT_SNAP_LENGTH,
): Uint8Array {
  const captured = Math.min(frame.length, snapLength);
  const bytes = new Uint8Array(PCAP_RECORD_HEADER_LENGTH + captured);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, seconds, true);
  view.setUint32(4, microseconds, true);
  view.setUint32(8, captured, true);
  view.setUint32(12, frame.length, true);
  bytes.set(frame.subarray(0, captured), PCAP_RECORD_HEADER_LENGTH);
  return bytes;
}

export class PcapWriter {
  framesWritten = 0;

  /** Writes the global header to `sink` at once. */
  constructor(
    private readonly sink: (bytes: Uint8Array) => void,
    private readonly startTimeSeconds = 0,
    private readonly snapLength = DEFAULT_SNAP_LENGTH,
  ) {
    sink(pcapGlobalHeader(snapLength));
  }

  /** Record a frame seen at virtual time `timeNs`. */
  writeFrame(frame: Uint8Array, timeNs: number): void {
    const totalMicroseconds = Math.floor(timeNs / 1000);
    const seconds = this.startTimeSeconds + Math.floor(totalMicroseconds / 1_000_000);
    this.sink(pcapRecord(frame, seconds, totalMicroseconds % 1_000_000, this.snapLength));
    this.framesWritten++;
  }
}
