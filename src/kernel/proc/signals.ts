/**
 * Signal numbers, as Linux numbers them (signal(7)), and their names.
 *
 * CottonOS has no signal handlers yet: every signal ends the process, and its
 * exit status is 128 + the signal, as a Unix shell reports it. The faults a
 * process can cause (SIGSEGV, SIGILL, SIGBUS, SIGTRAP) come from the trap
 * loop in process.ts; SIGINT, SIGKILL and SIGTERM come from kill(2) and the
 * console's Ctrl-C.
 */
export const SIGINT = 2;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGBUS = 7;
export const SIGKILL = 9;
export const SIGSEGV = 11;
export const SIGTERM = 15;

const SIGNAL_NAMES: Record<number, string> = {
  [SIGINT]: 'SIGINT',
  [SIGILL]: 'SIGILL',
  [SIGTRAP]: 'SIGTRAP',
  [SIGBUS]: 'SIGBUS',
  [SIGKILL]: 'SIGKILL',
  [SIGSEGV]: 'SIGSEGV',
  [SIGTERM]: 'SIGTERM',
};

export function signalName(signal: number): string {
  return SIGNAL_NAMES[signal] ?? `signal ${signal}`;
}
