/**
 * The classroom relay with real WebSocket clients on loopback: fan-out to 200
 * viewers in order, late joiners' state, roles (only the secret's holder
 * drives, a viewer cannot send input or control), the keyboard hand-off, the
 * limits (size, shape, rate, rooms, idle expiry with an injected clock), and a
 * slow viewer that does not hold up the others.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_EXPIRED, CLOSE_REPLACED, type RelayLimits } from '../../src/classroom/relay';
import type { ClassroomServer } from '../../src/classroom/server';
import { b64, joinRoom, openRoom, startTestServer, TestClient, unb64 } from './relay-client';

const FAST: Partial<RelayLimits> = {
  teacherRate: { messagesPerSecond: 1e6, messageBurst: 1e6, bytesPerSecond: 1e9, byteBurst: 1e9 },
};

let server: ClassroomServer | null = null;
const clients: TestClient[] = [];

async function start(
  limits: Partial<RelayLimits> = FAST,
  clock?: () => number,
): Promise<ClassroomServer> {
  server = await startTestServer(limits, clock);
  return server;
}

function track<T extends TestClient>(client: T): T {
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = null;
});

describe('the classroom relay', () => {
  it('fans out every message, in order, to 200 viewers in one room', async () => {
    const s = await start();
    const { teacher, room } = await openRoom(s);
    track(teacher);
    const viewers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => joinRoom(s, room, `v${i}`).then(track)),
    );
    await teacher.until(
      (t) => (t.of('viewers').at(-1)?.list as unknown[] | undefined)?.length === 200,
      10_000,
      '200 viewers',
    );
    const COUNT = 300;
    for (let seq = 0; seq < COUNT; seq++)
      teacher.send({ type: 'output', seq, data: b64(`line ${seq}\r\n`) });
    await Promise.all(
      viewers.map((v) =>
        v.until((c) => c.of('output').length === COUNT, 20_000, `${COUNT} outputs`),
      ),
    );
    for (const viewer of viewers) {
      const outputs = viewer.of('output');
      expect(outputs.map((m) => m.seq)).toEqual(Array.from({ length: COUNT }, (_, i) => i));
      expect(unb64(outputs[7]!.data)).toBe('line 7\r\n');
    }
    expect(teacher.of('error')).toEqual([]);
  });

  it('gives a late joiner the keyframe, the stream after it, the screen and the replay state, in that order', async () => {
    const s = await start();
    const { teacher, room } = await openRoom(s);
    track(teacher);
    for (let seq = 0; seq < 10; seq++) teacher.send({ type: 'output', seq, data: b64(`${seq}`) });
    teacher.send({ type: 'keyframe', after: 5, cols: 80, rows: 24, state: 'STATE-0..5' });
    teacher.send({ type: 'resize', seq: 10, cols: 100, rows: 30 });
    teacher.send({ type: 'output', seq: 11, data: b64('11') });
    teacher.send({ type: 'screen', image: 'data:image/png;base64,AAAA' });
    teacher.send({
      type: 'play',
      src: '/recordings/boot-timer.nex',
      at: 3.5,
      playing: true,
      speed: 2,
    });
    teacher.send({ type: 'ping', t: 1 });
    await teacher.next('pong'); // the relay has handled everything before it
    const late = track(await joinRoom(s, room));
    await late.until((c) => c.of('play').length === 1);
    const kinds = late.messages.map((m) =>
      m.type === 'output' || m.type === 'resize' ? `${m.type}:${m.seq}` : m.type,
    );
    expect(kinds).toEqual([
      'joined',
      'keyframe',
      'output:6',
      'output:7',
      'output:8',
      'output:9',
      'resize:10',
      'output:11',
      'screen',
      'play',
    ]);
    expect(late.of('keyframe')[0]).toMatchObject({
      state: 'STATE-0..5',
      cols: 80,
      rows: 24,
      live: false,
    });
    expect(late.of('joined')[0]).toMatchObject({ role: 'viewer', teacher: true, holder: null });
  });

  it('applies a live keyframe at every viewer at once', async () => {
    const s = await start();
    const { teacher, room } = await openRoom(s);
    const viewer = track(await joinRoom(s, room));
    track(teacher).send({
      type: 'keyframe',
      after: -1,
      cols: 80,
      rows: 24,
      state: 'fresh',
      live: true,
    });
    expect(await viewer.next('keyframe')).toMatchObject({ state: 'fresh', live: true });
  });

  it('refuses input and control from a viewer, and tells it why', async () => {
    const s = await start();
    const { teacher, room } = await openRoom(s);
    track(teacher);
    const intruder = track(await joinRoom(s, room, 'intruder'));
    const bystander = track(await joinRoom(s, room, 'bystander'));
    const attempts = [
      { type: 'input', data: 'rm -rf /\r' },
      { type: 'output', seq: 0, data: b64('fake') },
      { type: 'keyframe', after: 0, cols: 80, rows: 24, state: 'x', live: true },
      { type: 'screen', image: 'data:image/png;base64,AAAA' },
      { type: 'play', src: '/x.nex', at: 0, playing: true, speed: 1 },
      { type: 'keyboard', to: 'c3' },
    ];
    for (const attempt of attempts) intruder.send(attempt);
    await intruder.until((c) => c.of('error').length === attempts.length);
    expect(intruder.of('error').map((e) => e.code)).toEqual(
      Array(attempts.length).fill('not-allowed'),
    );
    expect(intruder.of('error')[0]!.message).toMatch(/keyboard/);
    teacher.send({ type: 'ping', t: 2 });
    await teacher.next('pong');
    bystander.send({ type: 'ping', t: 3 });
    await bystander.next('pong');
    expect(teacher.of('input')).toEqual([]);
    expect(bystander.messages.map((m) => m.type)).toEqual(['joined', 'pong']);
  });

  it('lets only the holder of the secret drive; a new teacher page replaces the old one', async () => {
    const s = await start();
    const { teacher, room, secret } = await openRoom(s);
    track(teacher);
    const viewer = track(await joinRoom(s, room));
    const impostor = track(await TestClient.open(s));
    impostor.send({ type: 'join', room, secret: '0'.repeat(32) });
    expect((await impostor.next('error')).code).toBe('bad-secret');
    const second = track(await TestClient.open(s));
    second.send({ type: 'join', room, secret });
    expect(await second.next('joined')).toMatchObject({ role: 'teacher' });
    await teacher.until((c) => c.closeCode !== null);
    expect(teacher.closeCode).toBe(CLOSE_REPLACED);
    expect(viewer.of('teacher').map((m) => m.present)).toEqual([false, true]);
    second.send({ type: 'output', seq: 0, data: b64('from the new page') });
    expect(unb64((await viewer.next('output')).data)).toBe('from the new page');
  });

  it("hands the keyboard to one viewer: its keys reach the teacher, nobody else's do", async () => {
    const s = await start();
    const { teacher, room } = await openRoom(s);
    track(teacher);
    const alice = track(await joinRoom(s, room, 'alice'));
    const bob = track(await joinRoom(s, room, 'bob'));
    await teacher.until((c) => (c.of('viewers').at(-1)?.list as unknown[]).length === 2);
    const list = teacher.of('viewers').at(-1)!.list as { id: string; name: string }[];
    const aliceId = list.find((v) => v.name === 'alice')!.id;
    teacher.send({ type: 'keyboard', to: aliceId });
    expect((await alice.next('keyboard')).holder).toBe(aliceId);
    expect((await bob.next('keyboard')).holder).toBe(aliceId);
    alice.send({ type: 'input', data: 'ls\r' });
    bob.send({ type: 'input', data: 'halt\r' });
    expect(await teacher.next('input')).toMatchObject({ from: aliceId, data: 'ls\r' });
    expect((await bob.next('error')).code).toBe('not-allowed');
    teacher.send({ type: 'keyboard', to: 'c999' });
    expect((await teacher.next('error')).message).toMatch(/no viewer c999/);
    alice.close();
    expect((await bob.next('keyboard', 1)).holder).toBeNull();
    expect(teacher.of('input')).toHaveLength(1);
  });

  it('drops oversized, malformed and unknown messages and says why, keeping the connection', async () => {
    const s = await start({ ...FAST, maxMessageBytes: 1024, errorsPerSecond: 100 });
    const { teacher, room } = await openRoom(s);
    track(teacher);
    const viewer = track(await joinRoom(s, room));
    const bad: [unknown, string][] = [
      [{ type: 'output', seq: 0, data: b64('x'.repeat(2000)) }, 'too-large'],
      ['not json', 'malformed'],
      [[1, 2], 'malformed'],
      [{ kind: 'output' }, 'malformed'],
      [{ type: 'teleport' }, 'unknown-type'],
      [{ type: 'output', seq: -1, data: 'AA==' }, 'malformed'],
      [{ type: 'output', seq: 1, data: 'not base64!' }, 'malformed'],
      [
        { type: 'play', src: 'https://elsewhere.example/x.nex', at: 0, playing: true, speed: 1 },
        'malformed',
      ],
      [{ type: 'play', src: '/x.nex', at: 0, playing: true, speed: 100 }, 'malformed'],
      [{ type: 'screen', image: 'javascript:alert(1)' }, 'malformed'],
    ];
    for (const [message] of bad) teacher.send(message);
    teacher.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await teacher.until((c) => c.of('error').length === bad.length + 1, 5000, 'the error replies');
    expect(teacher.of('error').map((e) => e.code)).toEqual([
      ...bad.map(([, code]) => code),
      'malformed',
    ]);
    expect(teacher.of('error')[0]!.message).toMatch(/at most 1024 bytes/);
    teacher.send({ type: 'output', seq: 5, data: b64('still here') });
    expect(unb64((await viewer.next('output')).data)).toBe('still here');
    expect(viewer.of('output')).toHaveLength(1);
    expect(teacher.closeCode).toBeNull();
  });

  it("limits each client's message rate with a token bucket", async () => {
    let now = 1_000_000;
    const s = await start(
      {
        viewerRate: {
          messagesPerSecond: 10,
          messageBurst: 20,
          bytesPerSecond: 1e6,
          byteBurst: 1e6,
        },
      },
      () => now,
    );
    const client = track(await TestClient.open(s));
    for (let i = 0; i < 50; i++) client.send({ type: 'ping', t: i });
    await client.until((c) => c.of('pong').length === 20, 5000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the relay has read the whole flood by now
    now += 1000; // one second: 10 more tokens
    for (let i = 0; i < 10; i++) client.send({ type: 'ping', t: 100 + i });
    await client.until((c) => c.of('pong').length === 30, 5000, '30 pongs');
    expect(client.of('pong').map((m) => m.t)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => i),
      ...Array.from({ length: 10 }, (_, i) => 100 + i),
    ]);
    expect(client.of('error').every((e) => e.code === 'rate-limited')).toBe(true);
    // The error replies themselves are limited (5 per second, burst 10), so a flood is not answered message by message.
    expect(client.of('error').length).toBeLessThanOrEqual(10);
  });

  it('limits the number of rooms', async () => {
    const s = await start({ ...FAST, maxRooms: 2 });
    track((await openRoom(s)).teacher);
    track((await openRoom(s)).teacher);
    const third = track(await TestClient.open(s));
    third.send({ type: 'create' });
    expect(await third.next('error')).toMatchObject({ code: 'room-limit' });
    const joinMissing = track(await TestClient.open(s));
    joinMissing.send({ type: 'join', room: 'abcdefgh' });
    expect(await joinMissing.next('error')).toMatchObject({ code: 'no-room' });
  });

  it('expires a room whose teacher has been silent for the idle time, and frees its place', async () => {
    let now = 5_000_000;
    const idleMs = 60_000;
    const s = await start({ ...FAST, maxRooms: 1, idleMs }, () => now);
    const { teacher, room } = await openRoom(s);
    track(teacher);
    const viewer = track(await joinRoom(s, room));
    now += idleMs - 1000;
    teacher.send({ type: 'ping', t: 0 }); // a ping is activity: teacher pages ping while sharing
    await teacher.next('pong');
    now += idleMs - 1000;
    s.relay.sweep();
    expect(s.relay.stats().rooms).toBe(1);
    now += 2000;
    s.relay.sweep();
    await viewer.until((c) => c.closeCode !== null);
    expect(viewer.of('expired')).toHaveLength(1);
    expect(viewer.closeCode).toBe(CLOSE_EXPIRED);
    expect(s.relay.stats().rooms).toBe(0);
    track((await openRoom(s)).teacher); // the room's place is free again
  });

  it('does not let a slow viewer hold up the others; it is resynced from the keyframe once it reads again', async () => {
    const s = await start({
      ...FAST,
      maxBufferedBytes: 1024 * 1024,
      resumeBufferedBytes: 64 * 1024,
      maxBacklogBytes: 64 * 1024 * 1024,
      maxLagMs: 600_000,
    });
    const { teacher, room } = await openRoom(s);
    track(teacher);
    const fast = await Promise.all(Array.from({ length: 5 }, () => joinRoom(s, room).then(track)));
    const slow = track(await joinRoom(s, room, 'slow'));
    slow.ws.pause(); // stops reading: its socket fills up
    const COUNT = 2000;
    const chunk = 'x'.repeat(6000);
    const started = Date.now();
    // The teacher sends at the pace the room reads (a burst of 100, then wait for the fast viewers):
    // fast viewers never fall behind, the slow one's socket fills up until the relay skips it.
    for (let seq = 0; seq < COUNT; seq++) {
      teacher.send({ type: 'output', seq, data: b64(`${seq}:${chunk}`) });
      if (seq % 100 === 99)
        await Promise.all(fast.map((v) => v.until((c) => c.of('output').length > seq, 30_000)));
    }
    await Promise.all(
      fast.map((v) =>
        v.until((c) => c.of('output').length === COUNT, 30_000, 'every output at a fast viewer'),
      ),
    );
    const fastMs = Date.now() - started;
    expect(s.relay.stats().lagging).toBe(1);
    for (const viewer of fast)
      expect(viewer.of('output').map((m) => m.seq)).toEqual(
        Array.from({ length: COUNT }, (_, i) => i),
      );

    teacher.send({
      type: 'keyframe',
      after: COUNT - 1,
      cols: 80,
      rows: 24,
      state: 'everything so far',
    });
    teacher.send({ type: 'output', seq: COUNT, data: b64('after the keyframe') });
    teacher.send({ type: 'ping', t: 0 });
    await teacher.next('pong');
    slow.ws.resume();
    // The relay resyncs it at the next sweep or message once its socket has drained.
    await slow.until(
      (c) => {
        s.relay.sweep();
        return c.of('keyframe').length === 1 && c.of('output').at(-1)?.seq === COUNT;
      },
      30_000,
      'the slow viewer to be resynced',
    );
    const outputs = slow.of('output').map((m) => m.seq as number);
    expect(outputs.length).toBeLessThan(COUNT); // it skipped what it could not take
    const keyframeAt = slow.messages.findIndex((m) => m.type === 'keyframe');
    expect(slow.messages.slice(keyframeAt).map((m) => m.type)).toEqual(['keyframe', 'output']);
    expect(s.relay.stats().lagging).toBe(0);
    console.log(
      `slow viewer: the 5 others took ${fastMs} ms for ${COUNT} messages of 8 KB; it received ${outputs.length} before it was skipped`,
    );
  }, 90_000);
});
