/**
 * The loopback queue: datagrams for this host wait for the network thread,
 * in order, and make the thread's next deadline "now" while they wait.
 */
import { describe, expect, it } from 'vitest';
import { Loopback } from '../../../src/kernel/net/loopback';

describe('Loopback', () => {
  it('hands over the queued datagrams oldest first, once', () => {
    const loopback = new Loopback();
    loopback.send(Uint8Array.of(1));
    loopback.send(Uint8Array.of(2));
    expect(loopback.take()).toEqual([Uint8Array.of(1), Uint8Array.of(2)]);
    expect(loopback.take()).toEqual([]);
    expect(loopback.delivered).toBe(2);
  });

  it('asks for the thread now while datagrams wait, and not at all when empty', () => {
    const loopback = new Loopback();
    expect(loopback.nextDeadline(500)).toBeNull();
    loopback.send(new Uint8Array(20));
    expect(loopback.nextDeadline(500)).toBe(500);
    loopback.take();
    expect(loopback.nextDeadline(501)).toBeNull();
  });

  it('keeps what is sent while the thread receives for its next run, so answers never recurse', () => {
    const loopback = new Loopback();
    loopback.send(Uint8Array.of(1));
    const received: number[] = [];
    for (const datagram of loopback.take()) {
      received.push(datagram[0]!);
      loopback.send(Uint8Array.of(datagram[0]! + 1)); // the answer, sent while receiving
    }
    expect(received).toEqual([1]);
    expect(loopback.take()).toEqual([Uint8Array.of(2)]);
  });
});
