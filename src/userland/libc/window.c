/* The window system call wrappers (window.h). */
#include <unistd.h>
#include <window.h>

int window_open(int width, int height, const char *title) {
  return (int)syscall(SYS_WINDOW_OPEN, width, height, (long)title, 0, 0, 0);
}
uint32_t *window_map(int fd) { return (uint32_t *)syscall(SYS_WINDOW_MAP, fd, 0, 0, 0, 0, 0); }
int window_present(int fd, int x, int y, int width, int height) {
  return (int)syscall(SYS_WINDOW_PRESENT, fd, x, y, width, height, 0);
}
int window_event(int fd, struct window_event *event, int flags) {
  return (int)syscall(SYS_WINDOW_EVENT, fd, (long)event, flags, 0, 0, 0);
}
