/*
 * spin [N] [tag]: N rounds (default 1000000, in effect for ever) of busy
 * arithmetic, about a million instructions each, printing "spin TAG: round K"
 * every round. Never yields or sleeps: run two at once and their interleaved
 * lines show the timer preempting them.
 */
#include <stdio.h>
#include <stdlib.h>

#define STEPS_PER_ROUND 200000

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 1000000;
  const char *tag = argc > 2 ? argv[2] : "";
  volatile unsigned sink = 0;
  unsigned x = 1;
  for (int round = 1; round <= rounds; round++) {
    for (int i = 0; i < STEPS_PER_ROUND; i++) x = x * 1664525u + 1013904223u; /* a linear congruential step */
    sink = x;
    printf("spin %s: round %d\n", tag, round);
  }
  printf("spin %s: done %08x\n", tag, sink);
  return 0;
}
