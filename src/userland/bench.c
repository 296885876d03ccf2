/*
 * The CPU benchmark (and a long-running test program): CRC-32 (IEEE 802.3,
 * reflected, table-driven) over 1 MiB of pseudo-random bytes, and a sieve of
 * Eratosthenes up to 2^22, `rounds` times. Prints the CRC and the prime count
 * so that the emulated and native runs can be checked against each other:
 * `bench [rounds]` (default 1). The same source builds natively with the
 * host's libc (cc -O2 -DNATIVE bench.c), for the native-speed comparison in
 * src/bench/cpu-benchmarks.ts; only standard C is used, so NATIVE changes
 * nothing but the headers' origin.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef uint8_t u8;
typedef uint32_t u32;

#define DATA_BYTES (1u << 20)
#define SIEVE_LIMIT (1u << 22)

static u8 data[DATA_BYTES];
static u8 composite[SIEVE_LIMIT];
static u32 crc_table[256];

static void make_crc_table(void) {
  for (u32 n = 0; n < 256; n++) {
    u32 c = n;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[n] = c;
  }
}

static u32 crc32(const u8 *p, u32 len) {
  u32 c = 0xffffffffu;
  for (u32 i = 0; i < len; i++) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

static u32 sieve(u32 limit) {
  for (u32 i = 0; i < limit; i++) composite[i] = 0;
  u32 count = 0;
  for (u32 i = 2; i < limit; i++) {
    if (composite[i]) continue;
    count++;
    for (u32 j = i * 2; j < limit; j += i) composite[j] = 1;
  }
  return count;
}

static void fill_data(void) {
  u32 x = 12345;
  for (u32 i = 0; i < DATA_BYTES; i++) {
    x = x * 1103515245u + 12345u;
    data[i] = (u8)(x >> 16);
  }
}

static int run(int rounds) {
  make_crc_table();
  fill_data();
  u32 crc = 0, primes = 0;
  for (int r = 0; r < rounds; r++) {
    data[r & (DATA_BYTES - 1)] ^= (u8)r;
    crc ^= crc32(data, DATA_BYTES);
    primes = sieve(SIEVE_LIMIT);
  }
  printf("crc %08x primes %u\n", (unsigned)crc, (unsigned)primes);
  return 0;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 1;
  return run(rounds > 0 ? rounds : 1);
}
