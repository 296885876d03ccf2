/**
 * The classroom relay: rooms where one teacher's machine is watched live by
 * many students, the way the original NEX tool's `serve` shares a terminal
 * and `catch` follows it — here between browsers, through this relay.
 *
 * A room has an id (in the room link), a secret (only the teacher's page has
 * it; whoever presents it drives the room), one teacher connection at most,
 * and viewers. What the teacher sends is checked (protocol.ts) and fanned out
 * to every viewer, in the order sent. For late joiners the relay keeps the
 * room's state: the teacher's last terminal keyframe and the stream messages
 * after it (the backlog), the last screen image, and the replay state; a new
 * viewer gets those first, so it sees the current screen at once.
 *
 * Only the teacher may send stream or control messages. The teacher may hand
 * the keyboard to one viewer: that viewer's `input` goes to the teacher's page,
 * which types it into the machine; anybody else's input is refused.
 *
 * Limits (RelayLimits, defaults in DEFAULT_LIMITS): message size, a message and
 * a byte token bucket per client (the teacher's larger), rooms per relay and
 * per client address (so one machine cannot take every room), viewers per
 * room, idle expiry (no message from the teacher for `idleMs`; teacher pages
 * ping), expiry `teacherGoneMs` after the teacher's connection closed (a
 * reloaded teacher page rejoins with the secret within that time and keeps
 * its room), and a cap on each viewer's unsent data: a viewer whose
 * socket holds more than `maxBufferedBytes` is skipped (nothing is queued for
 * it, so it never holds the others up) and, once its socket drains, resynced
 * from the keyframe like a late joiner; if it stays behind for `maxLagMs` it
 * is disconnected. A refused message is dropped and its sender told why.
 *
 * Transport-free: a connection is a Peer (send, bufferedAmount, close), so
 * server.ts plugs in `ws` sockets, and the clock is injected, so tests expire
 * rooms without waiting.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  parseClientMessage,
  ROOM_ID_ALPHABET,
  ROOM_ID_LENGTH,
  TEACHER_TYPES,
  type ClientMessage,
  type ErrorCode,
  type Role,
  type ServerMessage,
} from './protocol';
import { TokenBucket } from './token-bucket';

export interface Peer {
  send(text: string): void;
  /** Bytes accepted by send() but not yet written to the network. */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

export interface Rate {
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  readonly bytesPerSecond: number;
  readonly byteBurst: number;
}

export interface RelayLimits {
  readonly maxMessageBytes: number;
  readonly maxRooms: number;
  /** Rooms whose creator connected from one address (an IP address; '' when unknown counts as one). */
  readonly maxRoomsPerAddress: number;
  readonly maxViewersPerRoom: number;
  /** A room expires after this long without a message from its teacher. */
  readonly idleMs: number;
  /** A room whose teacher's connection closed expires this long after, unless the secret rejoins. */
  readonly teacherGoneMs: number;
  readonly teacherRate: Rate;
  /** Viewers, and connections not yet in a room. */
  readonly viewerRate: Rate;
  /** A viewer with more unsent bytes than this is skipped... */
  readonly maxBufferedBytes: number;
  /** ...until it has fewer than this, when it is resynced from the keyframe. */
  readonly resumeBufferedBytes: number;
  /** A viewer skipped for this long is disconnected. */
  readonly maxLagMs: number;
  /** Stream messages kept after the keyframe; beyond this the teacher is asked for a new keyframe. */
  readonly maxBacklogBytes: number;
  /** Error replies per second per client (a flood of bad messages is not answered message by message). */
  readonly errorsPerSecond: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const DEFAULT_LIMITS: RelayLimits = {
  maxMessageBytes: 512 * KiB,
  maxRooms: 50,
  maxRoomsPerAddress: 3,
  maxViewersPerRoom: 500,
  idleMs: 30 * 60_000,
  teacherGoneMs: 5 * 60_000,
  teacherRate: {
    messagesPerSecond: 200,
    messageBurst: 400,
    bytesPerSecond: 2 * MiB,
    byteBurst: 4 * MiB,
  },
  viewerRate: {
    messagesPerSecond: 30,
    messageBurst: 60,
    bytesPerSecond: 64 * KiB,
    byteBurst: 128 * KiB,
  },
  maxBufferedBytes: 4 * MiB,
  resumeBufferedBytes: 256 * KiB,
  maxLagMs: 30_000,
  maxBacklogBytes: 4 * MiB,
  errorsPerSecond: 5,
};

/** WebSocket close codes the relay uses (4000–4999 are for applications). */
export const CLOSE_EXPIRED = 4000;
export const CLOSE_REPLACED = 4001;
export const CLOSE_TOO_SLOW = 4002;

class Client {
  room: Room | null = null;
  role: Role | null = null;
  name = '';
  /** Skipped by fan-out until resynced (its socket is full, or the room had no consistent state for it). */
  lagging = false;
  laggingSince = 0;
  messages: TokenBucket;
  bytes: TokenBucket;
  readonly errors: TokenBucket;

