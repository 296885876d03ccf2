/*
 * The few system calls these programs need, with Linux's RISC-V numbers
 * (a7 = number, a0-a5 = arguments, a0 = result): 64 write, 93 exit.
 * Built natively (-DNATIVE) they map onto the host's libc, for the benchmark's
 * native-speed comparison.
 */
#ifndef COTTON_SYS_H
#define COTTON_SYS_H

typedef unsigned int u32;
typedef unsigned char u8;
typedef unsigned long size_t_;

#ifdef NATIVE
#include <unistd.h>
static inline long sys_write(int fd, const void *buf, unsigned long len) { return write(fd, buf, len); }
static inline void sys_exit(int code) { _exit(code); }
#else
#define SYS_WRITE 64
#define SYS_EXIT 93

static inline long syscall3(long n, long a0, long a1, long a2) {
  register long r_a0 __asm__("a0") = a0;
  register long r_a1 __asm__("a1") = a1;
  register long r_a2 __asm__("a2") = a2;
  register long r_a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
  return r_a0;
}

static inline long sys_write(int fd, const void *buf, unsigned long len) { return syscall3(SYS_WRITE, fd, (long)buf, (long)len); }
static inline void sys_exit(int code) {
  syscall3(SYS_EXIT, code, 0, 0);
  for (;;) {
  }
}
#endif

/* lib.c */
unsigned long str_length(const char *s);
void print(const char *s);
void print_uint(u32 value);
void print_hex(u32 value);

#endif
