/*
 * mkfiles: `mkfiles DIR COUNT [SIZE]` makes the directory DIR and COUNT files
 * of SIZE bytes (default 100) in it, then syncs: the small-file workload of
 * the file system benchmarks, made through the system calls as any program
 * would. Prints how many files it made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) return printf("usage: mkfiles DIR COUNT [SIZE]\n"), 2;
  const char *dir = argv[1];
  int count = atoi(argv[2]);
  int size = argc > 3 ? atoi(argv[3]) : 100;
  static char data[4096];
  if (size < 0 || size > (int)sizeof data) return printf("mkfiles: SIZE must be 0 to %d\n", (int)sizeof data), 2;
  memset(data, 'x', sizeof data);
  int made = mkdir(dir);
  if (made < 0) return printf("mkfiles: mkdir %s: %s\n", dir, strerror(made)), 1;
  char path[128];
  for (int i = 0; i < count; i++) {
    snprintf(path, sizeof path, "%s/f%d", dir, i);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
    if (fd < 0) return printf("mkfiles: open %s: %s\n", path, strerror(fd)), 1;
    long written = write(fd, data, size);
    close(fd);
    if (written != size) return printf("mkfiles: write %s: %s\n", path, strerror(written)), 1;
  }
  sync();
  printf("mkfiles: %d files\n", count);
  return 0;
}
