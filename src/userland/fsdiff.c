/*
 * fsdiff OPS RESULTS SANDBOX: run a list of file-system operations and write
 * each one's result, for a test that runs the same list on Linux and compares.
 *
 * OPS holds one operation a line, its words separated by spaces (paths are
 * relative to the working directory, which starts at SANDBOX):
 *   open S PATH FLAGS   FLAGS: r, w or b (both), then any of c x t a d
 *                       (O_CREAT O_EXCL O_TRUNC O_APPEND O_DIRECTORY);
 *                       S is a slot 0-7 standing for a descriptor
 *   read S N   write S N   seek S OFFSET WHENCE   close S   fstat S   readdirfd S
 *   unlink P   mkdir P   rmdir P   stat P   readdir P   truncate P N
 *   link P Q   rename P Q   chdir P (P relative to SANDBOX)
 * RESULTS gets one line an operation: "ok" and what it returned, or the errno
 * name. A write writes N bytes of the letter 'a' + (line number mod 26); a
 * read prints what it read, a NUL as '.'; stat prints the type, then a file's
 * size and links, or a directory's links; readdir the sorted names but "."
 * and "..". At the end every slot is closed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLOTS 8
#define MAX_WORDS 5
#define MAX_NAMES 64

static int slots[SLOTS];
static char *out;
static size_t out_length, out_capacity;
static const char *sandbox;

static void emit(const char *format, ...) {
  char line[512];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(line, sizeof line, format, args);
  va_end(args);
  if (n < 0) return;
  if (n > (int)sizeof line - 1) n = sizeof line - 1;
  if (out_length + n + 1 > out_capacity) {
    out_capacity = (out_capacity + n + 1) * 2;
    out = realloc(out, out_capacity);
  }
  memcpy(out + out_length, line, n);
  out_length += n;
}

/** "ok" for a result of 0 or more, else the errno's name. */
static int ok(long result) {
  if (result < 0) {
    emit("%s\n", strerror(result));
    return 0;
  }
  return 1;
}

static int slot_fd(const char *word) {
  int slot = atoi(word);
  return slot >= 0 && slot < SLOTS ? slots[slot] : -1;
}

static int open_flags(const char *letters) {
  int flags = letters[0] == 'w' ? O_WRONLY : letters[0] == 'b' ? O_RDWR : O_RDONLY;
  for (const char *c = letters + 1; *c; c++) {
    if (*c == 'c') flags |= O_CREAT;
    if (*c == 'x') flags |= O_EXCL;
    if (*c == 't') flags |= O_TRUNC;
    if (*c == 'a') flags |= O_APPEND;
    if (*c == 'd') flags |= O_DIRECTORY;
  }
  return flags;
}

static void print_stat(long result, struct stat *st) {
  if (!ok(result)) return;
  if (st->type == T_DIR) emit("ok d %u\n", st->links);
  else emit("ok f %u %u\n", st->size, st->links);
}

static void print_names(int fd) {
  char names[MAX_NAMES][DIRENT_NAME_BYTES];
  int count = 0;
  struct dirent entry;
  for (unsigned int index = 0; count < MAX_NAMES; index++) {
    int got = readdir(fd, &entry, index);
    if (got < 0) {
      emit("%s\n", strerror(got));
      return;
    }
    if (got == 0) break;
    if (strcmp(entry.name, ".") == 0 || strcmp(entry.name, "..") == 0) continue;
    /* insertion sort: byte order, as the test sorts Linux's names */
    int at = count++;
    while (at > 0 && strcmp(names[at - 1], entry.name) > 0) {
      strcpy(names[at], names[at - 1]);
      at--;
    }
    strcpy(names[at], entry.name);
  }
  emit("ok");
  for (int i = 0; i < count; i++) emit("%s%s", i == 0 ? " " : ",", names[i]);
  emit("\n");
}

