/**
 * Loading a recording for the player: fetch it, tell a .nex (a ZIP archive)
 * from an asciicast v2 or v3 file (JSON lines) by its first bytes, and read
 * it with the tolerant readers of src/nex, so a damaged or truncated file
 * still plays up to the damage and the player can say what is wrong.
 */
import { parseAsciicast } from '../../nex/asciicast';
import { parseNex } from '../../nex/nex-format';
import type { Session } from '../../nex/session';

export interface LoadedRecording {
  readonly session: Session;
  /** What is wrong with the file, null if nothing; the session holds what came before it. */
  readonly damage: string | null;
}

const isZip = (bytes: Uint8Array): boolean => bytes[0] === 0x50 && bytes[1] === 0x4b;

/** Read a recording's bytes, whichever of the formats it is in. */
export function readRecording(bytes: Uint8Array): LoadedRecording {
  const result = isZip(bytes) ? parseNex(bytes) : parseAsciicast(new TextDecoder().decode(bytes));
  return { session: result.value, damage: result.error?.message ?? null };
}

export async function fetchRecording(url: string): Promise<LoadedRecording> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  return readRecording(new Uint8Array(await response.arrayBuffer()));
}
