/*
 * forkexit [N]: N times (default 100): fork; the child exits at once with
 * status i & 255; the parent waits for that child and checks the pid and the
 * status. Prints "forkexit: N ok" (exit 0) or the first mismatch (exit 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100;
  for (int i = 0; i < n; i++) {
    int pid = fork();
    if (pid == 0) exit(i & 255);
    if (pid < 0) {
      printf("forkexit: fork %d failed: %s\n", i, strerror(pid));
      return 1;
    }
    int status = -1;
    int reaped = wait(pid, &status);
    if (reaped != pid || status != (i & 255)) {
      printf("forkexit: round %d: wait = %d (%s), status %d; expected pid %d, status %d\n", i, reaped, strerror(reaped),
             status, pid, i & 255);
      return 1;
    }
  }
  printf("forkexit: %d ok\n", n);
  return 0;
}
