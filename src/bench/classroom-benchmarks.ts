/**
 * Speed of the classroom relay: one teacher and 200 viewers, real WebSocket
 * clients (`ws`) on loopback, against the real server (src/classroom/server.ts
 * on a throwaway dist/). Clients and server share this one Node process, so
 * the figures include the viewers' own work: a room of separate browsers
 * would leave the relay more of the CPU.
 *
 * relay.fanout_msgs_s: the teacher sends 2000 terminal-output messages (about
 *   100 bytes of text each) as fast as it can; deliveries (messages × viewers)
 *   per second until the last viewer has the last one. The teacher's rate
 *   limit is lifted for this (it is 200 messages/s in the default limits).
 * relay.p99_ms: the teacher sends at a steady 100 messages/s (twice the page's
 *   output batching rate) for 2 s; the 99th percentile of send-to-receive time
 *   over every delivery.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { RELAY_PATH } from '../classroom/protocol';
import { startClassroom, type ClassroomServer } from '../classroom/server';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const VIEWERS = 200;

function open(
  server: ClassroomServer,
  onMessage: (message: Record<string, unknown>) => void,
): Promise<WebSocket> {
  const ws = new WebSocket(server.url.replace('http', 'ws') + RELAY_PATH);
  ws.on('message', (data) => onMessage(JSON.parse(data.toString()) as Record<string, unknown>));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

interface Room {
  readonly teacher: WebSocket;
  /** Called with (viewer index, seq) at each output a viewer receives. */
  onOutput: (viewer: number, seq: number) => void;
}

async function openRoom(server: ClassroomServer): Promise<Room> {
  let created: (room: string) => void;
  const roomId = new Promise<string>((resolve) => (created = resolve));
  const teacher = await open(server, (m) => m.type === 'created' && created(m.room as string));
  teacher.send(JSON.stringify({ type: 'create' }));
  const id = await roomId;
  const room: Room = { teacher, onOutput: () => {} };
  let joined = 0;
  let allJoined: () => void;
  const everyone = new Promise<void>((resolve) => (allJoined = resolve));
  await Promise.all(
    Array.from({ length: VIEWERS }, async (_, viewer) => {
      const ws = await open(server, (m) => {
        if (m.type === 'output') room.onOutput(viewer, m.seq as number);
        else if (m.type === 'joined' && ++joined === VIEWERS) allJoined();
      });
      ws.send(JSON.stringify({ type: 'join', room: id }));
    }),
  );
  await everyone;
  return room;
}

const line = (seq: number): string => Buffer.from(`${seq} `.padEnd(100, 'x')).toString('base64');

async function fanout(room: Room, count: number): Promise<number> {
  let received = 0;
  const done = new Promise<void>((resolve) => {
    room.onOutput = () => {
      if (++received === count * VIEWERS) resolve();
    };
  });
  const start = performance.now();
  for (let seq = 0; seq < count; seq++)
    room.teacher.send(JSON.stringify({ type: 'output', seq, data: line(seq) }));
  await done;
  return (count * VIEWERS) / ((performance.now() - start) / 1000);
}

async function latencies(
  room: Room,
  count: number,
  perSecond: number,
  firstSeq: number,
): Promise<number[]> {
  const sentAt = new Map<number, number>();
  const times: number[] = [];
  const done = new Promise<void>((resolve) => {
    room.onOutput = (_viewer, seq) => {
      times.push(performance.now() - sentAt.get(seq)!);
      if (times.length === count * VIEWERS) resolve();
    };
  });
  for (let i = 0; i < count; i++) {
    const seq = firstSeq + i;
    sentAt.set(seq, performance.now());
    room.teacher.send(JSON.stringify({ type: 'output', seq, data: line(seq) }));
    await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
  }
  await done;
  return times.sort((a, b) => a - b);
}

export async function classroomBenchmarks(): Promise<Result[]> {
  const dist = mkdtempSync(join(tmpdir(), 'classroom-bench-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>bench</title>');
  const unlimited = {
    messagesPerSecond: 1e9,
    messageBurst: 1e9,
    bytesPerSecond: 1e12,
    byteBurst: 1e12,
  };
  const server = await startClassroom({
    dist,
    port: 0,
    host: '127.0.0.1',
    limits: { teacherRate: unlimited, maxBacklogBytes: 64 * 1024 * 1024 },
  });
  try {
    const room = await openRoom(server);
    await fanout(room, 200); // warm-up
    const rate = await fanout(room, 2000);
    const times = await latencies(room, 200, 100, 10_000);
    const p99 = times[Math.floor(times.length * 0.99)]!;
    return [
      { name: 'relay.fanout_msgs_s', value: Math.round(rate), unit: 'msgs/s' },
      { name: 'relay.p99_ms', value: Math.round(p99 * 100) / 100, unit: 'ms' },
    ];
  } finally {
    await server.close();
    rmSync(dist, { recursive: true, force: true });
  }
}
