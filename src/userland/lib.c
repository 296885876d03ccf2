/*
 * A tiny freestanding libc for the Cotton PC's user programs: what the
 * compiler may call on its own (memset, memcpy) and printing helpers.
 */
#include "sys.h"

#ifndef NATIVE
void *memset(void *dst, int c, unsigned long n) {
  u8 *d = dst;
  while (n--) *d++ = (u8)c;
  return dst;
}

void *memcpy(void *dst, const void *src, unsigned long n) {
  u8 *d = dst;
  const u8 *s = src;
  while (n--) *d++ = *s++;
  return dst;
}
#endif

unsigned long str_length(const char *s) {
  unsigned long n = 0;
  while (s[n]) n++;
  return n;
}

void print(const char *s) { sys_write(1, s, str_length(s)); }

void print_uint(u32 value) {
  char buf[11];
  int i = 10;
  buf[i] = 0;
  do {
    buf[--i] = (char)('0' + value % 10);
    value /= 10;
  } while (value);
  print(buf + i);
}

void print_hex(u32 value) {
  char buf[9];
  for (int i = 7; i >= 0; i--) {
    buf[i] = "0123456789abcdef"[value & 15];
    value >>= 4;
  }
  buf[8] = 0;
  print(buf);
}
