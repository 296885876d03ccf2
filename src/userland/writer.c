/*
 * writer: `writer FILE LINES` appends LINES numbered lines to FILE, one
 * write each, then reads the file back and checks every line. Two writers
 * on the same disk at once exercise the file system's locking: each must
 * find exactly its own lines. Exits 0 when the file reads back right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int check(const char *path, int lines) {
  static char data[65536];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return printf("writer: open %s for reading: %s\n", path, strerror(fd)), 1;
  long total = 0;
  long got;
  while ((got = read(fd, data + total, sizeof data - 1 - total)) > 0) total += got;
  close(fd);
  data[total] = 0;
  char expected[32];
  char *at = data;
  for (int i = 0; i < lines; i++) {
    snprintf(expected, sizeof expected, "line %d of %s\n", i, path);
    if (strncmp(at, expected, strlen(expected)) != 0) return printf("writer: %s: line %d is wrong\n", path, i), 1;
    at += strlen(expected);
  }
  return *at == 0 ? 0 : (printf("writer: %s: extra bytes after %d lines\n", path, lines), 1);
}

int main(int argc, char **argv) {
  if (argc != 3) return printf("usage: writer FILE LINES\n"), 2;
  const char *path = argv[1];
  int lines = atoi(argv[2]);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND);
  if (fd < 0) return printf("writer: open %s: %s\n", path, strerror(fd)), 1;
  char line[32];
  for (int i = 0; i < lines; i++) {
    int length = snprintf(line, sizeof line, "line %d of %s\n", i, path);
    long written = write(fd, line, length);
    if (written != length) return printf("writer: write: %s\n", strerror(written)), 1;
    if (i % 50 == 0) yield();
  }
  close(fd);
  if (check(path, lines) != 0) return 1;
  printf("writer: %s: %d lines ok\n", path, lines);
  return 0;
}
