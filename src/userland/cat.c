/* cat [file...]: copies each file (or, with none, stdin) to stdout. */
#include <stdio.h>
#include <unistd.h>

static int copy(int fd, const char *name) {
  char buf[512];
  long n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    if (write(STDOUT_FILENO, buf, (size_t)n) < 0) return 0;
  }
  if (n < 0) fprintf(STDERR_FILENO, "cat: %s: %s\n", name, strerror(n));
  return n == 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return copy(STDIN_FILENO, "stdin") ? 0 : 1;
  int status = 0;
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) {
      fprintf(STDERR_FILENO, "cat: %s: %s\n", argv[i], strerror(fd));
      status = 1;
      continue;
    }
    if (!copy(fd, argv[i])) status = 1;
    close(fd);
  }
  return status;
}
