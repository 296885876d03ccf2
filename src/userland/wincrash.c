/*
 * wincrash: opens a red window, waits for a key press in it, then reads
 * address 0 and is killed for it. The kernel closes the dead program's
 * descriptors, the window among them, so the window must disappear and the
 * desktop go on (test/kernel/gui/user-windows.test.ts).
 */
#include <stdio.h>
#include <unistd.h>
#include <window.h>

#define WIDTH 200
#define HEIGHT 120

int main(void) {
  int fd = window_open(WIDTH, HEIGHT, "wincrash");
  if (fd < 0) {
    printf("wincrash: window_open: %s\n", strerror(fd));
    return 1;
  }
  uint32_t *pixels = window_map(fd);
  if (IS_ERROR(pixels)) {
    printf("wincrash: window_map: %s\n", strerror((long)pixels));
    return 1;
  }
  for (int i = 0; i < WIDTH * HEIGHT; i++) pixels[i] = 0xff0000;
  window_present(fd, 0, 0, WIDTH, HEIGHT);
  printf("wincrash: window open; press a key in it to crash\n");
  struct window_event event;
  do {
    if (window_event(fd, &event, 0) != 1) return 1;
  } while (!(event.type == WINDOW_EVENT_KEY && (event.key_flags & WINDOW_KEY_PRESSED)));
  printf("wincrash: crashing with the window open: %u\n", *(volatile unsigned *)0);
  return 1;
}
