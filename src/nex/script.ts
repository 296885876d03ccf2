/**
 * Recording scripts: what to type into the book's machine and when, as a
 * small line-based text format, so a recording is made (and remade after a
 * kernel change) by running its script, never by hand.
 *
 *   # a comment (also after a step, following " #")
 *   title   First commands            settings, anywhere in the script:
 *   chapter 02-shell                  recording title and book chapter,
 *   size    80x24                     terminal size,
 *   rtc     2026-01-01T09:00:00Z      the machine's clock at power-on (= created_at)
 *   disk    16M                       an ATA disk: a fresh CottonFS of that many MiB,
 *                                     with /home/reader (without it: no disk)
 *   disk    book                      a fresh copy of the book's own disk instead
 *
 *   prompt [TIMEOUT]                  run until the shell shows its next prompt
 *   typing 60ms                       delay between typed keys from now on (default 0)
 *   type TEXT                         type TEXT (escapes: \n \r \t \e \\ \xNN)
 *   run LINE [#...]                   type LINE and Enter, then wait for the prompt
 *   wait 1.5s                         let virtual time pass
 *   marker LABEL                      a named point in the recording
 *   resize 100x30                     the terminal changes size
 *   power-cut                         the power goes out now; the machine boots
 *                                     again on the same disk, as it was left
 *   power-cut after 40 writes         … once the disk has completed 40 more
 *                                     write commands (a cut inside a sync)
 *   key ctrl+s                        desktop input (PS/2): a key chord,
 *   keys Hello                        text typed on the keyboard,
 *   mouse move 100 200                a mouse move, `down left`, `up left`, `click X Y`
 *                                     (src/runtime/host/gui-input.ts)
 *   link loss=20% delay=30ms          the network cable from now on: loss, dup and
 *                                     reorder in %, delay in ms, bandwidth in kbps;
 *                                     what is not named stays as it is
 *                                     (src/emu/net/link-model.ts)
 *   link ideal                        a perfect cable again
 *
 * Durations are `250ms` or `1.5s`. The recording starts at power-on, so a
 * script usually begins with `prompt` (the boot log, up to the first prompt).
 */
import { unescapeTyped } from './escapes';
import { parseRfc3339 } from './instant';

export type ScriptStep =
  | { readonly kind: 'prompt'; readonly timeoutMs: number; readonly line: number }
  | { readonly kind: 'typing'; readonly delayMs: number; readonly line: number }
  | { readonly kind: 'type'; readonly text: string; readonly line: number }
  | {
      readonly kind: 'run';
      readonly text: string;
      readonly timeoutMs: number;
      readonly line: number;
    }
  | { readonly kind: 'wait'; readonly ms: number; readonly line: number }
  | { readonly kind: 'marker'; readonly label: string; readonly line: number }
  | { readonly kind: 'resize'; readonly cols: number; readonly rows: number; readonly line: number }
  /** `afterWrites`: cut once the disk has completed that many more write commands; 0 = now. */
  | { readonly kind: 'power-cut'; readonly afterWrites: number; readonly line: number }
  /** Keyboard and mouse input for the desktop, as `cotton boot --key/--keys/--mouse` takes it. */
  | { readonly kind: 'key' | 'keys' | 'mouse'; readonly spec: string; readonly line: number }
  /** The network link's conditions from now on (only the named ones change). */
  | { readonly kind: 'link'; readonly conditions: LinkSettings; readonly line: number };

/**
 * The link conditions a `link` step names: the fields of the emulator's
 * LinkConditions (src/emu/net/link-model.ts), spelled out here because a
 * script is only text and src/nex imports nothing from the machine.
 */
export type LinkSettings = Partial<
  Record<
    'lossPercent' | 'duplicatePercent' | 'reorderPercent' | 'delayMs' | 'bandwidthKbps',
    number
  >
>;

export interface ScriptSettings {
  title?: string;
  chapter?: string;
  cols?: number;
  rows?: number;
  /** Unix seconds. */
  startTime?: number;
  /** An ATA disk of this many MiB holding a fresh CottonFS; none if absent. */
  diskMiB?: number;
  /** `disk book`: a fresh copy of the book's own disk (its /etc/ssl/certs, programs, fonts). */
  bookDisk?: boolean;
}

/** The largest `disk` a script may ask for (the whole image is held in memory). */
export const MAX_SCRIPT_DISK_MIB = 256;

export interface RecordingScript {
  readonly settings: ScriptSettings;
  readonly steps: readonly ScriptStep[];
}

export class ScriptError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`script line ${line}: ${message}`);
    this.name = 'ScriptError';
  }
}

export const DEFAULT_PROMPT_TIMEOUT_MS = 30_000;

function duration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text);
  if (!m) throw new Error(`expected a duration like 250ms or 1.5s, found ${JSON.stringify(text)}`);
  return m[2] === 's' ? Number(m[1]) * 1000 : Number(m[1]);
}

function diskSize(text: string): number {
  const m = /^(\d+)M$/.exec(text);
  if (!m || +m[1]! < 2 || +m[1]! > MAX_SCRIPT_DISK_MIB)
    throw new Error(
      `expected a disk size from 2M to ${MAX_SCRIPT_DISK_MIB}M, found ${JSON.stringify(text)}`,
    );
  return +m[1]!;
}

