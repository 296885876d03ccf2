/**
 * The inspection channel: how the host asks the running kernel for a view.
 *
 * Models: a kernel's debug channel to the machine that hosts it (a debugger
 * stub, a hypervisor's introspection interface), here a function the host
 * calls between two slices of the machine, while no kernel code runs. Boot
 * opens it once the kernel is whole (boot/kernel-init.ts); until then every
 * request is answered "still booting". The host reaches `answerInspection`
 * through the module loader (src/runtime/host/kernel-inspection.ts), so the
 * kernel image and what the machine sees are the same with or without it.
 *
 * An answer carries the virtual time it was taken at, for the figure's
 * caption, and is plain data (structured-clonable: it crosses to the page).
 */
import { cyclesToMicros, PIT_DIVISOR } from '../drivers/pit8254';
import { ViewBusy } from '../lib/view-busy';
import { inspectView, type ViewRequest, ViewRequestError } from './views';
import type { Kernel } from '../proc/kernel';

export type InspectionAnswer =
  | {
      readonly ok: true;
      readonly view: string;
      /** Microseconds since boot when the view was taken, to the last timer tick. */
      readonly uptimeMicros: number;
      readonly data: unknown;
    }
  | {
      readonly ok: false;
      readonly view: string;
      readonly reason: string;
      /** Refused only for now (lib/view-busy.ts): asked again after the machine runs on, it may pass. */
      readonly busy?: true;
    };

let inspected: Kernel | null = null;

/** Answer requests about `kernel` from now on (called once per boot). */
export function openInspectionChannel(kernel: Kernel): void {
  inspected = kernel;
}

/** The time of the last timer tick: reading the PIT's counter would be port I/O, which a view must not do. */
function lastTickMicros(kernel: Kernel): number {
  return cyclesToMicros(kernel.pit.ticks * PIT_DIVISOR);
}

export function answerInspection(request: ViewRequest): InspectionAnswer {
  const view = String(request.view);
  if (!inspected) return { ok: false, view, reason: 'the kernel is still booting' };
  try {
    const data = inspectView(inspected, request);
    return { ok: true, view, uptimeMicros: lastTickMicros(inspected), data };
  } catch (error) {
    // A bad request, or a producer's bug (the reader may have edited it): the kernel runs on.
    if (error instanceof ViewBusy) return { ok: false, view, reason: error.message, busy: true };
    const reason = error instanceof ViewRequestError ? error.message : String(error);
    return { ok: false, view, reason };
  }
}
