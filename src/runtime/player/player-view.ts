/**
 * The parts of the player that are drawn from the recording's metadata: the
 * command list (command, duration, exit code; a click seeks to it), the
 * markers (ticks on the seek bar and a list of chapters), and the time
 * display. Plain DOM, built once when a recording is loaded.
 */
import type { PlayerTimeline, TimelineCommand } from './player-timeline';

/** `1:05.3`: minutes, seconds and tenths of playback time. */
export function formatClock(seconds: number): string {
  const tenths = Math.floor(Math.max(0, seconds) * 10);
  const minutes = Math.floor(tenths / 600);
  const rest = ((tenths % 600) / 10).toFixed(1).padStart(4, '0');
  return `${minutes}:${rest}`;
}

/** `1.23 s`, `45 ms`, or `running` for a command the recording ended in. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return 'running';
  return seconds >= 1 ? `${seconds.toFixed(2)} s` : `${Math.round(seconds * 1000)} ms`;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text = '',
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}

function commandItem(command: TimelineCommand, onSeek: (at: number) => void): HTMLLIElement {
  const item = element('li', 'cp-command');
  const button = element('button', 'cp-command-button');
  button.type = 'button';
  button.dataset.at = String(command.at);
  const status = command.exitCode === null ? '?' : String(command.exitCode);
  const rc = element('span', 'cp-rc', status);
  rc.dataset.ok = String(command.exitCode === 0);
  rc.title = `exit code ${status}`;
  button.append(
    element('code', 'cp-line', command.line),
    element('span', 'cp-duration', formatDuration(command.duration)),
    rc,
  );
  button.addEventListener('click', () => onSeek(command.at));
  item.append(button);
  return item;
}

/** Fill the command list; returns the items, in time order, for highlighting the current one. */
export function renderCommands(
  list: HTMLElement,
  timeline: PlayerTimeline,
  onSeek: (at: number) => void,
): HTMLLIElement[] {
  const items = timeline.commands.map((c) => commandItem(c, onSeek));
  list.replaceChildren(...items);
  list.hidden = items.length === 0;
  return items;
}

/** Ticks on the seek bar and a button per marker. */
export function renderMarkers(
  ticks: HTMLElement,
  list: HTMLElement,
  timeline: PlayerTimeline,
  onSeek: (at: number) => void,
): void {
  const span = timeline.duration || 1;
  ticks.replaceChildren(
    ...timeline.markers.map((m) => {
      const tick = element('span', 'cp-tick');
      tick.style.left = `${(m.at / span) * 100}%`;
      tick.title = m.label;
      return tick;
    }),
  );
  list.replaceChildren(
    ...timeline.markers.map((m) => {
      const button = element('button', 'cp-marker', m.label);
      button.type = 'button';
      button.addEventListener('click', () => onSeek(m.at));
      return button;
    }),
  );
  list.hidden = timeline.markers.length === 0;
}

/** Mark the command running at `at` (the last one started) as current. */
export function highlightCommand(
  items: readonly HTMLLIElement[],
  timeline: PlayerTimeline,
  at: number,
): void {
  let current = -1;
  timeline.commands.forEach((c, i) => {
    if (c.at <= at) current = i;
  });
  items.forEach((item, i) => {
    if (i === current) item.setAttribute('aria-current', 'step');
    else item.removeAttribute('aria-current');
  });
}
