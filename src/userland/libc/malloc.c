/*
 * malloc, free, calloc, realloc: a first-fit allocator over memory from sbrk.
 *
 * Every block starts with an 8-byte header holding its size (header included,
 * a multiple of 8). Free blocks also use their second word as a link in the
 * free list, which is kept sorted by address so that free() can merge a block
 * with the free neighbours it touches (coalescing): without that, a program
 * that frees and allocates blocks of different sizes would fragment the heap
 * into pieces too small to reuse. The heap only grows; memory is never given
 * back to the kernel.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALIGNMENT 8
#define HEADER_BYTES 8
#define MIN_BLOCK_BYTES 16
#define GROW_BYTES (64 * 1024)
#define PAGE_BYTES 4096

struct block {
  size_t size;
  struct block *next; /* free blocks only */
};

static struct block *free_list;

static size_t round_up(size_t n, size_t to) { return (n + to - 1) & ~(to - 1); }

static void *payload_of(struct block *b) { return (char *)b + HEADER_BYTES; }
static struct block *block_of(void *payload) { return (struct block *)((char *)payload - HEADER_BYTES); }
static int touches(struct block *a, struct block *b) { return (char *)a + a->size == (char *)b; }

/* Puts a block into the address-ordered free list, merging it with neighbours it touches. */
static void insert_free(struct block *b) {
  struct block *prev = NULL, *next = free_list;
  while (next && next < b) prev = next, next = next->next;
  b->next = next;
  if (next && touches(b, next)) {
    b->size += next->size;
    b->next = next->next;
  }
  if (prev && touches(prev, b)) {
    prev->size += b->size;
    prev->next = b->next;
  } else if (prev) {
    prev->next = b;
  } else {
    free_list = b;
  }
}

/* Asks the kernel for at least `bytes` more heap and adds it to the free list. */
static int grow_heap(size_t bytes) {
  char *old_break = sbrk(0);
  if (old_break == (void *)-1) return 0;
  size_t pad = round_up((size_t)old_break, ALIGNMENT) - (size_t)old_break;
  size_t size = round_up(bytes > GROW_BYTES ? bytes : GROW_BYTES, PAGE_BYTES);
  if (sbrk((long)(pad + size)) == (void *)-1) return 0;
  struct block *b = (struct block *)(old_break + pad);
  b->size = size;
  insert_free(b);
  return 1;
}

/* First fit: the first free block big enough, split if the rest is worth keeping. */
static void *take_free(size_t need) {
  struct block **link = &free_list;
  for (struct block *b = free_list; b; link = &b->next, b = b->next) {
    if (b->size < need) continue;
    if (b->size - need >= MIN_BLOCK_BYTES) {
      struct block *rest = (struct block *)((char *)b + need);
      rest->size = b->size - need;
      rest->next = b->next;
      *link = rest;
      b->size = need;
    } else {
      *link = b->next;
    }
    return payload_of(b);
  }
  return NULL;
}

void *malloc(size_t size) {
  if (size == 0 || size > 0x7fff0000u) return NULL;
  size_t need = round_up(size, ALIGNMENT) + HEADER_BYTES;
  if (need < MIN_BLOCK_BYTES) need = MIN_BLOCK_BYTES;
  void *p = take_free(need);
  if (!p && grow_heap(need)) p = take_free(need);
  return p;
}

void free(void *pointer) {
  if (pointer) insert_free(block_of(pointer));
}

void *calloc(size_t count, size_t size) {
  if (size && count > 0xffffffffu / size) return NULL;
  void *p = malloc(count * size);
  if (p) memset(p, 0, count * size);
  return p;
}

void *realloc(void *pointer, size_t size) {
  if (!pointer) return malloc(size);
  if (size == 0) {
    free(pointer);
    return NULL;
  }
  size_t have = block_of(pointer)->size - HEADER_BYTES;
  if (size <= have) return pointer;
  void *p = malloc(size);
  if (p) {
    memcpy(p, pointer, have);
    free(pointer);
  }
  return p;
}
