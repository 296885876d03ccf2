/**
 * Errors for damaged or foreign recording files (.nex, asciicast).
 *
 * Recordings come from other machines and other tools, so every reader treats
 * bad input as an expected outcome, not a crash: it stops at the first damage,
 * names the problem (and the entry and line where it is), and hands back what
 * it read before it, so a player can still play up to the damage.
 */

/** Where in a file a problem was found. */
export interface FormatLocation {
  /** The ZIP entry (`session.json`, `manifest.json`) or file kind (`asciicast`). */
  readonly entry?: string;
  /** 1-based line number inside the entry. */
  readonly line?: number;
}

export class NexFormatError extends Error {
  readonly entry: string | undefined;
  readonly line: number | undefined;

  constructor(problem: string, where: FormatLocation = {}) {
    const place = [where.entry, where.line === undefined ? undefined : `line ${where.line}`]
      .filter(Boolean)
      .join(' ');
    super(place ? `${place}: ${problem}` : problem);
    this.name = 'NexFormatError';
    this.entry = where.entry;
    this.line = where.line;
  }
}

/**
 * What a tolerant reader returns: everything valid up to the first damage,
 * and the damage (null when the whole file was read).
 */
export interface ReadResult<T> {
  readonly value: T;
  readonly error: NexFormatError | null;
}

/** A strict reader's failure: the error, carrying the part read before the damage. */
export class PartialReadError<T> extends NexFormatError {
  constructor(
    error: NexFormatError,
    readonly partial: T,
  ) {
    super(error.message);
    this.name = 'NexFormatError';
    Object.assign(this, { entry: error.entry, line: error.line });
  }
}

/** Unwrap a tolerant result: the value, or a thrown PartialReadError carrying it. */
export function orThrow<T>(result: ReadResult<T>): T {
  if (result.error) throw new PartialReadError(result.error, result.value);
  return result.value;
}

/** The JSON type name used in messages: "null", "array", "string", ... */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
