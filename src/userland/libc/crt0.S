/*
 * The C runtime's entry for CottonOS user programs. The kernel enters _start
 * with a0 = argc, a1 = argv (a NULL-terminated array of string pointers on the
 * user stack) and sp 16-byte aligned. Call main(argc, argv), then exit with
 * its result (system call 1). A loader that passes no arguments at all
 * (a1 = 0, as the emulator's test harness does) gets argc 0 and an empty argv.
 */
  .section .text.start, "ax"
  .globl _start
_start:
  bnez a1, 1f
  li a0, 0
  la a1, empty_argv
1:
  call main
  li a7, 1
  ecall
2:
  j 2b

  .section .rodata.empty_argv, "a"
  .p2align 2
empty_argv:
  .word 0