function powerCut(text: string): number {
  if (text === '') return 0;
  const m = /^after (\d+) writes?$/.exec(text);
  if (!m || +m[1]! < 1)
    throw new Error(
      `expected 'power-cut' or 'power-cut after N writes', found ${JSON.stringify(text)}`,
    );
  return +m[1]!;
}

/** `link` settings: NAME=VALUE with its unit, each one a field of LinkConditions. */
const LINK_SETTINGS: Readonly<Record<string, { field: keyof LinkSettings; unit: string }>> = {
  loss: { field: 'lossPercent', unit: '%' },
  dup: { field: 'duplicatePercent', unit: '%' },
  reorder: { field: 'reorderPercent', unit: '%' },
  delay: { field: 'delayMs', unit: 'ms' },
  bandwidth: { field: 'bandwidthKbps', unit: 'kbps' },
};

/** `link ideal`: a perfect cable. */
const IDEAL_LINK_SETTINGS: LinkSettings = {
  lossPercent: 0,
  duplicatePercent: 0,
  reorderPercent: 0,
  delayMs: 0,
  bandwidthKbps: 0,
};

function linkConditions(text: string): LinkSettings {
  if (text === 'ideal') return IDEAL_LINK_SETTINGS;
  const conditions: Record<string, number> = {};
  for (const setting of text.split(/\s+/)) {
    const m = /^([a-z]+)=(\d+(?:\.\d+)?)([a-z%]*)$/.exec(setting);
    const known = m ? LINK_SETTINGS[m[1]!] : undefined;
    if (!m || !known || m[3] !== known.unit)
      throw new Error(
        `expected link settings like loss=20% dup=1% reorder=5% delay=30ms bandwidth=512kbps, or 'ideal', found ${JSON.stringify(setting)}`,
      );
    conditions[known.field] = Number(m[2]);
  }
  return conditions;
}

function size(text: string): { cols: number; rows: number } {
  const m = /^(\d+)x(\d+)$/.exec(text);
  if (!m || +m[1]! < 1 || +m[2]! < 1)
    throw new Error(`expected a size like 80x24, found ${JSON.stringify(text)}`);
  return { cols: +m[1]!, rows: +m[2]! };
}

/** A step's argument, without a trailing " # comment" (type keeps everything: its text is data). */
function argument(rest: string, keepHash: boolean): string {
  return keepHash ? rest : rest.replace(/\s+#.*$/, '').trim();
}

function parseLine(
  keyword: string,
  rest: string,
  line: number,
  settings: ScriptSettings,
): ScriptStep | null {
  const arg = argument(rest, keyword === 'type');
  const need = (): string => {
    if (arg === '') throw new Error(`'${keyword}' needs an argument`);
    return arg;
  };
  switch (keyword) {
    case 'title':
      settings.title = need();
      return null;
    case 'chapter':
      settings.chapter = need();
      return null;
    case 'size':
      Object.assign(settings, size(need()));
      return null;
    case 'rtc': {
      const instant = parseRfc3339(need());
      if (!instant)
        throw new Error(
          `expected an RFC 3339 time like 2026-01-01T09:00:00Z, found ${JSON.stringify(arg)}`,
        );
      settings.startTime = instant.seconds;
      return null;
    }
    case 'prompt':
      return { kind: 'prompt', timeoutMs: arg ? duration(arg) : DEFAULT_PROMPT_TIMEOUT_MS, line };
    case 'typing':
      return { kind: 'typing', delayMs: duration(need()), line };
    case 'type':
      return { kind: 'type', text: unescapeTyped(need()), line };
    case 'run':
      return {
        kind: 'run',
        text: unescapeTyped(need()),
        timeoutMs: DEFAULT_PROMPT_TIMEOUT_MS,
        line,
      };
    case 'wait':
      return { kind: 'wait', ms: duration(need()), line };
    case 'marker':
      return { kind: 'marker', label: need(), line };
    case 'resize':
      return { kind: 'resize', ...size(need()), line };
    case 'disk':
      if (need() === 'book') settings.bookDisk = true;
      else settings.diskMiB = diskSize(need());
      return null;
    case 'power-cut':
      return { kind: 'power-cut', afterWrites: powerCut(arg), line };
    case 'key':
    case 'mouse':
      return { kind: keyword, spec: need(), line };
    case 'keys':
      return { kind: 'keys', spec: unescapeTyped(need()), line };
    case 'link':
      return { kind: 'link', conditions: linkConditions(need()), line };
    default:
      throw new Error(
        `unknown step '${keyword}' (expected prompt, typing, type, run, wait, marker, resize, power-cut, key, keys, mouse, link, title, chapter, size, rtc or disk)`,
      );
  }
}

export function parseScript(text: string): RecordingScript {
  const settings: ScriptSettings = {};
  const steps: ScriptStep[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const m = /^(\S+)(?:\s(.*))?$/.exec(trimmed)!;
    try {
      const step = parseLine(m[1]!, (m[2] ?? '').replace(/^\s+/, ''), line, settings);
      if (step) steps.push(step);
    } catch (error) {
      throw new ScriptError((error as Error).message, line);
    }
  });
  return { settings, steps };
}