  constructor(
    readonly id: string,
    readonly peer: Peer,
    readonly address: string,
    rate: Rate,
    errorsPerSecond: number,
    now: number,
  ) {
    this.messages = new TokenBucket(rate.messagesPerSecond, rate.messageBurst, now);
    this.bytes = new TokenBucket(rate.bytesPerSecond, rate.byteBurst, now);
    this.errors = new TokenBucket(errorsPerSecond, errorsPerSecond * 2, now);
  }
}

interface BacklogEntry {
  readonly seq: number;
  readonly text: string;
}

class Room {
  teacher: Client | null = null;
  readonly viewers = new Map<string, Client>();
  holder: string | null = null;
  /** The last keyframe, serialized as sent to viewers (live: false), and the last seq it contains. */
  keyframe: string | null = null;
  /** Stream messages (output, resize) after the keyframe, in order. */
  backlog: BacklogEntry[] = [];
  backlogBytes = 0;
  /** The backlog overflowed: late joiners wait for a keyframe newer than `brokenAt`. */
  brokenAt: number | null = null;
  lastSeq = -1;
  screen: string | null = null;
  play: string | null = null;
  /** When the teacher's connection closed (null while a teacher is connected). */
  teacherLeftAt: number | null = null;

  constructor(
    readonly id: string,
    readonly secret: string,
    /** The address the room was created from, for the per-address room limit. */
    readonly creatorAddress: string,
    public lastActivity: number,
  ) {}
}

export interface Connection {
  /** One WebSocket message: its text (binary frames are passed as null) and its size in bytes. */
  receive(text: string | null, byteLength: number): void;
  /** The socket closed. */
  closed(): void;
  readonly id: string;
}

export interface RelayStats {
  readonly rooms: number;
  readonly clients: number;
  readonly lagging: number;
}

export class Relay {
  readonly limits: RelayLimits;
  private readonly rooms = new Map<string, Room>();
  private readonly clients = new Set<Client>();
  private nextClient = 1;

