/*
 * httpd [PORT] [DIR]: a static web server for the files under DIR (default
 * port 80, directory /).
 *   httpd 8080 /home &        then: fetch http://10.0.2.15:8080/notes.txt
 * HTTP/1.0 (RFC 1945), one connection at a time: read the request line and
 * header, answer GET with the file (HEAD with its header only), a directory
 * with its index.html or a list of its entries, a missing file with 404,
 * another method with 501, a client silent for 5 s with 408; every answer
 * has a Content-Length and closes the connection. Each request is logged on stdout: client, method, path,
 * status and bytes. Ctrl-C (or kill) stops it.
 */
#include <poll.h>
#include <socket.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define REQUEST_MAX 2048
#define PATH_MAX 256
/* A client that sends no complete request in this time is dropped (408). */
#define REQUEST_TIMEOUT_MS 5000

static char root[PATH_MAX];

static int send_all(int fd, const char *data, long length) {
  while (length > 0) {
    long sent = send(fd, data, (size_t)length, 0);
    if (sent < 0) return 0;
    data += sent;
    length -= sent;
  }
  return 1;
}

static const char *reason(int status) {
  switch (status) {
  case 200: return "OK";
  case 400: return "Bad Request";
  case 404: return "Not Found";
  case 408: return "Request Timeout";
  case 501: return "Not Implemented";
  default: return "Internal Server Error";
  }
}

static const char *content_type(const char *path) {
  const char *dot = strrchr(path, '.');
  if (dot && (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0)) return "text/html";
  if (dot && (strcmp(dot, ".txt") == 0 || strcmp(dot, ".c") == 0 || strcmp(dot, ".md") == 0))
    return "text/plain";
  return "application/octet-stream";
}

static int send_header(int fd, int status, const char *type, unsigned int length) {
  char header[256];
  int size = snprintf(header, sizeof header,
                      "HTTP/1.0 %d %s\r\nServer: cotton-httpd\r\nContent-Type: %s\r\n"
                      "Content-Length: %u\r\nConnection: close\r\n\r\n",
                      status, reason(status), type, length);
  return send_all(fd, header, size);
}

/* A short text answer (404, 400, 501): the status line repeated as the body. */
static unsigned int send_error(int fd, int status, int with_body) {
  char body[64];
  int length = snprintf(body, sizeof body, "%d %s\n", status, reason(status));
  send_header(fd, status, "text/plain", (unsigned int)length);
  if (with_body) send_all(fd, body, length);
  return (unsigned int)length;
}

/* The file's bytes after its header; the count sent. */
static unsigned int send_file(int fd, const char *path, const struct stat *st, int with_body) {
  int file = open(path, O_RDONLY);
  if (file < 0) return send_error(fd, 404, with_body);
  send_header(fd, 200, content_type(path), st->size);
  unsigned int sent = 0;
  static char buf[4096];
  long got;
  while (with_body && (got = read(file, buf, sizeof buf)) > 0 && send_all(fd, buf, got))
    sent += (unsigned int)got;
  close(file);
  return with_body ? sent : st->size;
}

/* A directory without index.html: its entries, one a line ("name/" for a directory). */
static unsigned int send_listing(int fd, const char *path, int with_body) {
  static char list[4096];
  int length = 0;
  int dir = open(path, O_RDONLY | O_DIRECTORY);
  struct dirent entry;
  for (unsigned int i = 0; dir >= 0 && readdir(dir, &entry, i) == 1; i++) {
    if (strcmp(entry.name, ".") == 0 || strcmp(entry.name, "..") == 0) continue;
    length += snprintf(list + length, sizeof list - (size_t)length, "%s%s\n", entry.name,
                       entry.type == T_DIR ? "/" : "");
  }
  if (dir >= 0) close(dir);
  if (length >= (int)sizeof list) length = sizeof list - 1;
  send_header(fd, 200, "text/plain", (unsigned int)length);
  if (with_body) send_all(fd, list, length);
  return (unsigned int)length;
}

/* Answer the request for `target` (already checked: starts with '/', no ".."); the status. */
static int answer(int fd, const char *target, int with_body, unsigned int *bytes) {
  char path[PATH_MAX];
  if (snprintf(path, sizeof path, "%s%s", root, target) >= (int)sizeof path) {
    *bytes = send_error(fd, 404, with_body);
    return 404;
  }
  struct stat st;
  if (stat(path, &st) == 0 && st.type == T_DIR) {
    char index[PATH_MAX];
    const char *slash = path[strlen(path) - 1] == '/' ? "" : "/";
    snprintf(index, sizeof index, "%s%sindex.html", path, slash);
    if (stat(index, &st) == 0 && st.type == T_FILE) {
      *bytes = send_file(fd, index, &st, with_body);
      return 200;
    }
    *bytes = send_listing(fd, path, with_body);
    return 200;
  }
  if (stat(path, &st) < 0 || st.type != T_FILE) {
    *bytes = send_error(fd, 404, with_body);
    return 404;
  }
  *bytes = send_file(fd, path, &st, with_body);
  return 200;
}

