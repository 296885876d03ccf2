/* The heap (malloc.c) and the few other stdlib functions. */
#ifndef COTTON_STDLIB_H
#define COTTON_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void free(void *pointer);
void *calloc(size_t count, size_t size);
void *realloc(void *pointer, size_t size);
int atoi(const char *s);
void exit(int status) __attribute__((noreturn));

#endif
