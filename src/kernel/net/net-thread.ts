/**
 * The network thread: where received frames are handled and the
 * stack's timers run.
 *
 * Models Linux's split between a driver's interrupt handler and the
 * NET_RX softirq (and xv6-net's net thread): the interrupt handler only
 * copies frames out of the card's ring and wakes this thread; the thread
 * takes them through Ethernet, ARP, IPv4, TCP and UDP (net-stack.ts) in
 * task context, where the stack may take its time and send answers. Then it
 * runs whatever timers are due - ARP retries, TCP retransmissions, delayed
 * ACKs, the wake-ups of sockets waiting with a timeout - wakes every socket
 * call waiting on the stack's activity queue, and sleeps until the next
 * timer or the next interrupt, whichever comes first.
 *
 * It runs at a higher priority than the shell and user programs, as
 * softirqs run before any task: a busy program must not starve the
 * acknowledgments its own downloads depend on.
 */
import { currentTask, sleepUntil, ticksNow, wake } from '../sched/scheduler';
import type { ThreadBody } from '../sched/scheduler';
import type { NetStack } from './net-stack';

/** What the thread needs from the card's driver. */
export interface FrameSource {
  /** Frames received since the last call. */
  takeReceived(): Uint8Array[];
  readonly hasReceived: boolean;
  /** Called from the interrupt handler when frames arrive. */
  onReceive: (() => void) | null;
}

export function* networkThread(net: NetStack, nic: FrameSource): ThreadBody {
  const task = currentTask();
  const wakeThread = () => wake(task);
  nic.onReceive = wakeThread;
  net.wakeThread = wakeThread;
  for (;;) {
    net.threadSleepsUntil = Number.NEGATIVE_INFINITY;
    for (const frame of nic.takeReceived()) net.receiveFrame(frame);
    net.poll();
    net.activity.wakeAll();
    if (nic.hasReceived) {
      yield; // more arrived meanwhile: let others run, then go on
      continue;
    }
    const deadline = net.nextDeadline();
    const tick =
      deadline === null ? Number.POSITIVE_INFINITY : Math.max(Math.ceil(deadline), ticksNow() + 1);
    net.threadSleepsUntil = tick;
    yield* sleepUntil(tick);
  }
}
