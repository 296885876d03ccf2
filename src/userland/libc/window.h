/*
 * Windows on the desktop for user programs (the kernel's side is
 * src/kernel/syscall/window-calls.ts). A window is a file descriptor:
 *
 *   int fd = window_open(200, 100, "hello");       -ENODEV if no desktop runs
 *   uint32_t *pixels = window_map(fd);             200 x 100 pixels, 0x00RRGGBB
 *   pixels[y * 200 + x] = 0xff0000;                draw in your own memory ...
 *   window_present(fd, 0, 0, 200, 100);            ... then show what changed
 *   struct window_event event;
 *   while (window_event(fd, &event, 0) == 1 && event.type != WINDOW_EVENT_CLOSE) ...
 *   close(fd);                                     (exit closes it too)
 */
#ifndef COTTON_WINDOW_H
#define COTTON_WINDOW_H

#include <stdint.h>

/* The largest window a program may open. */
#define WINDOW_MAX_WIDTH 640
#define WINDOW_MAX_HEIGHT 480
#define WINDOW_TITLE_MAX_BYTES 63

/* window_event()'s flag: return -EAGAIN instead of waiting when no event is queued. */
#define WINDOW_NONBLOCK 1

/* Event types. */
#define WINDOW_EVENT_KEY 1
#define WINDOW_EVENT_MOUSE_MOVE 2
#define WINDOW_EVENT_MOUSE_DOWN 3
#define WINDOW_EVENT_MOUSE_UP 4
#define WINDOW_EVENT_CLOSE 5 /* the close button: close the descriptor (later calls: -EPIPE) */

/* key_flags of a key event. */
#define WINDOW_KEY_PRESSED 1 /* pressed (else released) */
#define WINDOW_KEY_SHIFT 2
#define WINDOW_KEY_CTRL 4
#define WINDOW_KEY_ALT 8

/* Mouse buttons, in buttons. */
#define WINDOW_BUTTON_LEFT 1
#define WINDOW_BUTTON_RIGHT 2
#define WINDOW_BUTTON_MIDDLE 4

/* 24 bytes. */
struct window_event {
  uint32_t type;
  int32_t x; /* mouse events: the pointer, from the window's top-left pixel */
  int32_t y; /* (outside the window while a held button drags out of it) */
  uint32_t buttons;   /* mouse events: the buttons held after the event */
  uint32_t character; /* key events: the character typed (Unicode), 0 for keys that type none */
  uint32_t key_flags; /* key events: WINDOW_KEY_* */
};

/* A new window of width x height pixels: its descriptor, or -errno. */
int window_open(int width, int height, const char *title);
/* The window's pixels in this process (width * height words, row after row), or -errno (IS_ERROR). */
uint32_t *window_map(int fd);
/* Show the rectangle of the pixels that changed: 0, or -errno. */
int window_present(int fd, int x, int y, int width, int height);
/* The next event into *event: 1; waits for one unless flags has WINDOW_NONBLOCK (-EAGAIN). */
int window_event(int fd, struct window_event *event, int flags);

#endif
