/**
 * A view refused for now: a task is halfway through changing what the view
 * shows (it holds the lock that guards it), so the structures may be half
 * changed. Unlike a bad request, this passes: the host asks again after the
 * machine has run on (src/runtime/host/kernel-inspection.ts), as a debugger
 * waits for a quiet moment rather than read a structure mid-update.
 *
 * In lib/, below every subsystem, so that any view producer can throw it; the
 * inspection channel (inspect/inspection-channel.ts) tells the host.
 */
export class ViewBusy extends Error {
  override name = 'ViewBusy';
}