/* Whether some component of the path is "..", which would leave the served directory. */
static int has_dot_dot(const char *path) {
  for (const char *part = path; part; part = strchr(part + 1, '/'))
    if (strncmp(part, "/..", 3) == 0 && (part[3] == '/' || part[3] == '\0')) return 1;
  return 0;
}

/*
 * Read until the blank line that ends the header: its length; 0 if the
 * client closed or sent something else; -1 if it sent nothing for
 * REQUEST_TIMEOUT_MS, so a silent client cannot hold the server for ever.
 */
static long read_request(int fd, char *request) {
  long have = 0;
  while (have < REQUEST_MAX - 1) {
    struct pollfd watch = {fd, POLLIN, 0};
    if (poll(&watch, 1, REQUEST_TIMEOUT_MS) == 0) return -1;
    long got = recv(fd, request + have, (size_t)(REQUEST_MAX - 1 - have), 0);
    if (got <= 0) return 0;
    have += got;
    request[have] = '\0';
    for (long i = 0; i + 3 < have; i++)
      if (memcmp(request + i, "\r\n\r\n", 4) == 0) return have;
  }
  return 0;
}

/* One connection: request, answer, log line. */
static void serve(int fd, const struct sockaddr_in *client) {
  static char request[REQUEST_MAX];
  char method[8] = "-", target[PATH_MAX] = "-";
  int status = 400;
  unsigned int bytes = 0;
  long length = read_request(fd, request);
  if (length < 0) status = 408;
  if (length > 0) {
    char *space = strchr(request, ' ');
    char *target_end = space ? strchr(space + 1, ' ') : 0;
    char *line_end = strchr(request, '\r');
    if (space && target_end && target_end < line_end && space - request < (long)sizeof method &&
        target_end - space - 1 < (long)sizeof target) {
      memcpy(method, request, (size_t)(space - request));
      method[space - request] = '\0';
      memcpy(target, space + 1, (size_t)(target_end - space - 1));
      target[target_end - space - 1] = '\0';
      char *query = strchr(target, '?');
      if (query) *query = '\0';
      int is_get = strcmp(method, "GET") == 0, is_head = strcmp(method, "HEAD") == 0;
      if (target[0] != '/' || has_dot_dot(target)) status = 400;
      else if (is_get || is_head) status = answer(fd, target, is_get, &bytes);
      else status = 501;
    }
  }
  if (status == 400 || status == 408 || status == 501) bytes = send_error(fd, status, 1);
  printf("httpd: %s:%d %s %s %d %u\n", inet_ntoa(client->sin_addr), ntohs(client->sin_port),
         method, target, status, bytes);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 80;
  const char *dir = argc > 2 ? argv[2] : "/";
  if (argc > 3 || port <= 0 || port > 65535 || strlen(dir) >= PATH_MAX) {
    fprintf(STDERR_FILENO, "usage: httpd [PORT] [DIR]\n");
    return 2;
  }
  strcpy(root, dir);
  if (strlen(root) > 1 && root[strlen(root) - 1] == '/') root[strlen(root) - 1] = '\0';
  if (strcmp(root, "/") == 0) root[0] = '\0';

  int listener = socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0) {
    fprintf(STDERR_FILENO, "httpd: socket: %s\n", strerror(listener));
    return 1;
  }
  struct sockaddr_in address = socket_address(htonl(INADDR_ANY), (uint16_t)port);
  int result = bind(listener, (struct sockaddr *)&address, sizeof address);
  if (result == 0) result = listen(listener, 8);
  if (result < 0) {
    fprintf(STDERR_FILENO, "httpd: port %d: %s\n", port, strerror(result));
    return 1;
  }
  printf("httpd: serving %s on port %d\n", dir, port);
  for (;;) {
    struct sockaddr_in client;
    socklen_t length = sizeof client;
    int fd = accept(listener, (struct sockaddr *)&client, &length);
    if (fd < 0) {
      fprintf(STDERR_FILENO, "httpd: accept: %s\n", strerror(fd));
      return 1;
    }
    serve(fd, &client);
    close(fd);
  }
}
