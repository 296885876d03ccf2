/* yieldloop [N]: calls yield N times (default 10000): the cost of a trip through the scheduler. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 10000;
  for (int i = 0; i < n; i++) yield();
  printf("yieldloop: %d yields\n", n);
  return 0;
}
