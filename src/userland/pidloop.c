/* pidloop [N]: calls getpid N times (default 100000), then prints the count: the cost of a system call. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100000;
  for (int i = 0; i < n; i++) getpid();
  printf("pidloop: %d\n", n);
  return 0;
}
