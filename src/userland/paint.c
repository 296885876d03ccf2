/*
 * paint: draw with the mouse in a window. Hold the left button and move to
 * draw; click a colour in the palette at the top to change colour; the C key
 * clears the canvas. Closing the window ends the program.
 *
 * Each stroke is drawn into the window's pixels and only the rectangle it
 * touched is presented, as a real client reports its damage.
 */
#include <stdio.h>
#include <unistd.h>
#include <window.h>

#define WIDTH 320
#define HEIGHT 240
#define PALETTE_HEIGHT 24
#define SWATCH 20
#define SWATCH_STEP 26
#define BRUSH_HALF 2

#define CANVAS 0xffffff
#define PALETTE_BACKGROUND 0xdcdcdc
#define SELECTED_FRAME 0x000000

static const uint32_t COLOURS[] = {0x000000, 0xe02020, 0x20a040, 0x2050e0, 0xf0a020, 0x9030c0};
#define COLOUR_COUNT (int)(sizeof COLOURS / sizeof COLOURS[0])

static uint32_t *pixels;
static int fd;
static int selected;

static int min(int a, int b) { return a < b ? a : b; }
static int max(int a, int b) { return a > b ? a : b; }

static void fill_rect(int x, int y, int w, int h, uint32_t colour) {
  for (int row = max(y, 0); row < min(y + h, HEIGHT); row++)
    for (int col = max(x, 0); col < min(x + w, WIDTH); col++) pixels[row * WIDTH + col] = colour;
}

/* Present the rectangle, cut to the window. */
static void present(int x0, int y0, int x1, int y1) {
  x0 = max(x0, 0), y0 = max(y0, 0), x1 = min(x1, WIDTH), y1 = min(y1, HEIGHT);
  if (x1 > x0 && y1 > y0) window_present(fd, x0, y0, x1 - x0, y1 - y0);
}

static void draw_palette(void) {
  fill_rect(0, 0, WIDTH, PALETTE_HEIGHT, PALETTE_BACKGROUND);
  for (int i = 0; i < COLOUR_COUNT; i++) {
    int x = 4 + i * SWATCH_STEP;
    if (i == selected) fill_rect(x - 2, 0, SWATCH + 4, SWATCH + 4, SELECTED_FRAME);
    fill_rect(x, 2, SWATCH, SWATCH, COLOURS[i]);
  }
  present(0, 0, WIDTH, PALETTE_HEIGHT);
}

static void clear_canvas(void) {
  fill_rect(0, PALETTE_HEIGHT, WIDTH, HEIGHT - PALETTE_HEIGHT, CANVAS);
  present(0, PALETTE_HEIGHT, WIDTH, HEIGHT);
}

/* A brush square at (x, y), kept off the palette. */
static void dab(int x, int y) {
  int top = max(y - BRUSH_HALF, PALETTE_HEIGHT);
  fill_rect(x - BRUSH_HALF, top, 2 * BRUSH_HALF + 1, y + BRUSH_HALF + 1 - top, COLOURS[selected]);
}

/* A stroke from (x0, y0) to (x1, y1) by Bresenham's algorithm, then its rectangle presented. */
static void stroke(int x0, int y0, int x1, int y1) {
  int left = min(x0, x1) - BRUSH_HALF, right = max(x0, x1) + BRUSH_HALF + 1;
  int top = min(y0, y1) - BRUSH_HALF, bottom = max(y0, y1) + BRUSH_HALF + 1;
  int dx = x1 > x0 ? x1 - x0 : x0 - x1, sx = x0 < x1 ? 1 : -1;
  int dy = y1 > y0 ? y0 - y1 : y1 - y0, sy = y0 < y1 ? 1 : -1;
  int error = dx + dy;
  for (;;) {
    dab(x0, y0);
    if (x0 == x1 && y0 == y1) break;
    int twice = 2 * error;
    if (twice >= dy) error += dy, x0 += sx;
    if (twice <= dx) error += dx, y0 += sy;
  }
  present(left, max(top, PALETTE_HEIGHT), right, bottom);
}

/* A click in the palette: the swatch under it, or -1. */
static int swatch_at(int x, int y) {
  if (y >= PALETTE_HEIGHT) return -1;
  for (int i = 0; i < COLOUR_COUNT; i++) {
    int left = 4 + i * SWATCH_STEP;
    if (x >= left && x < left + SWATCH) return i;
  }
  return -1;
}

int main(void) {
  fd = window_open(WIDTH, HEIGHT, "Paint");
  if (fd < 0) {
    printf("paint: window_open: %s\n", strerror(fd));
    return 1;
  }
  pixels = window_map(fd);
  if (IS_ERROR(pixels)) {
    printf("paint: window_map: %s\n", strerror((long)pixels));
    return 1;
  }
  draw_palette();
  clear_canvas();
  int drawing = 0, last_x = 0, last_y = 0;
  struct window_event event;
  while (window_event(fd, &event, 0) == 1) {
    if (event.type == WINDOW_EVENT_CLOSE) break;
    if (event.type == WINDOW_EVENT_KEY && (event.key_flags & WINDOW_KEY_PRESSED) &&
        (event.character == 'c' || event.character == 'C')) {
      clear_canvas();
    } else if (event.type == WINDOW_EVENT_MOUSE_DOWN && (event.buttons & WINDOW_BUTTON_LEFT)) {
      int swatch = swatch_at(event.x, event.y);
      if (swatch >= 0) {
        selected = swatch;
        draw_palette();
      } else {
        drawing = 1, last_x = event.x, last_y = event.y;
        stroke(last_x, last_y, last_x, last_y);
      }
    } else if (event.type == WINDOW_EVENT_MOUSE_MOVE && drawing) {
      stroke(last_x, last_y, event.x, event.y);
      last_x = event.x, last_y = event.y;
    } else if (event.type == WINDOW_EVENT_MOUSE_UP && !(event.buttons & WINDOW_BUTTON_LEFT)) {
      drawing = 0;
    }
  }
  close(fd);
  return 0;
}
