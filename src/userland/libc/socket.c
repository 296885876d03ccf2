/*
 * The socket and poll system call wrappers, and the small address helpers a
 * network program needs: byte order, dotted text, struct sockaddr_in.
 */
#include <poll.h>
#include <socket.h>
#include <string.h>
#include <unistd.h>

int socket(int domain, int type, int protocol) {
  return (int)syscall(SYS_SOCKET, domain, type, protocol, 0, 0, 0);
}
int bind(int fd, const struct sockaddr *address, socklen_t length) {
  return (int)syscall(SYS_BIND, fd, (long)address, (long)length, 0, 0, 0);
}
int listen(int fd, int backlog) { return (int)syscall(SYS_LISTEN, fd, backlog, 0, 0, 0, 0); }
int accept(int fd, struct sockaddr *address, socklen_t *length) {
  return (int)syscall(SYS_ACCEPT, fd, (long)address, (long)length, 0, 0, 0);
}
int connect(int fd, const struct sockaddr *address, socklen_t length) {
  return (int)syscall(SYS_CONNECT, fd, (long)address, (long)length, 0, 0, 0);
}
long send(int fd, const void *buf, size_t count, int flags) {
  return syscall(SYS_SEND, fd, (long)buf, (long)count, flags, 0, 0);
}
long recv(int fd, void *buf, size_t count, int flags) {
  return syscall(SYS_RECV, fd, (long)buf, (long)count, flags, 0, 0);
}
long sendto(int fd, const void *buf, size_t count, int flags, const struct sockaddr *to,
            socklen_t length) {
  return syscall(SYS_SENDTO, fd, (long)buf, (long)count, flags, (long)to, (long)length);
}
long recvfrom(int fd, void *buf, size_t count, int flags, struct sockaddr *from,
              socklen_t *length) {
  return syscall(SYS_RECVFROM, fd, (long)buf, (long)count, flags, (long)from, (long)length);
}
int shutdown(int fd, int how) { return (int)syscall(SYS_SHUTDOWN, fd, how, 0, 0, 0, 0); }
int resolve(const char *name, struct in_addr *address) {
  return (int)syscall(SYS_RESOLVE, (long)name, (long)address, 0, 0, 0, 0);
}
int tls_connect(int fd, const char *hostname) {
  return (int)syscall(SYS_TLS_CONNECT, fd, (long)hostname, 0, 0, 0, 0);
}
int poll(struct pollfd *fds, unsigned int count, int timeout_ms) {
  return (int)syscall(SYS_POLL, (long)fds, (long)count, timeout_ms, 0, 0, 0);
}

uint16_t htons(uint16_t host) { return (uint16_t)((host << 8) | (host >> 8)); }
uint16_t ntohs(uint16_t network) { return htons(network); }
uint32_t htonl(uint32_t host) {
  return (host << 24) | ((host & 0xff00) << 8) | ((host >> 8) & 0xff00) | (host >> 24);
}
uint32_t ntohl(uint32_t network) { return htonl(network); }

in_addr_t inet_addr(const char *text) {
  uint32_t address = 0;
  for (int part = 0; part < 4; part++) {
    if (part > 0 && *text++ != '.') return INADDR_NONE;
    if (!isdigit(*text)) return INADDR_NONE;
    unsigned int value = 0;
    for (int digits = 0; isdigit(*text); digits++) {
      if (digits == 3) return INADDR_NONE;
      value = value * 10 + (unsigned int)(*text++ - '0');
    }
    if (value > 255) return INADDR_NONE;
    address = (address << 8) | value;
  }
  return *text == '\0' ? htonl(address) : INADDR_NONE;
}

char *inet_ntoa(struct in_addr address) {
  static char text[16];
  const unsigned char *bytes = (const unsigned char *)&address.s_addr;
  char *out = text;
  for (int i = 0; i < 4; i++) {
    unsigned int value = bytes[i];
    if (i > 0) *out++ = '.';
    if (value >= 100) *out++ = (char)('0' + value / 100);
    if (value >= 10) *out++ = (char)('0' + value / 10 % 10);
    *out++ = (char)('0' + value % 10);
  }
  *out = '\0';
  return text;
}

struct sockaddr_in socket_address(in_addr_t address, uint16_t port) {
  struct sockaddr_in result;
  memset(&result, 0, sizeof result);
  result.sin_family = AF_INET;
  result.sin_port = htons(port);
  result.sin_addr.s_addr = address;
  return result;
}
