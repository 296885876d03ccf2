/*
 * poll(): wait until one of several descriptors (sockets, the console, pipes)
 * can be read or written, as Linux's poll.h declares it.
 */
#ifndef COTTON_POLL_H
#define COTTON_POLL_H

/* Events (Linux's values): asked for in events; POLLERR, POLLHUP and POLLNVAL are always reported. */
#define POLLIN 0x1   /* data to read (or a connection to accept, or the end of the stream) */
#define POLLOUT 0x4  /* room to write */
#define POLLERR 0x8  /* the connection failed */
#define POLLHUP 0x10 /* the peer closed */
#define POLLNVAL 0x20 /* fd is not open */

/* 8 bytes. A negative fd is skipped (its revents is 0). */
struct pollfd {
  int fd;
  short events;
  short revents;
};

/*
 * Waits until some descriptor has an event, or timeout_ms of the machine's
 * clock have passed (-1: no limit, 0: just look). Returns how many entries
 * have a nonzero revents (0 on timeout), or -errno (-EINTR for Ctrl-C).
 */
int poll(struct pollfd *fds, unsigned int count, int timeout_ms);

#endif
