/**
 * A page's connection to the classroom relay (src/classroom/relay.ts): finds
 * out whether the book is served by the classroom server, opens the
 * WebSocket on the same origin, and turns frames into typed messages.
 *
 * The relay is found by asking the page's own server for /classroom/info: the
 * static book (any plain host, `npm run dev`, `astro preview`) answers 404 and
 * Share says how to start the server instead. Used by the teacher's panel
 * (classroom-share.ts) and the room page (classroom-viewer.ts).
 */
import {
  INFO_PATH,
  parseServerMessage,
  RELAY_PATH,
  ROOM_PAGE,
  type ClassroomInfo,
  type ClientMessage,
  type ServerMessage,
} from '../../classroom/protocol';
import { bookUrl } from './book-url';

export const NO_SERVER_MESSAGE =
  'Sharing needs the classroom server, which serves this book and relays the machine to the room. ' +
  'Build the book (npm run build), start the server (npm run classroom, or npx cotton classroom --port 8080) and open this chapter from the address it prints.';

/** The server's info if this page came from the classroom server, otherwise null. */
export async function findClassroom(): Promise<ClassroomInfo | null> {
  try {
    const response = await fetch(INFO_PATH, { cache: 'no-store' });
    if (!response.ok) return null;
    const info = (await response.json()) as ClassroomInfo;
    return info.classroom === 1 ? info : null;
  } catch {
    return null;
  }
}

export interface RelayEvents {
  message(message: ServerMessage): void;
  closed(code: number, reason: string): void;
}

export class RelayConnection {
  private constructor(private readonly socket: WebSocket) {}

  static open(events: RelayEvents): Promise<RelayConnection> {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${RELAY_PATH}`;
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(new RelayConnection(socket)), { once: true });
      socket.addEventListener(
        'error',
        () => reject(new Error('could not reach the classroom relay')),
        { once: true },
      );
      socket.addEventListener('message', (event) => {
        const message = typeof event.data === 'string' ? parseServerMessage(event.data) : null;
        if (message) events.message(message);
      });
      socket.addEventListener('close', (event) => events.closed(event.code, event.reason));
    });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Unsent bytes: the teacher's page skips optional frames (screen images) while this is high. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  send(message: ClientMessage): void {
    if (this.open) this.socket.send(JSON.stringify(message));
  }

  close(): void {
    this.socket.close(1000, 'left');
  }
}

/** The room link students open: on the server's LAN address when the teacher browses from localhost, so phones can reach it. */
export function roomLink(room: string, info: ClassroomInfo): string {
  const loopback = /^(localhost|127\.|\[::1\])/.test(location.hostname);
  const origin = loopback && info.lanUrls.length > 0 ? info.lanUrls[0]! : location.origin;
  return `${origin}${bookUrl(ROOM_PAGE)}?id=${room}`;
}
