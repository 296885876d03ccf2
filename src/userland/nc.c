/*
 * nc HOST PORT | nc -l PORT: a TCP connection between the console and the network.
 *   nc echo.cotton.test 7     connect, then type lines: each goes out, answers come back
 *   nc -l 5000                wait for one connection on port 5000, then the same
 * One loop waits with poll() on stdin and the socket at once: a line typed is
 * sent, bytes received are printed. End of input (Ctrl-D) sends a FIN with
 * shutdown(SHUT_WR) and nc goes on printing until the peer closes too.
 */
#include <poll.h>
#include <socket.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fail(const char *what, long result) {
  fprintf(STDERR_FILENO, "nc: %s: %s\n", what, strerror(result));
  return 1;
}

static int port_number(const char *text) {
  int port = atoi(text);
  return port > 0 && port <= 65535 ? port : -1;
}

static int send_all(int fd, const char *data, long length) {
  while (length > 0) {
    long sent = send(fd, data, (size_t)length, 0);
    if (sent < 0) return (int)sent;
    data += sent;
    length -= sent;
  }
  return 0;
}

/* Wait for one client on `port`; its connection's descriptor, or -errno. */
static int accept_one(int port) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0) return listener;
  struct sockaddr_in address = socket_address(htonl(INADDR_ANY), (uint16_t)port);
  int result = bind(listener, (struct sockaddr *)&address, sizeof address);
  if (result == 0) result = listen(listener, 1);
  if (result < 0) return result;
  struct sockaddr_in client;
  socklen_t length = sizeof client;
  int fd = accept(listener, (struct sockaddr *)&client, &length);
  close(listener);
  if (fd >= 0)
    fprintf(STDERR_FILENO, "nc: connection from %s:%d\n", inet_ntoa(client.sin_addr),
            ntohs(client.sin_port));
  return fd;
}

static int connect_to(const char *host, int port) {
  struct in_addr address;
  int result = resolve(host, &address);
  if (result < 0) return result;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return fd;
  struct sockaddr_in server = socket_address(address.s_addr, (uint16_t)port);
  result = connect(fd, (struct sockaddr *)&server, sizeof server);
  return result < 0 ? result : fd;
}

/* Copy stdin to the socket and the socket to stdout until the peer closes. */
static int relay(int fd) {
  struct pollfd watch[2] = {{fd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
  char buf[1024];
  for (;;) {
    int ready = poll(watch, 2, -1);
    if (ready < 0) return fail("poll", ready);
    if (watch[0].revents) {
      long got = recv(fd, buf, sizeof buf, 0);
      if (got < 0) return fail("recv", got);
      if (got == 0) return 0;
      write(STDOUT_FILENO, buf, (size_t)got);
    }
    if (watch[1].revents) {
      long got = read(STDIN_FILENO, buf, sizeof buf);
      if (got <= 0) {
        watch[1].fd = -1; /* stdin is done: poll only the socket from now on */
        shutdown(fd, SHUT_WR);
      } else {
        int result = send_all(fd, buf, got);
        if (result < 0) return fail("send", result);
      }
    }
  }
}

int main(int argc, char **argv) {
  int fd;
  if (argc == 3 && strcmp(argv[1], "-l") == 0 && port_number(argv[2]) > 0) {
    fd = accept_one(port_number(argv[2]));
    if (fd < 0) return fail("listen", fd);
  } else if (argc == 3 && strcmp(argv[1], "-l") != 0 && port_number(argv[2]) > 0) {
    fd = connect_to(argv[1], port_number(argv[2]));
    if (fd < 0) return fail(argv[1], fd);
  } else {
    fprintf(STDERR_FILENO, "usage: nc HOST PORT | nc -l PORT\n");
    return 2;
  }
  int status = relay(fd);
  close(fd);
  return status;
}
