/*
 * clock: an analog clock in a window, with the time in seven-segment digits
 * below it, from the time system call (UTC, from the machine's RTC). Looks at
 * the time four times a second and redraws when the second has changed;
 * closing the window ends the program.
 *
 * There is no floating point (the user CPU is RV32IM), so the hands' angles
 * come from a table of sines for one quarter turn, in thousandths.
 */
#include <stdio.h>
#include <unistd.h>
#include <window.h>

#define WIDTH 180
#define HEIGHT 214
#define CENTRE_X 90
#define CENTRE_Y 90
#define FACE_RADIUS 82
#define POLL_MS 250

#define BACKGROUND 0xf4f4f4
#define FACE 0xffffff
#define RIM 0x303030
#define HOUR_HAND 0x202020
#define MINUTE_HAND 0x404040
#define SECOND_HAND 0xd03030
#define DIGITS 0x1e6e3a

static uint32_t *pixels;

/* sin(6 degrees * i) * 1000 for i = 0 ... 15: a quarter turn in minute steps. */
static const int QUARTER_SINE[16] = {0,   105, 208, 309, 407, 500, 588, 669,
                                     743, 809, 866, 914, 951, 978, 995, 1000};

/* sin and cos of minute position i (0 ... 59, clockwise from 12), in thousandths. */
static int sine60(int i) {
  i %= 60;
  int r = i % 15;
  switch (i / 15) {
  case 0: return QUARTER_SINE[r];
  case 1: return QUARTER_SINE[15 - r];
  case 2: return -QUARTER_SINE[r];
  default: return -QUARTER_SINE[15 - r];
  }
}
static int cosine60(int i) { return sine60(i + 15); }

static void fill_rect(int x, int y, int w, int h, uint32_t colour) {
  for (int row = y; row < y + h; row++)
    for (int col = x; col < x + w; col++)
      if (row >= 0 && row < HEIGHT && col >= 0 && col < WIDTH) pixels[row * WIDTH + col] = colour;
}

static void fill_circle(int cx, int cy, int radius, uint32_t colour) {
  for (int dy = -radius; dy <= radius; dy++)
    for (int dx = -radius; dx <= radius; dx++)
      if (dx * dx + dy * dy <= radius * radius) fill_rect(cx + dx, cy + dy, 1, 1, colour);
}

/* A line of squares `2 * half + 1` pixels wide, by Bresenham's algorithm. */
static void thick_line(int x0, int y0, int x1, int y1, int half, uint32_t colour) {
  int dx = x1 > x0 ? x1 - x0 : x0 - x1, sx = x0 < x1 ? 1 : -1;
  int dy = y1 > y0 ? y0 - y1 : y1 - y0, sy = y0 < y1 ? 1 : -1;
  int error = dx + dy;
  for (;;) {
    fill_rect(x0 - half, y0 - half, 2 * half + 1, 2 * half + 1, colour);
    if (x0 == x1 && y0 == y1) return;
    int twice = 2 * error;
    if (twice >= dy) error += dy, x0 += sx;
    if (twice <= dx) error += dx, y0 += sy;
  }
}

/* A hand from the centre towards minute position `position`, `length` pixels long. */
static void hand(int position, int length, int half, uint32_t colour) {
  thick_line(CENTRE_X, CENTRE_Y, CENTRE_X + length * sine60(position) / 1000,
             CENTRE_Y - length * cosine60(position) / 1000, half, colour);
}

/* Seven-segment digits: bit 0 top, 1 top right, 2 bottom right, 3 bottom, 4 bottom left, 5 top left, 6 middle. */
static const uint8_t SEGMENTS[10] = {0x3f, 0x06, 0x5b, 0x4f, 0x66, 0x6d, 0x7d, 0x07, 0x7f, 0x6f};
#define DIGIT_W 12
#define DIGIT_H 20
#define SEGMENT 2

static void digit(int x, int y, int value) {
  uint8_t on = SEGMENTS[value];
  int half = DIGIT_H / 2;
  if (on & 1) fill_rect(x, y, DIGIT_W, SEGMENT, DIGITS);
  if (on & 2) fill_rect(x + DIGIT_W - SEGMENT, y, SEGMENT, half, DIGITS);
  if (on & 4) fill_rect(x + DIGIT_W - SEGMENT, y + half, SEGMENT, half, DIGITS);
  if (on & 8) fill_rect(x, y + DIGIT_H - SEGMENT, DIGIT_W, SEGMENT, DIGITS);
  if (on & 16) fill_rect(x, y + half, SEGMENT, half, DIGITS);
  if (on & 32) fill_rect(x, y, SEGMENT, half, DIGITS);
  if (on & 64) fill_rect(x, y + half - SEGMENT / 2, DIGIT_W, SEGMENT, DIGITS);
}

/* HH:MM:SS, centred under the face. */
static void digital(int hours, int minutes, int seconds) {
  int values[3] = {hours, minutes, seconds};
  int x = (WIDTH - (6 * DIGIT_W + 5 * 4 + 2 * 8)) / 2, y = HEIGHT - DIGIT_H - 8;
  for (int i = 0; i < 3; i++) {
    digit(x, y, values[i] / 10);
    digit(x + DIGIT_W + 4, y, values[i] % 10);
    x += 2 * DIGIT_W + 4;
    if (i < 2) {
      fill_rect(x + 3, y + 5, SEGMENT, SEGMENT, DIGITS);
      fill_rect(x + 3, y + DIGIT_H - 7, SEGMENT, SEGMENT, DIGITS);
      x += 8;
    }
  }
}

static void draw(long now) {
  int seconds = (int)(now % 60), minutes = (int)(now / 60 % 60), hours = (int)(now / 3600 % 24);
  fill_rect(0, 0, WIDTH, HEIGHT, BACKGROUND);
  fill_circle(CENTRE_X, CENTRE_Y, FACE_RADIUS, RIM);
  fill_circle(CENTRE_X, CENTRE_Y, FACE_RADIUS - 3, FACE);
  for (int mark = 0; mark < 60; mark += 5) {
    int x = CENTRE_X + 70 * sine60(mark) / 1000, y = CENTRE_Y - 70 * cosine60(mark) / 1000;
    fill_rect(x - 2, y - 2, 5, 5, RIM);
  }
  hand(hours % 12 * 5 + minutes / 12, 42, 2, HOUR_HAND);
  hand(minutes, 62, 1, MINUTE_HAND);
  hand(seconds, 68, 0, SECOND_HAND);
  fill_circle(CENTRE_X, CENTRE_Y, 4, SECOND_HAND);
  digital(hours, minutes, seconds);
}

/* Take every waiting event; returns 1 if one was the close button. */
static int closed(int fd) {
  struct window_event event;
  while (window_event(fd, &event, WINDOW_NONBLOCK) == 1)
    if (event.type == WINDOW_EVENT_CLOSE) return 1;
  return 0;
}

int main(void) {
  int fd = window_open(WIDTH, HEIGHT, "Clock");
  if (fd < 0) {
    printf("clock: window_open: %s\n", strerror(fd));
    return 1;
  }
  pixels = window_map(fd);
  if (IS_ERROR(pixels)) {
    printf("clock: window_map: %s\n", strerror((long)pixels));
    return 1;
  }
  long shown = -1;
  while (!closed(fd)) {
    long now = time();
    if (now != shown) {
      draw(now);
      window_present(fd, 0, 0, WIDTH, HEIGHT);
      shown = now;
    }
    sleep_ms(POLL_MS);
  }
  close(fd);
  return 0;
}
