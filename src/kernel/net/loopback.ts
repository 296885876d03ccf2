/**
 * Loopback: datagrams this host sends to its own address.
 *
 * RFC 1122 §3.3.1.1 leaves a host's datagrams for itself to the host, and
 * a program must be able to talk to a server on the same machine (fetch
 * from httpd). Such a datagram never reaches the wire: ARP would ask the
 * network who has our own address and nobody would answer. Instead the
 * stack queues it here, and the network thread takes it from the queue and
 * receives it as if it had arrived from the NIC - Linux's loopback device
 * does the same, handing the packet to its receive path (netif_rx) rather
 * than to a driver.
 *
 * Delivery is deferred, not a direct call back into the stack: TCP answers
 * an arriving segment by sending one, and a direct call would recurse, each
 * answer inside the handling of the one before.
 */

export class Loopback {
  private readonly queue: Uint8Array[] = [];
  /** Datagrams looped back since boot (for netstats). */
  delivered = 0;

  /** Queue an IPv4 datagram for this host; the network thread receives it at its next run. */
  send(datagram: Uint8Array): void {
    this.queue.push(datagram);
  }

  /** The queued datagrams, oldest first, and an empty queue. */
  take(): Uint8Array[] {
    this.delivered += this.queue.length;
    return this.queue.splice(0);
  }

  /** Now, while datagrams wait (the thread must run); otherwise null. */
  nextDeadline(now: number): number | null {
    return this.queue.length > 0 ? now : null;
  }
}
