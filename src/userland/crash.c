/*
 * crash MODE: does one thing a user program must not get away with; the kernel
 * should kill it (a page fault or illegal instruction in user mode). If the
 * program is still alive afterwards it says so and exits 1.
 *
 *   null     read address 0 (the first 64 KiB are never mapped)
 *   kernel   write to 0x00100000, where the kernel image sits physically
 *   text     write into its own read-only code
 *   other    write to an address in the mmap area that was never mapped
 *   illegal  execute an illegal instruction (the all-zero word)
 *   stack    recurse until the 8 MiB stack overflows
 *   exec     jump into writable data (mapped no-execute)
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define KERNEL_IMAGE 0x00100000u
#define PAGE 4096

/* RISC-V `ret` (jalr x0, 0(ra)): harmless if the kernel wrongly lets data execute. */
static unsigned data_code[1] = {0x00008067u};

/* Stops only when depth wraps (never: the stack runs out long before). */
static unsigned recurse_for_ever(unsigned depth) {
  volatile char frame[1024];
  frame[0] = frame[sizeof frame - 1] = (char)depth;
  if (depth == 0xffffffffu) return 0;
  return recurse_for_ever(depth + 1) + frame[0] + frame[sizeof frame - 1]; /* not a tail call: every level keeps its frame */
}

static void crash(const char *mode) {
  if (!strcmp(mode, "null")) {
    printf("crash: read from %p: %u\n", (void *)0, *(volatile unsigned *)0);
  } else if (!strcmp(mode, "kernel")) {
    *(volatile unsigned *)KERNEL_IMAGE = 0xdeadbeefu;
  } else if (!strcmp(mode, "text")) {
    *(volatile unsigned *)(unsigned long)&crash = 0;
  } else if (!strcmp(mode, "other")) {
    /* Map one page so that we know where the mmap area is, then write far past it. */
    char *page = mmap(PAGE, PROT_READ | PROT_WRITE);
    if (IS_ERROR(page)) {
      printf("crash: mmap failed: %s\n", strerror((long)page));
      return;
    }
    volatile char *never_mapped = page + 64 * PAGE;
    printf("crash: mmap gave %p, writing to %p\n", (void *)page, (void *)never_mapped);
    *never_mapped = 1;
  } else if (!strcmp(mode, "illegal")) {
    __asm__ volatile(".word 0");
  } else if (!strcmp(mode, "stack")) {
    printf("crash: %u\n", recurse_for_ever(0));
  } else if (!strcmp(mode, "exec")) {
    ((void (*)(void))(unsigned long)data_code)();
  } else {
    printf("usage: crash null|kernel|text|other|illegal|stack|exec\n");
    exit(2);
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    printf("usage: crash null|kernel|text|other|illegal|stack|exec\n");
    return 2;
  }
  printf("crash: %s (pid %d)\n", argv[1], getpid());
  crash(argv[1]);
  printf("crash: %s: still alive, the kernel let it through!\n", argv[1]);
  return 1;
}
