/**
 * System information calls: uname, time, uptime, getrandom, meminfo.
 */
import { KERNEL_EDITION, KERNEL_NAME, KERNEL_VERSION } from '../lib/version';
import { utcSeconds } from '../lib/date';
import { ticksNow } from '../sched/scheduler';
import type { Syscall, SyscallHandler } from './dispatcher';
import { MAX_IO_BYTES } from './file-calls';
import {
  SYS_GETRANDOM,
  SYS_MEMINFO,
  SYS_TIME,
  SYS_UNAME,
  SYS_UPTIME,
  UTSNAME_FIELD_BYTES,
} from './syscall-table';

const MACHINE = 'riscv32 on x86_64 (Cotton PC)';

function sysUname(call: Syscall): number {
  const fields = [KERNEL_NAME, KERNEL_VERSION, KERNEL_EDITION, MACHINE];
  const bytes = new Uint8Array(UTSNAME_FIELD_BYTES * fields.length);
  const encoder = new TextEncoder();
  fields.forEach((field, i) =>
    bytes.set(encoder.encode(field).subarray(0, UTSNAME_FIELD_BYTES - 1), i * UTSNAME_FIELD_BYTES),
  );
  call.process.memory.writeBytes(call.address(0), bytes);
  return 0;
}

function sysGetrandom(call: Syscall): number {
  const bytes = new Uint8Array(Math.min(call.address(1), MAX_IO_BYTES));
  call.kernel.random.fill(bytes, ticksNow());
  call.process.memory.writeBytes(call.address(0), bytes);
  return bytes.length;
}

function sysMeminfo(call: Syscall): number {
  const { frames } = call.kernel.memory;
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, frames.totalFrames, true);
  view.setUint32(4, frames.freeFrames, true);
  view.setUint32(8, 4096, true);
  call.process.memory.writeBytes(call.address(0), bytes);
  return 0;
}

export const SYSTEM_CALLS: ReadonlyArray<[number, SyscallHandler]> = [
  [SYS_UNAME, sysUname],
  [SYS_TIME, (call) => utcSeconds(call.kernel.rtc.read())],
  [SYS_UPTIME, (call) => Math.floor(call.kernel.pit.uptimeMicros() / 1000)],
  [SYS_GETRANDOM, sysGetrandom],
  [SYS_MEMINFO, sysMeminfo],
];
