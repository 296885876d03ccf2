/**
 * The session as one stream: events in time order with the commands' start
 * and end placed where they happened in the output bytes.
 *
 * This is the order the original NEX tool's `session.json` has (its shell hook
 * prints command markers into the PTY stream, and it attributes output to the
 * command that is open when the output arrives). The .nex writer emits this
 * stream line by line; the exports walk it to attribute output to commands.
 * An output event that a command boundary falls inside is cut in two there;
 * both halves keep the event's time.
 */
import type { CommandRecord, OutputEvent, SessionEvent } from './session';

export type TimelineItem =
  | { readonly kind: 'event'; readonly event: SessionEvent }
  | { readonly kind: 'command-start'; readonly command: CommandRecord }
  | { readonly kind: 'command-end'; readonly command: CommandRecord };

interface Boundary {
  readonly offset: number;
  readonly t: number;
  readonly item: TimelineItem;
}

/**
 * Starts and ends in stack order: a command's end comes before the next
 * command starts unless the next one runs inside it (nested output).
 */
function boundaries(commands: readonly CommandRecord[]): Boundary[] {
  const sorted = commands
    .map((command, index) => ({ command, index }))
    .sort(
      (a, b) =>
        a.command.outputStart - b.command.outputStart ||
        a.command.start - b.command.start ||
        a.index - b.index,
    )
    .map((x) => x.command);
  const list: Boundary[] = [];
  const open: CommandRecord[] = [];
  const close = (command: CommandRecord): void => {
    list.push({
      offset: command.outputEnd!,
      t: command.end!,
      item: { kind: 'command-end', command },
    });
  };
  for (const command of sorted) {
    for (
      let top = open[open.length - 1];
      top && top.outputEnd !== null && top.outputEnd <= command.outputStart;
      top = open[open.length - 1]
    ) {
      close(open.pop()!);
    }
    list.push({
      offset: command.outputStart,
      t: command.start,
      item: { kind: 'command-start', command },
    });
    open.push(command);
  }
  while (open.length > 0) {
    const command = open.pop()!;
    if (command.outputEnd !== null && command.end !== null) close(command);
  }
  return list;
}

export function* timeline(
  events: readonly SessionEvent[],
  commands: readonly CommandRecord[],
): Generator<TimelineItem> {
  const marks = boundaries(commands);
  let next = 0;
  let offset = 0;
  for (const event of events) {
    if (event.kind !== 'output') {
      while (next < marks.length && marks[next]!.offset <= offset && marks[next]!.t <= event.t)
        yield marks[next++]!.item;
      yield { kind: 'event', event };
      continue;
    }
    const end = offset + event.data.length;
    let cut = offset;
    while (next < marks.length && marks[next]!.offset < end) {
      const at = Math.max(cut, marks[next]!.offset);
      if (at > cut) yield { kind: 'event', event: slice(event, cut - offset, at - offset) };
      cut = at;
      yield marks[next++]!.item;
    }
    if (end > cut || event.data.length === 0)
      yield {
        kind: 'event',
        event: cut === offset ? event : slice(event, cut - offset, end - offset),
      };
    offset = end;
  }
  while (next < marks.length) yield marks[next++]!.item;
}

function slice(event: OutputEvent, from: number, to: number): OutputEvent {
  return { kind: 'output', t: event.t, data: event.data.subarray(from, to) };
}
