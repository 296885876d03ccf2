/*
 * init, process 1: the first user program the kernel starts, and the parent of
 * every orphan (the kernel re-parents a process whose parent exits to init).
 * Announces itself, starts `init PROGRAM ARGS...`'s program if given one, then
 * reaps children for ever, so that no exited process stays a zombie.
 */
#include <stdio.h>
#include <unistd.h>

#define IDLE_MS 100

static void start(char **argv) {
  int pid = fork();
  if (pid == 0) {
    int error = exec(argv[0], argv);
    fprintf(STDERR_FILENO, "init: exec %s: %s\n", argv[0], strerror(error));
    exit(127);
  }
  if (pid < 0) fprintf(STDERR_FILENO, "init: fork: %s\n", strerror(pid));
}

int main(int argc, char **argv) {
  printf("init: CottonOS user space started\n");
  if (argc > 1) start(argv + 1);
  for (;;) {
    int status = 0;
    /* -ECHILD (no children at all): nothing to reap, so sleep rather than spin. */
    if (wait(-1, &status) < 0) sleep_ms(IDLE_MS);
  }
}
