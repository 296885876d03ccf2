/*
 * pingpong [N]: parent and child pass one byte back and forth N times
 * (default 1000) over two pipes, each side blocking in read until the other
 * writes: the cost of a wake-up and a context switch. The byte counts up, so
 * a lost or duplicated message is noticed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  int ping[2], pong[2];
  if (pipe(ping) < 0 || pipe(pong) < 0) {
    printf("pingpong: pipe failed\n");
    return 1;
  }
  int pid = fork();
  if (pid < 0) {
    printf("pingpong: fork failed: %s\n", strerror(pid));
    return 1;
  }
  if (pid == 0) {
    close(ping[1]);
    close(pong[0]);
    unsigned char byte;
    while (read(ping[0], &byte, 1) == 1) {
      byte++;
      if (write(pong[1], &byte, 1) != 1) exit(1);
    }
    exit(0); /* the parent closed its end: done */
  }
  close(ping[0]);
  close(pong[1]);
  unsigned char byte = 0;
  for (int i = 0; i < n; i++) {
    unsigned char sent = byte;
    if (write(ping[1], &byte, 1) != 1 || read(pong[0], &byte, 1) != 1 || byte != (unsigned char)(sent + 1)) {
      printf("pingpong: round trip %d failed\n", i);
      return 1;
    }
  }
  close(ping[1]);
  int status = -1;
  wait(pid, &status);
  printf("pingpong: %d round trips\n", n);
  return status == 0 ? 0 : 1;
}
