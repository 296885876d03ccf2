/**
 * The classroom's wire protocol: the messages a teacher's page, a student's
 * page and the relay exchange over one WebSocket each, and the check every
 * incoming message passes before the relay looks at it.
 *
 * Every message is one WebSocket text frame holding one JSON object with a
 * `type`. JSON rather than a binary layout because the messages are few and
 * small (terminal output is tens of bytes at a time), the browser's tools show
 * them as they are, and a phone parses JSON fastest of all. Terminal bytes
 * travel as base64 so that a viewer's recording keeps them exactly, split
 * UTF-8 characters and all.
 *
 * Validation is total: a message is accepted only if it is a text frame of at
 * most `maxBytes`, parses as JSON, is an object whose `type` is known and whose
 * fields have the right types and ranges. What is accepted is rebuilt from the
 * known fields only, so the relay never forwards anything it did not check.
 * A rejected message yields a code and a sentence, which the relay sends back
 * to the sender (`error`) before dropping the message.
 */

/** Room ids: short, unambiguous lowercase letters and digits (no 0/o, 1/l), easy to type from a projector. */
export const ROOM_ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
export const ROOM_ID_LENGTH = 8;
const ROOM_ID = /^[a-z2-9]{8}$/;
/** The room's secret: 128 random bits in hex; whoever holds it is the teacher. */
const SECRET = /^[0-9a-f]{32}$/;
const CLIENT_ID = /^c[0-9]{1,9}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const IMAGE_DATA_URL = /^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/]*={0,2}$/;
/** A recording the room plays: a path on the same server (never another site: every viewer fetches it). */
const SAME_ORIGIN_PATH = /^\/(?!\/)[^\s\\]{0,500}$/;

export const MAX_NAME_LENGTH = 40;
/** Keys typed by the keyboard holder in one message (a paste is cut into several). */
export const MAX_INPUT_LENGTH = 4096;
export const MAX_TERMINAL_SIZE = 1000;
export const MAX_SPEED = 16;

// ---- client → relay ----------------------------------------------------------

/** Open a new room; the sender becomes its teacher and gets the secret. */
export interface CreateMessage {
  readonly type: 'create';
  readonly name?: string;
}
/** Join a room: with the secret as its teacher (again), without it as a viewer. */
export interface JoinMessage {
  readonly type: 'join';
  readonly room: string;
  readonly secret?: string;
  readonly name?: string;
}
/** Teacher: terminal bytes (base64), numbered so keyframes can say what they contain. */
export interface OutputMessage {
  readonly type: 'output';
  readonly seq: number;
  readonly data: string;
}
/** Teacher: the terminal changed size. */
export interface ResizeMessage {
  readonly type: 'resize';
  readonly seq: number;
  readonly cols: number;
  readonly rows: number;
}
/**
 * Teacher: the whole terminal state (xterm's serialize addon), containing every
 * stream message up to `after`. Kept by the relay for late joiners; `live`
 * ones (a new share, a rebooted machine) are also applied by everyone now.
 */
export interface KeyframeMessage {
  readonly type: 'keyframe';
  readonly after: number;
  readonly cols: number;
  readonly rows: number;
  readonly state: string;
  readonly live: boolean;
}
/** Teacher: the machine's screen as an image (data: URL); the relay keeps the last one. */
export interface ScreenMessage {
  readonly type: 'screen';
  readonly image: string;
}
/**
 * Teacher: the room watches recording `src` (null: back to the live machine),
 * at position `at` seconds of the teacher's player, playing or paused, at `speed`.
 */
export interface PlayMessage {
  readonly type: 'play';
  readonly src: string | null;
  readonly at: number;
  readonly playing: boolean;
  readonly speed: number;
}
/** Teacher: hand the keyboard to viewer `to` (null: take it back). */
export interface KeyboardMessage {
  readonly type: 'keyboard';
  readonly to: string | null;
}
/** Keyboard holder: keys for the teacher's machine. */
export interface InputMessage {
  readonly type: 'input';
  readonly data: string;
}
/** Anyone: a round trip (the relay answers `pong` with the same `t`). */
export interface PingMessage {
  readonly type: 'ping';
  readonly t: number;
}

