/**
 * The player's keyboard shortcuts, as asciinema's player has them: space
 * plays and pauses, ←/→ seek 5 s, 0–9 jump to 0–90 %, '<' and '>' change
 * the speed, '.' shows the next frame while paused. A key becomes an action;
 * the element carries it out. Kept apart so the mapping reads as a table.
 */
export type PlayerAction =
  | { readonly kind: 'toggle' }
  | { readonly kind: 'seek-by'; readonly seconds: number }
  | { readonly kind: 'seek-fraction'; readonly fraction: number }
  | { readonly kind: 'speed'; readonly step: 1 | -1 }
  | { readonly kind: 'frame' };

export const SEEK_STEP_SECONDS = 5;

export function actionForKey(key: string): PlayerAction | null {
  if (/^[0-9]$/.test(key)) return { kind: 'seek-fraction', fraction: Number(key) / 10 };
  switch (key) {
    case ' ':
      return { kind: 'toggle' };
    case 'ArrowLeft':
      return { kind: 'seek-by', seconds: -SEEK_STEP_SECONDS };
    case 'ArrowRight':
      return { kind: 'seek-by', seconds: SEEK_STEP_SECONDS };
    case '<':
      return { kind: 'speed', step: -1 };
    case '>':
      return { kind: 'speed', step: 1 };
    case '.':
      return { kind: 'frame' };
    default:
      return null;
  }
}

/** The speeds '<' and '>' step through. */
export const SPEEDS = [0.5, 1, 2, 4, 8] as const;

export function nextSpeed(speed: number, step: 1 | -1): number {
  const index = SPEEDS.indexOf(speed as (typeof SPEEDS)[number]);
  const next = Math.min(Math.max((index < 0 ? 1 : index) + step, 0), SPEEDS.length - 1);
  return SPEEDS[next]!;
}
