/**
 * Live captures for the book's figures: boot the repository's kernel in Node,
 * tap the virtual network's switch, run shell commands (changing the link's
 * conditions between them if asked), and keep every Ethernet frame with its
 * virtual time. The same steps on the same kernel give the same frames, so a
 * figure drawn from them is as reproducible as a recording.
 *
 * The build calls this through vite-plugin-captures.ts; the networking
 * chapter's <PacketCapture> and <TcpSequence> draw what it returns.
 */
import type { LinkConditions } from '../../emu/net/link-model';
import { bootFromRepo } from './node-host';

export type CaptureStep = { readonly command: string } | { readonly link: Partial<LinkConditions> };

export interface CapturedFrame {
  /** Virtual time the frame entered the switch, in microseconds since power-on. */
  readonly timeMicros: number;
  /** Whether the machine sent it (otherwise a host of the virtual network did). */
  readonly fromGuest: boolean;
  readonly bytes: Uint8Array;
}

/** How long one step may take, in virtual milliseconds. */
const STEP_TIMEOUT_MS = 60_000;

/** Boot, run `steps`, and return every frame on the network from power-on. */
export function captureSession(steps: readonly CaptureStep[], seed?: number): CapturedFrame[] {
  const frames: CapturedFrame[] = [];
  const host = bootFromRepo({
    ...(seed === undefined ? {} : { network: { seed } }),
    onPowerOn: (pc) => {
      const guest = pc.nic.name;
      pc.network.tap(({ frame, timeNs, from }) =>
        frames.push({
          timeMicros: Math.round(timeNs / 1000),
          fromGuest: from === guest,
          bytes: frame.slice(),
        }),
      );
    },
  });
  host.runUntilPrompt();
  for (const step of steps) {
    if ('link' in step) host.machine.network.setLinkConditions(step.link);
    else host.command(step.command, STEP_TIMEOUT_MS);
  }
  return frames;
}
