/*
 * The C runtime's entry for Cotton PC user programs: the loader has set sp and
 * a0 (an argument for main); call main and exit with its result (Linux's
 * syscall numbers, a7 = 93 exit, so qemu-riscv32 runs the same binary).
 */
  .section .text.start
  .globl _start
_start:
  call main
  li a7, 93
  ecall
1:
  j 1b
