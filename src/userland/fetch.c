/*
 * fetch URL | fetch HOST [PATH]: an HTTP/1.0 GET, the body to stdout.
 *   fetch http://example.com/          fetch http://10.0.2.15:8080/notes.txt
 *   fetch example.com /index.html      fetch -i http://example.com/   (also the header)
 *   fetch https://example.com/         (TLS 1.3 by the kernel: tls_connect)
 * Resolves the host with the kernel's resolver, connects, sends the request
 * with "Connection: close" and copies the response until the server closes.
 * For https:// the socket becomes a TLS one right after connect, and the rest
 * is unchanged: send and recv carry plaintext.
 * Exits 0 for a 2xx status, 1 for any other status or error (said on stderr).
 */
#include <socket.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define HEADER_MAX 4096

struct target {
  char host[256];
  int port;
  int tls; /* https:// */
  const char *path;
};

static int fail(const char *what, long result) {
  fprintf(STDERR_FILENO, "fetch: %s: %s\n", what, strerror(result));
  return 1;
}

/* "http://host[:port][/path]" or "host[:port]" into target; 0 if malformed. */
static int parse_url(const char *url, struct target *target) {
  target->tls = strncmp(url, "https://", 8) == 0;
  if (target->tls) url += 8;
  else if (strncmp(url, "http://", 7) == 0) url += 7;
  size_t length = 0;
  while (url[length] && url[length] != ':' && url[length] != '/') length++;
  if (length == 0 || length >= sizeof target->host) return 0;
  memcpy(target->host, url, length);
  target->host[length] = '\0';
  url += length;
  target->port = target->tls ? 443 : 80;
  if (*url == ':') {
    target->port = atoi(url + 1);
    if (target->port <= 0 || target->port > 65535) return 0;
    url++;
    while (isdigit(*url)) url++;
  }
  if (*url && *url != '/') return 0;
  target->path = *url ? url : "/";
  return 1;
}

static int send_all(int fd, const char *data, size_t length) {
  while (length > 0) {
    long sent = send(fd, data, length, 0);
    if (sent < 0) return (int)sent;
    data += sent;
    length -= (size_t)sent;
  }
  return 0;
}

/* Where the header ends (just past "\r\n\r\n"), or -1. */
static long header_end(const char *buf, long length) {
  for (long i = 0; i + 3 < length; i++)
    if (memcmp(buf + i, "\r\n\r\n", 4) == 0) return i + 4;
  return -1;
}

/* The status code of "HTTP/1.x NNN ...", or 0. */
static int status_code(const char *header) {
  if (strncmp(header, "HTTP/1.", 7) != 0 || header[8] != ' ') return 0;
  return atoi(header + 9);
}

int main(int argc, char **argv) {
  int show_header = argc > 1 && strcmp(argv[1], "-i") == 0;
  int first = show_header ? 2 : 1;
  struct target target;
  if (argc - first < 1 || argc - first > 2 || !parse_url(argv[first], &target)) {
    fprintf(STDERR_FILENO,
            "usage: fetch [-i] http[s]://HOST[:PORT]/PATH | fetch [-i] HOST [PATH]\n");
    return 2;
  }
  if (argc - first == 2) target.path = argv[first + 1];

  struct in_addr address;
  int result = resolve(target.host, &address);
  if (result < 0) return fail(target.host, result);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return fail("socket", fd);
  struct sockaddr_in server = socket_address(address.s_addr, (uint16_t)target.port);
  result = connect(fd, (struct sockaddr *)&server, sizeof server);
  if (result < 0) return fail("connect", result);
  if (target.tls) {
    result = tls_connect(fd, target.host);
    if (result < 0) return fail("tls_connect", result);
  }

  char request[512];
  int length = snprintf(request, sizeof request,
                        "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: cotton-fetch\r\n"
                        "Connection: close\r\n\r\n",
                        target.path, target.host);
  if (length >= (int)sizeof request) {
    fprintf(STDERR_FILENO, "fetch: path too long\n");
    return 2;
  }
  result = send_all(fd, request, (size_t)length);
  if (result < 0) return fail("send", result);

  /* Gather the header, then pass the body through as it arrives. */
  static char buf[HEADER_MAX];
  long have = 0, body = -1, got = 0;
  while (body < 0 && have < HEADER_MAX && (got = recv(fd, buf + have, HEADER_MAX - have, 0)) > 0) {
    have += got;
    body = header_end(buf, have);
  }
  if (body < 0) {
    if (got < 0) return fail("recv", got);
    fprintf(STDERR_FILENO, "fetch: no HTTP header in the answer\n");
    return 1;
  }
  int status = status_code(buf);
  if (show_header) write(STDOUT_FILENO, buf, (size_t)body);
  write(STDOUT_FILENO, buf + body, (size_t)(have - body));
  while ((got = recv(fd, buf, sizeof buf, 0)) > 0) write(STDOUT_FILENO, buf, (size_t)got);
  close(fd);
  if (got < 0) return fail("recv", got);
  if (status < 200 || status > 299) {
    fprintf(STDERR_FILENO, "fetch: HTTP status %d\n", status);
    return 1;
  }
  return 0;
}