  constructor(
    limits: Partial<RelayLimits> = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** A new connection; `address` is where it comes from (the socket's remote IP address). */
  connect(peer: Peer, address = ''): Connection {
    const client = new Client(
      `c${this.nextClient++}`,
      peer,
      address,
      this.limits.viewerRate,
      this.limits.errorsPerSecond,
      this.clock(),
    );
    this.clients.add(client);
    return {
      id: client.id,
      receive: (text, byteLength) => this.receive(client, text, byteLength),
      closed: () => this.leave(client),
    };
  }

  stats(): RelayStats {
    let lagging = 0;
    for (const client of this.clients) if (client.lagging) lagging++;
    return { rooms: this.rooms.size, clients: this.clients.size, lagging };
  }

  /** Run periodically (server.ts: every second): expire idle or abandoned rooms, resync or drop viewers that fell behind. */
  sweep(): void {
    const now = this.clock();
    for (const room of [...this.rooms.values()]) {
      const abandoned =
        room.teacherLeftAt !== null && now - room.teacherLeftAt > this.limits.teacherGoneMs;
      if (abandoned || now - room.lastActivity > this.limits.idleMs) {
        this.expire(room);
        continue;
      }
      for (const viewer of room.viewers.values()) {
        if (!viewer.lagging) continue;
        if (room.brokenAt === null && now - viewer.laggingSince > this.limits.maxLagMs) {
          viewer.peer.close(
            CLOSE_TOO_SLOW,
            'too slow: the connection could not keep up with the room',
          );
          this.leave(viewer);
        } else this.tryResync(room, viewer);
      }
    }
  }

  private receive(client: Client, text: string | null, byteLength: number): void {
    const now = this.clock();
    if (byteLength > this.limits.maxMessageBytes) {
      // Refused before the byte bucket, which it would empty: the sender learns the real reason.
      if (!client.messages.take(now))
        return this.refuse(client, 'rate-limited', 'too many messages: this one was dropped');
      return this.refuse(
        client,
        'too-large',
        `a message may hold at most ${this.limits.maxMessageBytes} bytes, not ${byteLength}`,
      );
    }
    if (!client.messages.take(now) || !client.bytes.take(now, byteLength)) {
      return this.refuse(client, 'rate-limited', 'too many messages: this one was dropped');
    }
    if (text === null)
      return this.refuse(client, 'malformed', 'messages must be text frames (JSON)');
    const parsed = parseClientMessage(text, byteLength, this.limits.maxMessageBytes);
    if (!parsed.ok) return this.refuse(client, parsed.code, parsed.reason, parsed.about);
    const message = parsed.message;
    if (client.role === 'teacher' && client.room) client.room.lastActivity = now;
    if (message.type === 'ping') return this.send(client, { type: 'pong', t: message.t });
    if (message.type === 'create') return this.create(client, message.name ?? '');
    if (message.type === 'join')
      return this.join(client, message.room, message.secret, message.name ?? '');
    const room = client.room;
    if (!room)
      return this.refuse(client, 'not-joined', 'create or join a room first', message.type);
    if (TEACHER_TYPES.has(message.type)) {
      if (client.role !== 'teacher')
        return this.refuse(
          client,
          'not-allowed',
          `only the teacher may send ${message.type}`,
          message.type,
        );
      return this.fromTeacher(room, message);
    }
    if (message.type === 'input') return this.input(room, client, message.data);
  }

  private create(client: Client, name: string): void {
    if (client.room)
      return this.refuse(client, 'not-allowed', 'this connection is already in a room', 'create');
    if (this.rooms.size >= this.limits.maxRooms)
      return this.refuse(
        client,
        'room-limit',
        `the server has its maximum of ${this.limits.maxRooms} rooms; try again later`,
        'create',
      );
    if (this.roomsFrom(client.address) >= this.limits.maxRoomsPerAddress)
      return this.refuse(
        client,
        'room-limit',
        `this computer already has ${this.limits.maxRoomsPerAddress} rooms open; close one, or wait until it expires`,
        'create',
      );
    let id: string;
    do id = randomRoomId();
    while (this.rooms.has(id));
    const room = new Room(id, randomBytes(16).toString('hex'), client.address, this.clock());
    this.rooms.set(id, room);
    this.becomeTeacher(room, client, name);
    this.send(client, { type: 'created', room: id, secret: room.secret, you: client.id });
    this.send(client, { type: 'viewers', list: [] });
  }

  private join(client: Client, roomId: string, secret: string | undefined, name: string): void {
    if (client.room)
      return this.refuse(client, 'not-allowed', 'this connection is already in a room', 'join');
    const room = this.rooms.get(roomId);
    if (!room)
      return this.refuse(
        client,
        'no-room',
        `there is no room ${roomId} (it may have expired)`,
        'join',
      );
    if (secret !== undefined) {
      if (!timingSafeEqual(Buffer.from(secret), Buffer.from(room.secret)))
        return this.refuse(client, 'bad-secret', "that is not this room's secret", 'join');
      if (room.teacher) {
        room.teacher.peer.close(CLOSE_REPLACED, 'another page took over as the teacher');
        this.leave(room.teacher);
      }
      this.becomeTeacher(room, client, name);
      this.restartStream(room);
      room.lastActivity = this.clock();
      this.send(client, {
        type: 'joined',
        room: room.id,
        role: 'teacher',
        you: client.id,
        teacher: true,
        holder: room.holder,
      });
      this.send(client, { type: 'viewers', list: viewerList(room) });
      this.toViewers(room, { type: 'teacher', present: true });
      return;
    }
    if (room.viewers.size >= this.limits.maxViewersPerRoom)
      return this.refuse(
        client,
        'room-full',
        `the room has its maximum of ${this.limits.maxViewersPerRoom} viewers`,
        'join',
      );
    client.room = room;
    client.role = 'viewer';
    client.name = name;
    room.viewers.set(client.id, client);
    this.send(client, {
      type: 'joined',
      room: room.id,
      role: 'viewer',
      you: client.id,
      teacher: room.teacher !== null,
      holder: room.holder,
    });
    client.lagging = true; // a late joiner is resynced like a viewer that fell behind
    client.laggingSince = this.clock();
    this.tryResync(room, client);
    this.sendViewers(room);
  }

  private becomeTeacher(room: Room, client: Client, name: string): void {
    const now = this.clock();
    const rate = this.limits.teacherRate;
    client.room = room;
    client.role = 'teacher';
    client.name = name;
    client.messages = new TokenBucket(rate.messagesPerSecond, rate.messageBurst, now);
    client.bytes = new TokenBucket(rate.bytesPerSecond, rate.byteBurst, now);
    room.teacher = client;
    room.teacherLeftAt = null;
  }

  /**
   * A teacher page that joins with the secret (a reload, another tab) numbers its
   * stream from 0 again and opens with a live keyframe: what the relay kept from
   * the previous page would not fit with it, so late joiners wait for that keyframe.
   */
  private restartStream(room: Room): void {
    room.keyframe = null;
    room.backlog = [];
    room.backlogBytes = 0;
    room.brokenAt = null;
    room.lastSeq = -1;
  }

  private roomsFrom(address: string): number {
    let count = 0;
    for (const room of this.rooms.values()) if (room.creatorAddress === address) count++;
    return count;
  }

  private fromTeacher(room: Room, message: ClientMessage): void {
    switch (message.type) {
      case 'output':
      case 'resize': {
        const text = JSON.stringify(message);
        this.appendBacklog(room, message.seq, text);
        return this.fanOut(room, text);
      }
      case 'keyframe':
        return this.keyframe(room, message);
      case 'screen':
        room.screen = JSON.stringify(message);
        return this.fanOut(room, room.screen);
      case 'play':
        room.play = JSON.stringify(message);
        return this.fanOut(room, room.play);
      case 'keyboard': {
        if (message.to !== null && !room.viewers.has(message.to)) {
          return this.refuse(
            room.teacher!,
            'malformed',
            `there is no viewer ${message.to} in this room`,
            'keyboard',
          );
        }
        room.holder = message.to;
        this.send(room.teacher!, { type: 'keyboard', holder: room.holder });
        return this.toViewers(room, { type: 'keyboard', holder: room.holder });
      }
    }
  }

  private keyframe(room: Room, message: Extract<ClientMessage, { type: 'keyframe' }>): void {
    room.keyframe = JSON.stringify({ ...message, live: false });
    let drop = 0;
    while (drop < room.backlog.length && room.backlog[drop]!.seq <= message.after)
      room.backlogBytes -= room.backlog[drop++]!.text.length;
    room.backlog.splice(0, drop);
    if (room.brokenAt !== null && message.after >= room.brokenAt) room.brokenAt = null;
    if (message.live) {
      // Everyone in step applies it now; whoever was waiting is resynced below.
      const text = JSON.stringify(message);
      for (const viewer of room.viewers.values()) if (!viewer.lagging) this.deliver(viewer, text);
    }
    for (const viewer of room.viewers.values()) if (viewer.lagging) this.tryResync(room, viewer);
  }

  private appendBacklog(room: Room, seq: number, text: string): void {
    room.lastSeq = Math.max(room.lastSeq, seq);
    if (room.brokenAt !== null) return; // waiting for a keyframe: nothing before it could be replayed anyway
    room.backlog.push({ seq, text });
    room.backlogBytes += text.length;
    if (room.backlogBytes <= this.limits.maxBacklogBytes) return;
    room.backlog = [];
    room.backlogBytes = 0;
    room.brokenAt = seq;
    if (room.teacher) this.send(room.teacher, { type: 'need-keyframe' });
  }

  private input(room: Room, client: Client, data: string): void {
    if (client.role === 'teacher')
      return this.refuse(
        client,
        'not-allowed',
        'the teacher types into the machine directly',
        'input',
      );
    if (room.holder !== client.id)
      return this.refuse(client, 'not-allowed', 'you do not have the keyboard', 'input');
    if (!room.teacher)
      return this.refuse(client, 'not-allowed', 'the teacher is not connected', 'input');
    this.send(room.teacher, { type: 'input', from: client.id, data });
  }

  /** A stream message to every viewer that is in step; the others are resynced when their sockets drain. */
  private fanOut(room: Room, text: string): void {
    for (const viewer of room.viewers.values()) {
      if (viewer.lagging) this.tryResync(room, viewer);
      else this.deliver(viewer, text);
    }
  }

  private deliver(viewer: Client, text: string): void {
    if (viewer.peer.bufferedAmount > this.limits.maxBufferedBytes) {
      viewer.lagging = true;
      viewer.laggingSince = this.clock();
      return;
    }
    viewer.peer.send(text);
  }

  /** Bring a viewer that joined late or fell behind up to date: keyframe, backlog, screen, replay. */
  private tryResync(room: Room, viewer: Client): void {
    if (room.brokenAt !== null || viewer.peer.bufferedAmount > this.limits.resumeBufferedBytes)
      return;
    viewer.lagging = false;
    if (room.keyframe) viewer.peer.send(room.keyframe);
    for (const entry of room.backlog) viewer.peer.send(entry.text);
    if (room.screen) viewer.peer.send(room.screen);
    if (room.play) viewer.peer.send(room.play);
  }

  private leave(client: Client): void {
    if (!this.clients.delete(client)) return;
    const room = client.room;
    client.room = null;
    if (!room) return;
    if (room.teacher === client) {
      room.teacher = null;
      room.teacherLeftAt = this.clock();
      this.toViewers(room, { type: 'teacher', present: false });
      return;
    }
    room.viewers.delete(client.id);
    if (room.holder === client.id) {
      room.holder = null;
      if (room.teacher) this.send(room.teacher, { type: 'keyboard', holder: null });
      this.toViewers(room, { type: 'keyboard', holder: null });
    }
    this.sendViewers(room);
  }

  private expire(room: Room): void {
    this.rooms.delete(room.id);
    const everyone = [...room.viewers.values(), ...(room.teacher ? [room.teacher] : [])];
    for (const client of everyone) {
      this.send(client, { type: 'expired' });
      client.peer.close(CLOSE_EXPIRED, 'the room expired');
      this.clients.delete(client);
      client.room = null;
    }
  }

  private sendViewers(room: Room): void {
    if (room.teacher) this.send(room.teacher, { type: 'viewers', list: viewerList(room) });
  }

  /** A control message (small, never skipped) to every viewer. */
  private toViewers(room: Room, message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const viewer of room.viewers.values()) viewer.peer.send(text);
  }

  private send(client: Client, message: ServerMessage): void {
    client.peer.send(JSON.stringify(message));
  }

  private refuse(client: Client, code: ErrorCode, message: string, about?: string): void {
    if (!client.errors.take(this.clock())) return;
    this.send(client, { type: 'error', code, message, ...(about ? { about } : {}) });
  }
}

function viewerList(room: Room): { id: string; name: string }[] {
  return [...room.viewers.values()].map((viewer) => ({ id: viewer.id, name: viewer.name }));
}

function randomRoomId(): string {
  const bytes = randomBytes(ROOM_ID_LENGTH);
  let id = '';
  for (const byte of bytes) id += ROOM_ID_ALPHABET[byte % ROOM_ID_ALPHABET.length];
  return id;
}