export type ClientMessage =
  | CreateMessage
  | JoinMessage
  | OutputMessage
  | ResizeMessage
  | KeyframeMessage
  | ScreenMessage
  | PlayMessage
  | KeyboardMessage
  | InputMessage
  | PingMessage;

/** Messages only the teacher may send. */
export const TEACHER_TYPES: ReadonlySet<ClientMessage['type']> = new Set([
  'output',
  'resize',
  'keyframe',
  'screen',
  'play',
  'keyboard',
]);

// ---- relay → client ----------------------------------------------------------

export type Role = 'teacher' | 'viewer';

export interface ViewerInfo {
  readonly id: string;
  readonly name: string;
}

export type ServerMessage =
  | {
      readonly type: 'created';
      readonly room: string;
      readonly secret: string;
      readonly you: string;
    }
  | {
      readonly type: 'joined';
      readonly room: string;
      readonly role: Role;
      readonly you: string;
      readonly teacher: boolean;
      readonly holder: string | null;
    }
  | { readonly type: 'teacher'; readonly present: boolean }
  | { readonly type: 'viewers'; readonly list: readonly ViewerInfo[] }
  | { readonly type: 'keyboard'; readonly holder: string | null }
  | { readonly type: 'input'; readonly from: string; readonly data: string }
  | { readonly type: 'need-keyframe' }
  | { readonly type: 'expired' }
  | { readonly type: 'pong'; readonly t: number }
  | {
      readonly type: 'error';
      readonly code: ErrorCode;
      readonly message: string;
      readonly about?: string;
    }
  | OutputMessage
  | ResizeMessage
  | KeyframeMessage
  | ScreenMessage
  | PlayMessage;

export type ErrorCode =
  | 'too-large'
  | 'malformed'
  | 'unknown-type'
  | 'rate-limited'
  | 'not-joined'
  | 'not-allowed'
  | 'no-room'
  | 'room-limit'
  | 'room-full'
  | 'bad-secret';

export type Parsed =
  | { readonly ok: true; readonly message: ClientMessage }
  | {
      readonly ok: false;
      readonly code: ErrorCode;
      readonly reason: string;
      readonly about?: string;
    };

const fail = (code: ErrorCode, reason: string, about?: string): Parsed => ({
  ok: false,
  code,
  reason,
  ...(about ? { about } : {}),
});

type Fields = Record<string, unknown>;

