/* wc [file...]: lines, words and bytes of each file (or stdin), and a total for several. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
  unsigned lines, words, bytes;
};

static int count(int fd, const char *name, struct counts *c) {
  char buf[512];
  long n;
  int in_word = 0;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    c->bytes += (unsigned)n;
    for (long i = 0; i < n; i++) {
      if (buf[i] == '\n') c->lines++;
      if (isspace(buf[i])) {
        in_word = 0;
      } else if (!in_word) {
        in_word = 1;
        c->words++;
      }
    }
  }
  if (n < 0) fprintf(STDERR_FILENO, "wc: %s: %s\n", name, strerror(n));
  return n == 0;
}

static void show(const struct counts *c, const char *name) { printf("%7u %7u %7u %s\n", c->lines, c->words, c->bytes, name); }

int main(int argc, char **argv) {
  if (argc < 2) {
    struct counts c = {0, 0, 0};
    int ok = count(STDIN_FILENO, "stdin", &c);
    printf("%7u %7u %7u\n", c.lines, c.words, c.bytes);
    return ok ? 0 : 1;
  }
  struct counts total = {0, 0, 0};
  int status = 0;
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) {
      fprintf(STDERR_FILENO, "wc: %s: %s\n", argv[i], strerror(fd));
      status = 1;
      continue;
    }
    struct counts c = {0, 0, 0};
    if (!count(fd, argv[i], &c)) status = 1;
    close(fd);
    show(&c, argv[i]);
    total.lines += c.lines, total.words += c.words, total.bytes += c.bytes;
  }
  if (argc > 2) show(&total, "total");
  return status;
}
