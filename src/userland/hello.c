/* The smallest user program: a greeting with its pid and arguments, exit 0. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
  printf("hello from user mode (pid %d)\n", getpid());
  for (int i = 0; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
  return 0;
}