static void run(int line, char **w, int words) {
  const char *op = w[0];
  int fd = words > 1 ? slot_fd(w[1]) : -1;
  char buffer[80];
  struct stat st;
  if (strcmp(op, "open") == 0 && words == 4) {
    int slot = atoi(w[1]);
    if (slot < 0 || slot >= SLOTS) return;
    if (slots[slot] >= 0) close(slots[slot]);
    slots[slot] = -1;
    int opened = open(w[2], open_flags(w[3]));
    if (ok(opened)) {
      slots[slot] = opened;
      emit("ok\n");
    }
  } else if (strcmp(op, "read") == 0 && words == 3) {
    int count = atoi(w[2]);
    if (count > (int)sizeof buffer - 1) count = sizeof buffer - 1;
    long got = read(fd, buffer, count);
    if (!ok(got)) return;
    for (long i = 0; i < got; i++)
      if (buffer[i] == 0) buffer[i] = '.';
    buffer[got] = 0;
    emit("ok %d %s\n", (int)got, buffer);
  } else if (strcmp(op, "write") == 0 && words == 3) {
    int count = atoi(w[2]);
    if (count > (int)sizeof buffer) count = sizeof buffer;
    memset(buffer, 'a' + line % 26, count);
    long wrote = write(fd, buffer, count);
    if (ok(wrote)) emit("ok %d\n", (int)wrote);
  } else if (strcmp(op, "seek") == 0 && words == 4) {
    long at = seek(fd, atoi(w[2]), atoi(w[3]));
    if (ok(at)) emit("ok %d\n", (int)at);
  } else if (strcmp(op, "close") == 0 && words == 2) {
    long closed = close(fd);
    if (fd >= 0) slots[atoi(w[1])] = -1;
    if (ok(closed)) emit("ok\n");
  } else if (strcmp(op, "fstat") == 0 && words == 2) {
    print_stat(fstat(fd, &st), &st);
  } else if (strcmp(op, "readdirfd") == 0 && words == 2) {
    if (fd < 0) emit("EBADF\n");
    else print_names(fd);
  } else if (strcmp(op, "stat") == 0 && words == 2) {
    print_stat(stat(w[1], &st), &st);
  } else if (strcmp(op, "readdir") == 0 && words == 2) {
    int dir = open(w[1], O_RDONLY | O_DIRECTORY);
    if (!ok(dir)) return;
    print_names(dir);
    close(dir);
  } else if (strcmp(op, "chdir") == 0 && words == 2) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", sandbox, w[1]);
    if (ok(chdir(path))) emit("ok\n");
  } else {
    long result = strcmp(op, "unlink") == 0 && words == 2   ? unlink(w[1])
                  : strcmp(op, "mkdir") == 0 && words == 2  ? mkdir(w[1])
                  : strcmp(op, "rmdir") == 0 && words == 2  ? rmdir(w[1])
                  : strcmp(op, "truncate") == 0 && words == 3 ? truncate(w[1], atoi(w[2]))
                  : strcmp(op, "link") == 0 && words == 3   ? link(w[1], w[2])
                  : strcmp(op, "rename") == 0 && words == 3 ? rename(w[1], w[2])
                                                            : -EINVAL;
    if (ok(result)) emit("ok\n");
  }
}

static char *read_file(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  size_t length = 0, capacity = 4096;
  char *text = malloc(capacity);
  for (;;) {
    if (length + 4096 + 1 > capacity) text = realloc(text, capacity *= 2);
    long got = read(fd, text + length, 4096);
    if (got <= 0) break;
    length += got;
  }
  close(fd);
  text[length] = 0;
  return text;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    printf("usage: fsdiff OPS RESULTS SANDBOX\n");
    return 2;
  }
  char *ops = read_file(argv[1]);
  if (!ops) {
    printf("fsdiff: cannot read %s\n", argv[1]);
    return 1;
  }
  sandbox = argv[3];
  if (chdir(sandbox) < 0) {
    printf("fsdiff: no sandbox %s\n", sandbox);
    return 1;
  }
  for (int i = 0; i < SLOTS; i++) slots[i] = -1;
  int line = 0;
  for (char *next = ops; *next; line++) {
    char *end = strchr(next, '\n');
    if (end) *end = 0;
    char *w[MAX_WORDS];
    int words = 0;
    for (char *word = next; *word && words < MAX_WORDS;) {
      while (*word == ' ') word++;
      if (!*word) break;
      w[words++] = word;
      char *space = strchr(word, ' ');
      if (!space) break;
      *space = 0;
      word = space + 1;
    }
    if (words > 0) run(line, w, words);
    if (!end) break;
    next = end + 1;
  }
  for (int i = 0; i < SLOTS; i++)
    if (slots[i] >= 0) close(slots[i]);
  chdir("/");
  int results = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC);
  for (size_t done = 0; results >= 0 && done < out_length;) {
    long wrote = write(results, out + done, out_length - done);
    if (wrote <= 0) break;
    done += wrote;
  }
  close(results);
  sync();
  printf("fsdiff: %d operations\n", line);
  return 0;
}
