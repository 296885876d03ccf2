import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { applyNetForwards, NetForwardSpecError, parseNetForward } from '../../src/cli/net-bridge';
import { TestGuest } from '../emu/net/test-guest';

const servers: Server[] = [];

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A real server on 127.0.0.1: greets, answers each chunk in upper case, ends when the client ends. */
async function startServer(): Promise<{ port: number; received: string[] }> {
  const received: string[] = [];
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.write('hello guest\n');
    socket.on('data', (bytes) => {
      received.push(bytes.toString());
      socket.write(bytes.toString().toUpperCase());
    });
    socket.on('end', () => socket.end());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received };
}

/** Alternate virtual time and Node's event loop until `done()`. */
async function runUntil(guest: TestGuest, done: () => boolean, limit = 2000): Promise<boolean> {
  for (let i = 0; i < limit && !done(); i++) {
    guest.runFor(10);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return done();
}

describe('--net-forward specs', () => {
  it('parses VIRTUAL_IP:PORT=HOST:PORT', () => {
    expect(parseNetForward('10.0.2.100:80=127.0.0.1:8080')).toEqual({
      virtualAddress: '10.0.2.100',
      virtualPort: 80,
      hostAddress: '127.0.0.1',
      hostPort: 8080,
    });
    expect(parseNetForward('203.0.113.50:443=localhost:8443').hostAddress).toBe('localhost');
  });

  it('rejects malformed specs with the reason', () => {
    for (const bad of [
      '10.0.2.100:80',
      '10.0.2.100:80=127.0.0.1',
      '10.0.2.300:80=127.0.0.1:80',
      '10.0.2.100:0=127.0.0.1:80',
      'a:b=c:d',
    ]) {
      expect(() => parseNetForward(bad), bad).toThrow(NetForwardSpecError);
    }
  });
});

describe('forwarding a virtual port to a real socket', () => {
  it('carries bytes both ways and the close, between the guest and a server on 127.0.0.1', async () => {
    const { port, received } = await startServer();
    const guest = new TestGuest();
    applyNetForwards(guest.network, [parseNetForward(`10.0.2.100:80=127.0.0.1:${port}`)]);
    const client = guest.connect('10.0.2.100', 80);
    expect(await runUntil(guest, () => client.text === 'hello guest\n')).toBe(true);
    client.send('shout this');
    expect(await runUntil(guest, () => client.text.endsWith('SHOUT THIS'))).toBe(true);
    expect(received.join('')).toBe('shout this');
    client.close();
    expect(await runUntil(guest, () => client.peerFin && client.allAcknowledged)).toBe(true);
    expect(client.reset).toBe(false);
  });

  it("resets the guest's connection when nothing listens on the host side", async () => {
    const { port } = await startServer();
    servers.pop()!.close(); // the port is now closed
    const guest = new TestGuest();
    applyNetForwards(guest.network, [parseNetForward(`10.0.2.100:80=127.0.0.1:${port}`)]);
    const client = guest.connect('10.0.2.100', 80);
    expect(await runUntil(guest, () => client.reset)).toBe(true);
  });
});
