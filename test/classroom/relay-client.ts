/**
 * Test clients for the classroom relay: real `ws` WebSocket clients on
 * loopback that keep every message they receive, and a classroom server on
 * a throwaway dist/ (the relay tests need no built book).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../src/classroom/protocol';
import { RELAY_PATH } from '../../src/classroom/protocol';
import type { RelayLimits } from '../../src/classroom/relay';
import { startClassroom, type ClassroomServer } from '../../src/classroom/server';

export function fakeDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'classroom-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>book</title>');
  return dist;
}

export function startTestServer(
  limits: Partial<RelayLimits> = {},
  clock?: () => number,
): Promise<ClassroomServer> {
  return startClassroom({ dist: fakeDist(), port: 0, host: '127.0.0.1', limits, clock });
}

type Message = ServerMessage & Record<string, unknown>;

export class TestClient {
  readonly messages: Message[] = [];
  closeCode: number | null = null;
  closeReason = '';
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as Message);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      this.wake();
    });
  }

  static async open(server: ClassroomServer): Promise<TestClient> {
    const ws = new WebSocket(server.url.replace('http', 'ws') + RELAY_PATH);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new TestClient(ws);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Messages of one type, in arrival order. */
  of(type: string): Message[] {
    return this.messages.filter((m) => m.type === type);
  }

  /** Wait until `test` holds for this client (re-checked at each message), or fail after `timeoutMs`. */
  async until(
    test: (client: TestClient) => boolean,
    timeoutMs = 10_000,
    what = 'a condition',
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this)) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${what}; last messages: ${JSON.stringify(this.messages.slice(-3)).slice(0, 500)}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next message of `type` after the first `skip` of that type. */
  async next(type: string, skip = 0): Promise<Message> {
    await this.until((c) => c.of(type).length > skip, 10_000, `a "${type}" message`);
    return this.of(type)[skip]!;
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** A teacher with a new room, and its id and secret. */
export async function openRoom(
  server: ClassroomServer,
): Promise<{ teacher: TestClient; room: string; secret: string }> {
  const teacher = await TestClient.open(server);
  teacher.send({ type: 'create', name: 'teacher' });
  const created = await teacher.next('created');
  return { teacher, room: created.room as string, secret: created.secret as string };
}

export async function joinRoom(
  server: ClassroomServer,
  room: string,
  name = 'student',
): Promise<TestClient> {
  const viewer = await TestClient.open(server);
  viewer.send({ type: 'join', room, name });
  await viewer.next('joined');
  return viewer;
}

export const b64 = (text: string): string => Buffer.from(text).toString('base64');
export const unb64 = (data: unknown): string => Buffer.from(data as string, 'base64').toString();
