/**
 * The one error every wire-format parser throws for bytes it cannot accept:
 * too short, a length field pointing past the buffer, a bad checksum, a
 * version or type it does not speak. Received packets are untrusted input:
 * a parser must reject them with this error, never crash with a TypeError,
 * read past the buffer or loop. The caller (the network stack) counts and
 * drops; `layer` says which parser refused ('ipv4', 'dns', ...).
 */
export class MalformedPacket extends Error {
  constructor(
    readonly layer: string,
    reason: string,
  ) {
    super(`${layer}: ${reason}`);
    this.name = 'MalformedPacket';
  }
}
