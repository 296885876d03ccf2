/*
 * socktest: the socket calls' answers, right and wrong. Bad descriptors,
 * bad addresses and bad pointers must give the errno Linux gives, never a
 * dead process or kernel; a connect to a port nobody listens on must be
 * refused; then UDP to the echo service, a TCP connection to a listener of
 * our own over the machine's own address, and poll's timeout, POLLNVAL and
 * pipes.
 * Prints one line per check; exits 0 if all matched.
 */
#include <poll.h>
#include <socket.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define KERNEL_ADDRESS ((void *)0x00100000)

static int failures;

static void expect(const char *what, long result, long wanted) {
  int ok = result == wanted;
  if (!ok) failures++;
  printf("socktest: %-44s = %4d %-12s %s\n", what, (int)result, strerror(result),
         ok ? "ok" : "WRONG");
}

static struct sockaddr *as_address(struct sockaddr_in *address) {
  return (struct sockaddr *)address;
}

static struct in_addr lookup(const char *name) {
  struct in_addr address = {0};
  expect(name, resolve(name, &address), 0);
  return address;
}

static void bad_arguments(void) {
  struct sockaddr_in address = socket_address(inet_addr("10.0.2.2"), 80);
  char buf[16];
  int file = open("/bin/hello", O_RDONLY);
  expect("socket(AF_INET6=10, SOCK_STREAM, 0)", socket(10, SOCK_STREAM, 0), -EAFNOSUPPORT);
  expect("socket(AF_INET, 7, 0)", socket(AF_INET, 7, 0), -EINVAL);
  expect("socket(AF_INET, SOCK_STREAM, UDP=17)", socket(AF_INET, SOCK_STREAM, 17), -EPROTONOSUPPORT);
  expect("connect(42, ...) closed descriptor", connect(42, as_address(&address), sizeof address),
         -EBADF);
  expect("send(-1, ...)", send(-1, "x", 1, 0), -EBADF);
  expect("connect(file, ...) not a socket", connect(file, as_address(&address), sizeof address),
         -ENOTSOCK);
  expect("recv(stdout, ...) not a socket", recv(STDOUT_FILENO, buf, sizeof buf, 0), -ENOTSOCK);
  expect("shutdown(stdout, SHUT_WR)", shutdown(STDOUT_FILENO, SHUT_WR), -ENOTSOCK);
  close(file);

  int fd = socket(AF_INET, SOCK_STREAM, 0);
  expect("socket(AF_INET, SOCK_STREAM, 0) >= 3", fd >= 3 ? 0 : fd, 0);
  expect("connect(fd, NULL, 16)", connect(fd, 0, sizeof address), -EFAULT);
  expect("connect(fd, kernel address, 16)", connect(fd, KERNEL_ADDRESS, sizeof address), -EFAULT);
  expect("connect(fd, &address, 8) short", connect(fd, as_address(&address), 8), -EINVAL);
  struct sockaddr_in inet6 = address;
  inet6.sin_family = 10;
  expect("connect(fd, AF_INET6 address)", connect(fd, as_address(&inet6), sizeof inet6),
         -EAFNOSUPPORT);
  expect("recv(fd) not connected", recv(fd, buf, sizeof buf, 0), -ENOTCONN);
  expect("send(fd, ..., MSG_OOB=1)", send(fd, "x", 1, 1), -EOPNOTSUPP);
  expect("accept(fd) not listening", accept(fd, 0, 0), -EINVAL);
  struct sockaddr_in elsewhere = socket_address(inet_addr("10.0.2.99"), 9000);
  expect("bind(fd, 10.0.2.99) not ours", bind(fd, as_address(&elsewhere), sizeof elsewhere),
         -EADDRNOTAVAIL);
  expect("resolve(NULL, &address)", resolve(0, &address.sin_addr), -EFAULT);
  expect("resolve(example.com, kernel address)", resolve("example.com", KERNEL_ADDRESS), -EFAULT);
  expect("resolve(no.such.host.cotton.test)", resolve("no.such.host.cotton.test", &address.sin_addr),
         -ENOENT);
  expect("poll(NULL, 1, 0)", poll(0, 1, 0), -EFAULT);
  expect("close(fd)", close(fd), 0);

  int udp = socket(AF_INET, SOCK_DGRAM, 0);
  expect("listen(udp, 1)", listen(udp, 1), -EOPNOTSUPP);
  expect("send(udp) without a peer", send(udp, "x", 1, 0), -EDESTADDRREQ);
  close(udp);
}

