/**
 * The relay's hardening: rooms per client address, rooms that expire a few
 * minutes after their teacher left (and survive a reloaded teacher page that
 * rejoins with the secret), the documented error for an oversized message,
 * and a server that listens on localhost unless told to serve the LAN.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../src/classroom/protocol';
import { CLOSE_EXPIRED, Relay, type Peer, type RelayLimits } from '../../src/classroom/relay';
import {
  type ClassroomServer,
  lanUrls,
  normalizeBase,
  startClassroom,
} from '../../src/classroom/server';
import { fakeDist, startTestServer, TestClient } from './relay-client';

/** A relay connection without a socket: it keeps what the relay sends it. */
class FakePeer implements Peer {
  readonly received: (ServerMessage & Record<string, unknown>)[] = [];
  closeCode: number | null = null;
  bufferedAmount = 0;
  send(text: string): void {
    this.received.push(JSON.parse(text));
  }
  close(code: number): void {
    this.closeCode = code;
  }
  last(type: string): (ServerMessage & Record<string, unknown>) | undefined {
    return this.received.filter((m) => m.type === type).at(-1);
  }
}

function relayAt(limits: Partial<RelayLimits>) {
  const clock = { now: 1_000_000 };
  const relay = new Relay(limits, () => clock.now);
  const connect = (address: string) => {
    const peer = new FakePeer();
    const connection = relay.connect(peer, address);
    const send = (message: unknown): void => {
      const text = JSON.stringify(message);
      connection.receive(text, Buffer.byteLength(text));
    };
    return { peer, connection, send };
  };
  return { relay, clock, connect };
}

let server: ClassroomServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('rooms per client address', () => {
  it('refuses a create beyond the per-address limit, while another address still gets a room', () => {
    const { relay, connect } = relayAt({ maxRoomsPerAddress: 2, maxRooms: 50 });
    for (let i = 0; i < 2; i++) {
      const teacher = connect('192.0.2.7');
      teacher.send({ type: 'create' });
      expect(teacher.peer.last('created')).toBeDefined();
    }
    const greedy = connect('192.0.2.7');
    greedy.send({ type: 'create' });
    expect(greedy.peer.last('error')).toMatchObject({ code: 'room-limit', about: 'create' });
    expect(greedy.peer.last('error')!.message).toMatch(/this computer already has 2 rooms/);
    const other = connect('192.0.2.8');
    other.send({ type: 'create' });
    expect(other.peer.last('created')).toBeDefined();
    expect(relay.stats().rooms).toBe(3);
  });

  it('counts the address the socket came from', async () => {
    server = await startTestServer({ maxRoomsPerAddress: 1 });
    const first = await TestClient.open(server);
    first.send({ type: 'create' });
    await first.next('created');
    const second = await TestClient.open(server);
    second.send({ type: 'create' });
    expect(await second.next('error')).toMatchObject({ code: 'room-limit' });
    first.close();
    second.close();
  });
});

