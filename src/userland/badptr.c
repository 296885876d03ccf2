/*
 * badptr: hands the kernel bad pointers (NULL, the kernel image's address
 * 0x00100000, its own read-only code as a destination, a buffer running off
 * the end of a mapping) in many system calls, and prints each result. Every
 * one must fail with -EFAULT, without the process being killed: the kernel
 * checks user pointers before it touches them. Exits 0 if all did, 1 if not.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define KERNEL_IMAGE ((void *)0x00100000u)
#define PAGE 4096
#define FILL "0123456789abcdef0123456789abcdef"

static int failures;

static void expect_efault(const char *call, long result) {
  int ok = result == -EFAULT;
  if (!ok) failures++;
  printf("badptr: %-34s = %4d %-8s %s\n", call, (int)result, strerror(result), ok ? "ok" : "WRONG (expected EFAULT)");
}

int main(void) {
  void *text = (void *)(unsigned long)&main; /* mapped, readable, not writable */
  struct stat st;
  int fds[2];
  if (pipe(fds) < 0) {
    printf("badptr: pipe failed\n");
    return 1;
  }
  write(fds[1], FILL, sizeof FILL - 1); /* so that a read has something to deliver */

  /* Two fresh pages with the second unmapped again: a buffer from 4 bytes before the gap runs into it. */
  char *pages = mmap(2 * PAGE, PROT_READ | PROT_WRITE);
  char *crossing = NULL;
  if (!IS_ERROR(pages) && munmap(pages + PAGE, PAGE) == 0) {
    crossing = pages + PAGE - 4;
    memset(crossing, 'y', 4);
  } else {
    printf("badptr: mmap/munmap failed, skipping the crossing-buffer cases\n");
  }

  expect_efault("write(1, NULL, 10)", write(STDOUT_FILENO, NULL, 10));
  expect_efault("write(1, 0x00100000, 10)", write(STDOUT_FILENO, KERNEL_IMAGE, 10));
  expect_efault("read(pipe, NULL, 4)", read(fds[0], NULL, 4));
  expect_efault("read(pipe, 0x00100000, 4)", read(fds[0], KERNEL_IMAGE, 4));
  expect_efault("read(pipe, own text, 4)", read(fds[0], text, 4));
  if (crossing) {
    /* From the crossing buffer itself a write is partial (4 bytes), as on Linux: see hardening.c. */
    expect_efault("write(pipe, gap, 60)", write(fds[1], crossing + 4, 60));
    write(fds[1], FILL, sizeof FILL - 1); /* more than the 4 mapped bytes, whatever the reads above took */
    expect_efault("read(pipe, crossing, 64)", read(fds[0], crossing, 64));
  }
  expect_efault("open(NULL, O_RDONLY)", open(NULL, O_RDONLY));
  expect_efault("open(0x00100000, O_RDONLY)", open(KERNEL_IMAGE, O_RDONLY));
  expect_efault("stat(NULL, &st)", stat(NULL, &st));
  expect_efault("stat(\"/\", NULL)", stat("/", NULL));
  expect_efault("stat(\"/\", 0x00100000)", stat("/", KERNEL_IMAGE));
  expect_efault("stat(\"/\", own text)", stat("/", text));
  expect_efault("fstat(1, NULL)", fstat(STDOUT_FILENO, NULL));
  expect_efault("getcwd(NULL, 64)", getcwd(NULL, 64));
  expect_efault("getcwd(own text, 64)", getcwd(text, 64));
  expect_efault("uname(NULL)", uname(NULL));
  expect_efault("uname(0x00100000)", uname(KERNEL_IMAGE));
  expect_efault("uname(own text)", uname(text));
  expect_efault("pipe(NULL)", pipe(NULL));
  expect_efault("pipe(own text)", pipe(text));
  expect_efault("meminfo(own text)", meminfo(text));
  expect_efault("getrandom(NULL, 16)", getrandom(NULL, 16));
  expect_efault("getrandom(own text, 16)", getrandom(text, 16));
  expect_efault("chdir(NULL)", chdir(NULL));
  expect_efault("mkdir(0x00100000)", mkdir(KERNEL_IMAGE));
  expect_efault("exec(NULL, NULL)", exec(NULL, NULL));

  printf("badptr: %s (%d wrong)\n", failures ? "FAILED" : "all EFAULT", failures);
  return failures ? 1 : 0;
}
