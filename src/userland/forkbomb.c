/*
 * forkbomb [max]: forks until fork fails (or max children, default 100000),
 * prints how many children it got and why fork failed, then reaps them all.
 * Each child sleeps a while and exits, so they are all alive together; the
 * kernel must refuse cleanly (EAGAIN or ENOMEM) rather than fall over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CHILD_SLEEP_MS 2000

int main(int argc, char **argv) {
  int max = argc > 1 ? atoi(argv[1]) : 100000;
  int children = 0, error = 0;
  while (children < max) {
    int pid = fork();
    if (pid == 0) {
      sleep_ms(CHILD_SLEEP_MS);
      exit(0);
    }
    if (pid < 0) {
      error = pid;
      break;
    }
    children++;
  }
  if (error)
    printf("forkbomb: %d children, then fork failed: %s\n", children, strerror(error));
  else
    printf("forkbomb: %d children, stopped at the limit\n", children);
  int reaped = 0;
  while (wait(-1, NULL) > 0) reaped++;
  printf("forkbomb: reaped %d\n", reaped);
  return reaped == children ? 0 : 1;
}