describe('a room whose teacher left', () => {
  it('expires teacherGoneMs after its teacher disconnected, telling the viewers', () => {
    const { relay, clock, connect } = relayAt({ teacherGoneMs: 120_000 });
    const teacher = connect('a');
    teacher.send({ type: 'create' });
    const room = teacher.peer.last('created')!.room;
    const viewer = connect('b');
    viewer.send({ type: 'join', room });
    teacher.connection.closed();
    expect(viewer.peer.last('teacher')).toMatchObject({ present: false });
    viewer.send({ type: 'ping', t: 1 }); // a viewer's activity does not keep an abandoned room
    clock.now += 119_000;
    relay.sweep();
    expect(relay.stats().rooms).toBe(1);
    clock.now += 2000;
    relay.sweep();
    expect(relay.stats().rooms).toBe(0);
    expect(viewer.peer.last('expired')).toBeDefined();
    expect(viewer.peer.closeCode).toBe(CLOSE_EXPIRED);
  });

  it('is kept for a teacher page that rejoins with the secret in time (a reload), and for its viewers', () => {
    const { relay, clock, connect } = relayAt({ teacherGoneMs: 120_000 });
    const teacher = connect('a');
    teacher.send({ type: 'create' });
    const { room, secret } = teacher.peer.last('created')!;
    const viewer = connect('b');
    viewer.send({ type: 'join', room });
    teacher.connection.closed();
    clock.now += 100_000;
    const reloaded = connect('a');
    reloaded.send({ type: 'join', room, secret });
    expect(reloaded.peer.last('joined')).toMatchObject({ role: 'teacher', room });
    expect(viewer.peer.last('teacher')).toMatchObject({ present: true });
    clock.now += 100_000;
    relay.sweep();
    expect(relay.stats().rooms).toBe(1);
    expect(viewer.peer.closeCode).toBeNull();
  });

  it("forgets the previous page's stream when the teacher rejoins, so a late joiner waits for the new keyframe", () => {
    const { connect } = relayAt({});
    const teacher = connect('a');
    teacher.send({ type: 'create' });
    const { room, secret } = teacher.peer.last('created')!;
    teacher.send({ type: 'keyframe', after: 4, cols: 80, rows: 24, state: 'OLD', live: true });
    teacher.send({ type: 'output', seq: 5, data: 'T0xE' });
    teacher.connection.closed();
    const reloaded = connect('a');
    reloaded.send({ type: 'join', room, secret });
    const early = connect('b');
    early.send({ type: 'join', room });
    expect(early.peer.received.filter((m) => m.type === 'keyframe' || m.type === 'output')).toEqual(
      [],
    );
    reloaded.send({ type: 'keyframe', after: -1, cols: 80, rows: 24, state: 'NEW', live: true });
    reloaded.send({ type: 'output', seq: 0, data: 'TkVX' });
    const late = connect('c');
    late.send({ type: 'join', room });
    const stream = late.peer.received.filter((m) => m.type === 'keyframe' || m.type === 'output');
    expect(stream.map((m) => m.state ?? m.data)).toEqual(['NEW', 'TkVX']);
    expect(early.peer.last('keyframe')).toMatchObject({ state: 'NEW' });
  });

  it('counts toward its creator address until it expires', () => {
    const { relay, clock, connect } = relayAt({ maxRoomsPerAddress: 1, teacherGoneMs: 60_000 });
    const teacher = connect('a');
    teacher.send({ type: 'create' });
    teacher.connection.closed();
    const again = connect('a');
    again.send({ type: 'create' });
    expect(again.peer.last('error')).toMatchObject({ code: 'room-limit' });
    clock.now += 61_000;
    relay.sweep();
    again.send({ type: 'create' });
    expect(again.peer.last('created')).toBeDefined();
  });
});

describe('an oversized message', () => {
  it('gets too-large, not rate-limited, from a viewer at the default limits', async () => {
    server = await startTestServer();
    const client = await TestClient.open(server);
    client.send({ type: 'ping', t: 0, pad: 'x'.repeat(600 * 1024) });
    const error = await client.next('error');
    expect(error).toMatchObject({ code: 'too-large' });
    expect(error.message).toMatch(/at most 524288 bytes/);
    client.send({ type: 'ping', t: 1 }); // the byte bucket was not spent on it
    expect(await client.next('pong')).toMatchObject({ t: 1 });
    client.close();
  });
});

describe('where the server listens', () => {
  it('binds to localhost by default, with no LAN addresses', async () => {
    server = await startClassroom({ dist: fakeDist(), port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.lanUrls).toEqual([]);
    const info = await (await fetch(`${server.url}/classroom/info`)).json();
    expect(info.lanUrls).toEqual([]);
  });

  it('serves the LAN when asked (0.0.0.0), listing its addresses', async () => {
    server = await startClassroom({ dist: fakeDist(), port: 0, host: '0.0.0.0' });
    const port = Number(new URL(server.url).port);
    expect(server.lanUrls).toEqual(lanUrls(port));
  });

  it('cotton classroom --host 127.0.0.1 prints no address for phones', async () => {
    const text = await runClassroomUntilListening(['--host', '127.0.0.1']);
    expect(text).toMatch(/open http:\/\/127\.0\.0\.1:\d+\/ \(this machine\)/);
    expect(text).not.toMatch(/phones/);
  });

  it('cotton classroom --base serves and prints the book under its base path', async () => {
    const text = await runClassroomUntilListening(['--base', 'book']);
    expect(text).toMatch(/open http:\/\/127\.0\.0\.1:\d+\/book\/ \(this machine\)/);
  });

  it('normalizes a base path to one leading and one trailing slash', () => {
    expect(['', '/', 'book', '/book', 'book/', '//a/b//'].map(normalizeBase)).toEqual([
      '/',
      '/',
      '/book/',
      '/book/',
      '/book/',
      '/a/b/',
    ]);
  });

  it('cotton classroom without --lan says how to serve the LAN', async () => {
    const text = await runClassroomUntilListening([]);
    expect(text).toMatch(/add --lan/);
  });
});

/** Start `cotton classroom --port 0` on a throwaway dist/, read what it prints, and stop it. */
function runClassroomUntilListening(args: string[]): Promise<string> {
  const cotton = join(import.meta.dirname, '..', '..', 'bin', 'cotton.mjs');
  const child = spawn(
    process.execPath,
    [cotton, 'classroom', '--port', '0', '--dist', fakeDist(), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`no banner in time: ${text}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('Ctrl-C stops the server')) {
        clearTimeout(timer);
        child.kill('SIGTERM');
        child.once('exit', () => resolve(text));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
  });
}
