/*
 * wintest: the window calls with bad arguments, each checked against its
 * errno, and once correctly. Without a desktop, window_open must say ENODEV
 * (and wintest stops there, exit 2). With one: descriptors that are not
 * windows (EBADF), pointers that are not the caller's (EFAULT), sizes and
 * rectangles out of range (EINVAL), an empty queue with WINDOW_NONBLOCK
 * (EAGAIN), a window used after close (EBADF) and the pixels unmapped under
 * window_present (EFAULT). Prints one line per call; exits 0 if all matched.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <window.h>

#define KERNEL_IMAGE ((void *)0x00100000)

static int failures;

static void expect(const char *call, long result, long wanted) {
  int ok = result == wanted;
  if (!ok) failures++;
  printf("wintest: %-36s = %4d %-7s %s\n", call, (int)result, strerror(result), ok ? "ok" : "WRONG");
}

int main(void) {
  int fd = window_open(64, 48, "wintest");
  if (fd == -ENODEV) {
    expect("window_open without a desktop", fd, -ENODEV);
    return failures ? 1 : 2;
  }
  expect("window_open(64, 48) >= 0", fd >= 0 ? 0 : fd, 0);
  struct window_event event;
  expect("window_open(0, 48)", window_open(0, 48, "zero"), -EINVAL);
  expect("window_open(64, 10000)", window_open(64, 10000, "tall"), -EINVAL);
  expect("window_open(64, 48, NULL)", window_open(64, 48, 0), -EFAULT);
  expect("window_open(64, 48, kernel)", window_open(64, 48, KERNEL_IMAGE), -EFAULT);
  expect("window_map(1) on the console", (long)window_map(1), -EBADF);
  expect("window_map(42)", (long)window_map(42), -EBADF);
  expect("window_present(-1, ...)", window_present(-1, 0, 0, 1, 1), -EBADF);
  expect("window_event(30, ...)", window_event(30, &event, 0), -EBADF);
  expect("window_present before window_map", window_present(fd, 0, 0, 1, 1), -EINVAL);
  uint32_t *pixels = window_map(fd);
  expect("window_map(fd) is an address", IS_ERROR(pixels) ? (long)pixels : 0, 0);
  expect("window_map(fd) again: the same", window_map(fd) == pixels, 1);
  for (int i = 0; i < 64 * 48; i++) pixels[i] = 0x2050e0;
  expect("window_present(fd, whole)", window_present(fd, 0, 0, 64, 48), 0);
  expect("window_present(fd, past the edge)", window_present(fd, 60, 0, 8, 8), -EINVAL);
  expect("window_present(fd, negative)", window_present(fd, -1, 0, 8, 8), -EINVAL);
  expect("window_event(fd, NULL)", window_event(fd, 0, WINDOW_NONBLOCK), -EFAULT);
  expect("window_event(fd, kernel)", window_event(fd, KERNEL_IMAGE, WINDOW_NONBLOCK), -EFAULT);
  expect("window_event(fd, text)", window_event(fd, (void *)&main, WINDOW_NONBLOCK), -EFAULT);
  expect("window_event(fd, &e, 8)", window_event(fd, &event, 8), -EINVAL);
  expect("window_event(fd, NONBLOCK), none", window_event(fd, &event, WINDOW_NONBLOCK), -EAGAIN);
  expect("read(fd) on a window", read(fd, &event, sizeof event), -EINVAL);
  expect("munmap(pixels)", munmap(pixels, 64 * 48 * 4), 0);
  expect("window_present after munmap", window_present(fd, 0, 0, 64, 48), -EFAULT);
  expect("close(fd)", close(fd), 0);
  expect("window_present after close", window_present(fd, 0, 0, 1, 1), -EBADF);
  printf("wintest: %s\n", failures ? "FAILED" : "all ok");
  return failures ? 1 : 0;
}
