/*
 * Sockets: what Linux declares in sys/socket.h, netinet/in.h, arpa/inet.h and
 * netdb.h, reduced to IPv4, TCP and UDP. The calls are CottonOS system calls
 * (syscall.h, numbers 50-61) and, like every wrapper here, return the kernel's
 * raw result: >= 0 on success, -errno on failure (name it with strerror).
 *
 * Addresses travel as struct sockaddr_in, laid out as Linux lays it out: the
 * family in the machine's order, the port and the address in network order
 * (big-endian), so htons(80) and inet_addr("10.0.2.2") fill them in.
 */
#ifndef COTTON_SOCKET_H
#define COTTON_SOCKET_H

#include <stddef.h>
#include <stdint.h>

#define AF_INET 2
#define SOCK_STREAM 1 /* TCP */
#define SOCK_DGRAM 2  /* UDP */
/* Or'ed into the type: calls that would block return -EAGAIN instead. */
#define SOCK_NONBLOCK 04000

/* shutdown() directions */
#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2

/* Addresses in the machine's order, as Linux defines them (use htonl). */
#define INADDR_ANY 0x00000000U
#define INADDR_LOOPBACK 0x7f000001U
/* inet_addr's answer for text that is not an address. */
#define INADDR_NONE 0xffffffffU

typedef uint32_t in_addr_t;
typedef uint16_t in_port_t;
typedef uint16_t sa_family_t;
typedef unsigned int socklen_t;

struct in_addr {
  in_addr_t s_addr; /* network order */
};

/* 16 bytes: the IPv4 socket address. */
struct sockaddr_in {
  sa_family_t sin_family; /* AF_INET */
  in_port_t sin_port;     /* network order */
  struct in_addr sin_addr;
  unsigned char sin_zero[8];
};

/* The generic address the calls take: cast a struct sockaddr_in * to it. */
struct sockaddr {
  sa_family_t sa_family;
  char sa_data[14];
};

int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *address, socklen_t length);
int listen(int fd, int backlog);
/* address and length may be NULL; else *length is the room at address, and becomes 16. */
int accept(int fd, struct sockaddr *address, socklen_t *length);
int connect(int fd, const struct sockaddr *address, socklen_t length);
long send(int fd, const void *buf, size_t count, int flags);
long recv(int fd, void *buf, size_t count, int flags);
long sendto(int fd, const void *buf, size_t count, int flags, const struct sockaddr *to,
            socklen_t length);
long recvfrom(int fd, void *buf, size_t count, int flags, struct sockaddr *from,
              socklen_t *length);
int shutdown(int fd, int how);

/*
 * The kernel's resolver: a host name ("example.com") or a dotted address
 * ("10.0.2.2") to an address in network order. 0, or -ENOENT when there is
 * no address (DNS does not know the name, or no server answered).
 */
int resolve(const char *name, struct in_addr *address);

/*
 * TLS 1.3 over a connected TCP socket, done in the kernel: the handshake with
 * `hostname`, whose certificate must chain to a root in /etc/ssl/certs. Then
 * read, write, send and recv on fd carry plaintext, and close sends
 * close_notify. 0, or -ECONNABORTED when the handshake fails (the kernel
 * logs why: see dmesg).
 */
int tls_connect(int fd, const char *hostname);

/* Byte order: the machine is little-endian, the network big-endian. */
uint16_t htons(uint16_t host);
uint16_t ntohs(uint16_t network);
uint32_t htonl(uint32_t host);
uint32_t ntohl(uint32_t network);

/* "10.0.2.15" to an address in network order; INADDR_NONE if the text is not one. */
in_addr_t inet_addr(const char *text);
/* The address as dotted text, in a buffer the next call overwrites. */
char *inet_ntoa(struct in_addr address);

/* An address structure for `address` (network order) and `port` (machine order). */
struct sockaddr_in socket_address(in_addr_t address, uint16_t port);

#endif
