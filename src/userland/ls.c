/*
 * ls [path...]: each directory's entries (default "."), one a line: type
 * (d directory, - file, c device), size in bytes, name. Uses open, readdir
 * (by index), and stat on each entry.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PATH_MAX 256

static char type_letter(unsigned type) { return type == T_DIR ? 'd' : type == T_DEVICE ? 'c' : '-'; }

static void show(const char *path, const char *name) {
  struct stat st;
  int error = stat(path, &st);
  if (error < 0) {
    printf("?          ? %s (%s)\n", name, strerror(error));
    return;
  }
  printf("%c %10u %s%s\n", type_letter(st.type), st.size, name, st.type == T_DIR ? "/" : "");
}

static int list(const char *path) {
  struct stat st;
  int error = stat(path, &st);
  if (error < 0) {
    fprintf(STDERR_FILENO, "ls: %s: %s\n", path, strerror(error));
    return 0;
  }
  if (st.type != T_DIR) {
    show(path, path);
    return 1;
  }
  int fd = open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    fprintf(STDERR_FILENO, "ls: %s: %s\n", path, strerror(fd));
    return 0;
  }
  struct dirent entry;
  int result;
  for (unsigned index = 0; (result = readdir(fd, &entry, index)) > 0; index++) {
    char full[PATH_MAX];
    snprintf(full, sizeof full, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", entry.name);
    show(full, entry.name);
  }
  close(fd);
  if (result < 0) fprintf(STDERR_FILENO, "ls: %s: %s\n", path, strerror(result));
  return result == 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return list(".") ? 0 : 1;
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (argc > 2) printf("%s:\n", argv[i]);
    if (!list(argv[i])) status = 1;
  }
  return status;
}