const isInteger = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isNumber = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const isString = (v: unknown, pattern: RegExp): v is string =>
  typeof v === 'string' && pattern.test(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const optional = <T>(v: unknown, check: (v: unknown) => v is T): boolean =>
  v === undefined || check(v);
const nameOk = (v: unknown): v is string => isText(v, MAX_NAME_LENGTH);
const SEQ_MAX = Number.MAX_SAFE_INTEGER;

/** Check the fields of a message whose type is known; the clean message, or what is wrong. */
function shape(o: Fields): ClientMessage | string {
  switch (o.type) {
    case 'create':
      return optional(o.name, nameOk)
        ? { type: 'create', ...(o.name !== undefined ? { name: o.name as string } : {}) }
        : 'name must be a string of at most 40 characters';
    case 'join':
      if (!isString(o.room, ROOM_ID)) return 'room must be a room id (8 letters and digits)';
      if (!optional(o.secret, (v): v is string => isString(v, SECRET)))
        return 'secret must be 32 hex digits';
      if (!optional(o.name, nameOk)) return 'name must be a string of at most 40 characters';
      return {
        type: 'join',
        room: o.room,
        ...(o.secret !== undefined ? { secret: o.secret as string } : {}),
        ...(o.name !== undefined ? { name: o.name as string } : {}),
      };
    case 'output':
      if (!isInteger(o.seq, 0, SEQ_MAX)) return 'seq must be a non-negative integer';
      if (!isString(o.data, BASE64)) return 'data must be base64';
      return { type: 'output', seq: o.seq, data: o.data };
    case 'resize':
      if (!isInteger(o.seq, 0, SEQ_MAX)) return 'seq must be a non-negative integer';
      if (!isInteger(o.cols, 1, MAX_TERMINAL_SIZE) || !isInteger(o.rows, 1, MAX_TERMINAL_SIZE))
        return 'cols and rows must be integers from 1 to 1000';
      return { type: 'resize', seq: o.seq, cols: o.cols, rows: o.rows };
    case 'keyframe':
      if (!isInteger(o.after, -1, SEQ_MAX)) return 'after must be an integer ≥ -1';
      if (!isInteger(o.cols, 1, MAX_TERMINAL_SIZE) || !isInteger(o.rows, 1, MAX_TERMINAL_SIZE))
        return 'cols and rows must be integers from 1 to 1000';
      if (typeof o.state !== 'string') return 'state must be a string';
      if (!optional(o.live, (v): v is boolean => typeof v === 'boolean'))
        return 'live must be a boolean';
      return {
        type: 'keyframe',
        after: o.after,
        cols: o.cols,
        rows: o.rows,
        state: o.state,
        live: o.live === true,
      };
    case 'screen':
      return isString(o.image, IMAGE_DATA_URL)
        ? { type: 'screen', image: o.image }
        : 'image must be a data: URL of a JPEG, PNG or WebP image';
    case 'play':
      if (!(o.src === null || isString(o.src, SAME_ORIGIN_PATH)))
        return 'src must be a path on this server (starting with one /) or null';
      if (!isNumber(o.at, 0, 1e7)) return 'at must be a number of seconds';
      if (typeof o.playing !== 'boolean') return 'playing must be a boolean';
      if (!isNumber(o.speed, 1 / MAX_SPEED, MAX_SPEED))
        return `speed must be between 1/${MAX_SPEED} and ${MAX_SPEED}`;
      return {
        type: 'play',
        src: o.src as string | null,
        at: o.at,
        playing: o.playing,
        speed: o.speed,
      };
    case 'keyboard':
      return o.to === null || isString(o.to, CLIENT_ID)
        ? { type: 'keyboard', to: o.to as string | null }
        : 'to must be a viewer id or null';
    case 'input':
      return typeof o.data === 'string' && o.data.length > 0 && o.data.length <= MAX_INPUT_LENGTH
        ? { type: 'input', data: o.data }
        : 'data must be 1 to 4096 characters';
    case 'ping':
      return isNumber(o.t, -Number.MAX_VALUE, Number.MAX_VALUE)
        ? { type: 'ping', t: o.t }
        : 't must be a number';
    default:
      return '';
  }
}

/**
 * Check one incoming WebSocket frame. `byteLength` is the frame's size as it
 * arrived (the relay passes the raw payload's length, so a message of
 * multi-byte characters is measured in bytes).
 */
export function parseClientMessage(data: string, byteLength: number, maxBytes: number): Parsed {
  if (byteLength > maxBytes)
    return fail(
      'too-large',
      `a message may have at most ${maxBytes} bytes; this one had ${byteLength}`,
    );
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return fail('malformed', 'a message must be one JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('malformed', 'a message must be one JSON object');
  const o = value as Fields;
  if (typeof o.type !== 'string') return fail('malformed', 'a message needs a string "type"');
  const checked = shape(o);
  if (checked === '')
    return fail(
      'unknown-type',
      `unknown message type "${o.type.slice(0, 40)}"`,
      o.type.slice(0, 40),
    );
  if (typeof checked === 'string') return fail('malformed', `${o.type}: ${checked}`, o.type);
  return { ok: true, message: checked };
}

/** A server message parsed by a page: only its JSON shape is trusted to the relay. */
export function parseServerMessage(text: string): ServerMessage | null {
  try {
    const value = JSON.parse(text) as ServerMessage;
    return typeof value === 'object' && value !== null && typeof value.type === 'string'
      ? value
      : null;
  } catch {
    return null;
  }
}

/** The relay's WebSocket path, on the same host and port as the book. */
export const RELAY_PATH = '/classroom/ws';
/** GET answers {"classroom":1,...} when the book is served by the classroom server (the Share button's test). */
export const INFO_PATH = '/classroom/info';
/** The viewer page, under the book's base (`/room/`, `/book/room/`); the room id is in the query: room/?id=abcd2345. */
export const ROOM_PAGE = 'room/';

export interface ClassroomInfo {
  readonly classroom: 1;
  /** Addresses of this server on the local network, for room links that phones can open. */
  readonly lanUrls: readonly string[];
}
