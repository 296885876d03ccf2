/*
 * A test program with known answers: the CRC-32 check value of "123456789"
 * (cbf43926), the number of primes below 200000 (17984), by a sieve and by
 * trial division (exercising DIV/REM), then exit 0. Long enough (a few million
 * instructions) to be preempted by the timer many times.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint8_t u8;
typedef uint32_t u32;

#define LIMIT 200000u

static u8 composite[LIMIT];

static u32 crc32(const char *p, u32 len) {
  u32 c = 0xffffffffu;
  for (u32 i = 0; i < len; i++) {
    c ^= (u8)p[i];
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xffffffffu;
}

static u32 sieve(void) {
  u32 count = 0;
  for (u32 i = 2; i < LIMIT; i++) {
    if (composite[i]) continue;
    count++;
    for (u32 j = i * 2; j < LIMIT; j += i) composite[j] = 1;
  }
  return count;
}

static int is_prime(u32 n) {
  if (n < 2) return 0;
  for (u32 d = 2; d * d <= n; d++)
    if (n % d == 0) return 0;
  return 1;
}

int main(void) {
  const char *check = "123456789";
  u32 crc = crc32(check, strlen(check));
  u32 by_sieve = sieve();
  u32 count = 0;
  for (u32 n = 0; n < 20000; n++) count += (u32)is_prime(n);
  printf("crc %08x sieve %u trial %u\n", (unsigned)crc, (unsigned)by_sieve, (unsigned)count);
  return 0;
}