static void refused(void) {
  struct sockaddr_in address = socket_address(lookup("echo.cotton.test").s_addr, 8);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  expect("connect(echo.cotton.test:8) closed port", connect(fd, as_address(&address), sizeof address),
         -ECONNREFUSED);
  close(fd);
}

static void udp_echo(void) {
  struct sockaddr_in echo = socket_address(lookup("echo.cotton.test").s_addr, 7);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  expect("sendto(echo.cotton.test:7, 5 bytes)",
         sendto(fd, "ping!", 5, 0, as_address(&echo), sizeof echo), 5);
  char buf[16];
  struct sockaddr_in from;
  socklen_t length = sizeof from;
  expect("recvfrom(kernel address)", recvfrom(fd, KERNEL_ADDRESS, 4, 0, 0, 0), -EFAULT);
  expect("recvfrom(fd, buf, 16, 0, &from, &length)",
         recvfrom(fd, buf, sizeof buf, 0, as_address(&from), &length), 5);
  expect("the echo is the datagram", memcmp(buf, "ping!", 5), 0);
  expect("from is echo.cotton.test:7",
         from.sin_addr.s_addr == echo.sin_addr.s_addr && ntohs(from.sin_port) == 7, 1);
  expect("length is 16", (long)length, 16);
  close(fd);
}

static void own_address(void) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in any = socket_address(htonl(INADDR_ANY), 7007);
  expect("bind(0.0.0.0:7007)", bind(listener, as_address(&any), sizeof any), 0);
  expect("listen(listener, 4)", listen(listener, 4), 0);
  int other = socket(AF_INET, SOCK_STREAM, 0);
  bind(other, as_address(&any), sizeof any);
  expect("listen on 7007 again", listen(other, 4), -EADDRINUSE);
  close(other);

  struct pollfd watch = {listener, POLLIN, 0};
  expect("poll(listener, 0 ms): nothing yet", poll(&watch, 1, 0), 0);
  unsigned long before = uptime_ms();
  expect("poll(listener, 50 ms): times out", poll(&watch, 1, 50), 0);
  expect("poll waited 50 ms of the machine's clock", uptime_ms() - before >= 50, 1);

  /* This machine's address: connect to ourselves, accept, talk both ways. */
  struct in_addr self = lookup("10.0.2.15");
  struct sockaddr_in server = socket_address(self.s_addr, 7007);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  expect("connect(10.0.2.15:7007)", connect(client, as_address(&server), sizeof server), 0);
  expect("poll(listener): POLLIN", poll(&watch, 1, 1000), 1);
  expect("revents", watch.revents, POLLIN);
  struct sockaddr_in peer;
  socklen_t length = sizeof peer;
  int accepted = accept(listener, as_address(&peer), &length);
  expect("accept >= 0", accepted >= 0 ? 0 : accepted, 0);
  expect("peer is 10.0.2.15", peer.sin_addr.s_addr == self.s_addr, 1);
  expect("send(client, hello, 5)", send(client, "hello", 5, 0), 5);
  char buf[16];
  expect("recv(accepted) = 5", recv(accepted, buf, sizeof buf, 0), 5);
  expect("shutdown(client, SHUT_WR)", shutdown(client, SHUT_WR), 0);
  expect("recv(accepted) = 0 at the end", recv(accepted, buf, sizeof buf, 0), 0);
  close(accepted);
  expect("recv(client) = 0 after the peer closed", recv(client, buf, sizeof buf, 0), 0);
  close(client);

  struct pollfd closed[2] = {{client, POLLIN, 0}, {-1, POLLIN, 0}};
  expect("poll(closed fd, negative fd)", poll(closed, 2, 0), 1);
  expect("revents POLLNVAL, 0", closed[0].revents == POLLNVAL && closed[1].revents == 0, 1);
  close(listener);
}

static void pipes(void) {
  int fds[2];
  pipe(fds);
  struct pollfd watch[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLOUT, 0}};
  expect("poll(empty pipe's reader, writer)", poll(watch, 2, 0), 1);
  expect("revents 0, POLLOUT", watch[0].revents == 0 && watch[1].revents == POLLOUT, 1);
  write(fds[1], "x", 1);
  expect("poll(pipe with a byte)", poll(watch, 1, 0), 1);
  expect("revents POLLIN", watch[0].revents, POLLIN);
  close(fds[0]);
  close(fds[1]);
}

int main(void) {
  bad_arguments();
  refused();
  udp_echo();
  own_address();
  pipes();
  printf("socktest: %d wrong\n", failures);
  return failures == 0 ? 0 : 1;
}
