/*
 * memtest [MiB]: grows the heap by MiB (default 4) with sbrk, writes a pattern
 * to every word (touching every page, so the kernel must give each one a
 * frame), reads it all back; then mallocs and frees blocks of many sizes,
 * checking their contents; then recurses 1 MiB deep into the stack. Prints the
 * pages touched and the milliseconds taken; exits 0 if everything verified.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 4096
#define STACK_FRAME_BYTES 1024
#define STACK_BYTES (1024 * 1024)

static unsigned pattern(unsigned *address) { return (unsigned)(unsigned long)address * 2654435761u ^ 0x5a5a5a5au; }

static int test_sbrk(unsigned bytes) {
  unsigned *heap = sbrk((long)bytes);
  if (heap == (void *)-1) {
    printf("memtest: sbrk(%u) refused\n", bytes);
    return 0;
  }
  unsigned words = bytes / 4;
  for (unsigned i = 0; i < words; i++) heap[i] = pattern(&heap[i]);
  for (unsigned i = 0; i < words; i++) {
    if (heap[i] != pattern(&heap[i])) {
      printf("memtest: heap word at %p is %08x, expected %08x\n", (void *)&heap[i], heap[i], pattern(&heap[i]));
      return 0;
    }
  }
  printf("memtest: heap %p..%p: %u pages touched, pattern verified\n", (void *)heap, (void *)(heap + words), bytes / PAGE);
  return 1;
}

static int test_malloc(void) {
  enum { BLOCKS = 64 };
  unsigned char *blocks[BLOCKS];
  for (int round = 0; round < 4; round++) {
    for (int i = 0; i < BLOCKS; i++) {
      size_t size = (size_t)(i * 97 + round * 1000) % 5000 + 1;
      blocks[i] = malloc(size);
      if (!blocks[i]) {
        printf("memtest: malloc(%u) failed\n", (unsigned)size);
        return 0;
      }
      memset(blocks[i], i, size);
    }
    for (int i = 0; i < BLOCKS; i++) {
      size_t size = (size_t)(i * 97 + round * 1000) % 5000 + 1;
      for (size_t k = 0; k < size; k++) {
        if (blocks[i][k] != (unsigned char)i) {
          printf("memtest: malloc block %d overwritten\n", i);
          return 0;
        }
      }
    }
    for (int i = 0; i < BLOCKS; i += 2) free(blocks[i]); /* every other block, then the rest: exercises coalescing */
    for (int i = 1; i < BLOCKS; i += 2) free(blocks[i]);
  }
  printf("memtest: malloc/free of %d blocks x 4 rounds verified\n", BLOCKS);
  return 1;
}

/* Each call keeps a frame of STACK_FRAME_BYTES alive until the deepest one returns. */
static unsigned recurse(int depth) {
  volatile unsigned char frame[STACK_FRAME_BYTES];
  for (int i = 0; i < STACK_FRAME_BYTES; i += 64) frame[i] = (unsigned char)depth;
  unsigned below = depth > 1 ? recurse(depth - 1) : 0;
  return below + frame[0] + frame[STACK_FRAME_BYTES - 64];
}

static int test_stack(void) {
  int depth = STACK_BYTES / STACK_FRAME_BYTES;
  unsigned sum = recurse(depth);
  unsigned expected = 0;
  for (int d = 1; d <= depth; d++) expected += 2u * (unsigned char)d;
  printf("memtest: stack recursion %d deep (%d KiB): %s\n", depth, STACK_BYTES / 1024, sum == expected ? "ok" : "WRONG");
  return sum == expected;
}

int main(int argc, char **argv) {
  int mib = argc > 1 ? atoi(argv[1]) : 4;
  if (mib <= 0) mib = 4;
  unsigned long start = uptime_ms();
  int ok = test_sbrk((unsigned)mib << 20) && test_malloc() && test_stack();
  printf("memtest: %s in %u ms\n", ok ? "passed" : "FAILED", (unsigned)(uptime_ms() - start));
  return ok ? 0 : 1;
}
