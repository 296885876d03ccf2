/*
 * Formatted output straight to file descriptors (no FILE streams):
 * printf to fd 1, fprintf to any fd. Conversions %d %i %u %x %X %p %s %c %%,
 * with a width, the '-' (left-justify) and '0' (zero-pad) flags and the 'l'
 * length (long is 32 bits here, as int is).
 */
#ifndef COTTON_STDIO_H
#define COTTON_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int printf(const char *format, ...) __attribute__((format(printf, 1, 2)));
int fprintf(int fd, const char *format, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *buf, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));
int vfprintf(int fd, const char *format, va_list args);
int vsnprintf(char *buf, size_t size, const char *format, va_list args);
/* Writes s and a newline to fd 1. */
int puts(const char *s);
int putchar(int c);

#endif
