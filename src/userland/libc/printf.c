/*
 * printf and friends. One formatter writes into a sink: either a small buffer
 * flushed to a file descriptor with write() (so a line is one system call,
 * not one per character) or a caller's string (snprintf).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct sink {
  int fd;     /* -1: a string */
  char *buf;
  size_t cap; /* bytes the buffer can hold */
  size_t len; /* bytes in the buffer now */
  int total;  /* bytes produced, as printf returns */
};

static void flush(struct sink *out) {
  if (out->fd >= 0 && out->len) write(out->fd, out->buf, out->len);
  if (out->fd >= 0) out->len = 0;
}

static void emit(struct sink *out, char c) {
  out->total++;
  if (out->fd < 0) {
    if (out->len + 1 < out->cap) out->buf[out->len++] = c; /* keep room for the NUL */
    return;
  }
  out->buf[out->len++] = c;
  if (out->len == out->cap) flush(out);
}

struct spec {
  int left;  /* '-' */
  char pad;  /* ' ' or '0' */
  int width;
};

static void emit_padded(struct sink *out, const struct spec *spec, const char *text, size_t length) {
  int fill = spec->width > (int)length ? spec->width - (int)length : 0;
  if (!spec->left)
    while (fill-- > 0) emit(out, spec->pad);
  for (size_t i = 0; i < length; i++) emit(out, text[i]);
  if (spec->left)
    while (fill-- > 0) emit(out, ' ');
}

/* A number in `base`; zero padding goes between the sign and the digits. */
static void emit_number(struct sink *out, const struct spec *spec, unsigned long value, int negative, unsigned base,
                        const char *digits, const char *prefix) {
  char text[16];
  int i = (int)sizeof text;
  do {
    text[--i] = digits[value % base];
    value /= base;
  } while (value);
  size_t prefix_length = negative ? 1 : strlen(prefix);
  const char *lead = negative ? "-" : prefix;
  size_t length = sizeof text - (size_t)i;
  if (spec->pad == '0' && !spec->left) {
    for (size_t k = 0; k < prefix_length; k++) emit(out, lead[k]);
    struct spec rest = {0, '0', spec->width - (int)prefix_length};
    emit_padded(out, &rest, text + i, length);
    return;
  }
  char whole[20];
  memcpy(whole, lead, prefix_length);
  memcpy(whole + prefix_length, text + i, length);
  emit_padded(out, spec, whole, prefix_length + length);
}

static const char LOWER[] = "0123456789abcdef";
static const char UPPER[] = "0123456789ABCDEF";

static void format(struct sink *out, const char *f, va_list args) {
  for (; *f; f++) {
    if (*f != '%') {
      emit(out, *f);
      continue;
    }
    struct spec spec = {0, ' ', 0};
    for (f++; *f == '-' || *f == '0'; f++) {
      if (*f == '-') spec.left = 1;
      else spec.pad = '0';
    }
    while (isdigit(*f)) spec.width = spec.width * 10 + (*f++ - '0');
    while (*f == 'l') f++; /* long is int-sized on RV32 */
    switch (*f) {
    case 'd':
    case 'i': {
      long v = va_arg(args, long);
      emit_number(out, &spec, v < 0 ? 0ul - (unsigned long)v : (unsigned long)v, v < 0, 10, LOWER, "");
      break;
    }
    case 'u': emit_number(out, &spec, va_arg(args, unsigned long), 0, 10, LOWER, ""); break;
    case 'x': emit_number(out, &spec, va_arg(args, unsigned long), 0, 16, LOWER, ""); break;
    case 'X': emit_number(out, &spec, va_arg(args, unsigned long), 0, 16, UPPER, ""); break;
    case 'p': emit_number(out, &spec, (unsigned long)va_arg(args, void *), 0, 16, LOWER, "0x"); break;
    case 's': {
      const char *s = va_arg(args, const char *);
      if (!s) s = "(null)";
      spec.pad = ' ';
      emit_padded(out, &spec, s, strlen(s));
      break;
    }
    case 'c': {
      char c = (char)va_arg(args, int);
      spec.pad = ' ';
      emit_padded(out, &spec, &c, 1);
      break;
    }
    case '%': emit(out, '%'); break;
    case '\0': return; /* a lone '%' at the end */
    default: /* unknown: print it as written */
      emit(out, '%');
      emit(out, *f);
    }
  }
}

int vfprintf(int fd, const char *f, va_list args) {
  char buf[128];
  struct sink out = {fd, buf, sizeof buf, 0, 0};
  format(&out, f, args);
  flush(&out);
  return out.total;
}

int vsnprintf(char *buf, size_t size, const char *f, va_list args) {
  struct sink out = {-1, buf, size, 0, 0};
  format(&out, f, args);
  if (size) buf[out.len] = 0;
  return out.total;
}

int printf(const char *f, ...) {
  va_list args;
  va_start(args, f);
  int n = vfprintf(STDOUT_FILENO, f, args);
  va_end(args);
  return n;
}

int fprintf(int fd, const char *f, ...) {
  va_list args;
  va_start(args, f);
  int n = vfprintf(fd, f, args);
  va_end(args);
  return n;
}

int snprintf(char *buf, size_t size, const char *f, ...) {
  va_list args;
  va_start(args, f);
  int n = vsnprintf(buf, size, f, args);
  va_end(args);
  return n;
}

int puts(const char *s) {
  size_t n = strlen(s);
  if (write(STDOUT_FILENO, s, n) < 0 || write(STDOUT_FILENO, "\n", 1) < 0) return -1;
  return (int)n + 1;
}

int putchar(int c) {
  char ch = (char)c;
  return write(STDOUT_FILENO, &ch, 1) == 1 ? (unsigned char)c : -1;
}
