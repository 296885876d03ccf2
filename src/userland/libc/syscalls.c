/*
 * The system call wrappers: each puts its arguments in a0-a5 and the number in
 * a7, executes ecall, and returns a0 untouched.
 */
#include <unistd.h>

long syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5) {
  register long r_a0 __asm__("a0") = a0;
  register long r_a1 __asm__("a1") = a1;
  register long r_a2 __asm__("a2") = a2;
  register long r_a3 __asm__("a3") = a3;
  register long r_a4 __asm__("a4") = a4;
  register long r_a5 __asm__("a5") = a5;
  register long r_a7 __asm__("a7") = number;
  __asm__ volatile("ecall"
                   : "+r"(r_a0)
                   : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a7)
                   : "memory");
  return r_a0;
}

#define CALL0(n) syscall((n), 0, 0, 0, 0, 0, 0)
#define CALL1(n, a) syscall((n), (long)(a), 0, 0, 0, 0, 0)
#define CALL2(n, a, b) syscall((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define CALL3(n, a, b, c) syscall((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

void exit(int status) {
  CALL1(SYS_EXIT, status);
  for (;;) {
  }
}
int fork(void) { return (int)CALL0(SYS_FORK); }
int exec(const char *path, char *const argv[]) { return (int)CALL2(SYS_EXEC, path, argv); }
int wait(int pid, int *status) { return (int)CALL2(SYS_WAIT, pid, status); }
int waitnohang(int pid, int *status) { return (int)CALL2(SYS_WAITNOHANG, pid, status); }
int getpid(void) { return (int)CALL0(SYS_GETPID); }
int getppid(void) { return (int)CALL0(SYS_GETPPID); }
int yield(void) { return (int)CALL0(SYS_YIELD); }
int sleep_ms(unsigned int milliseconds) { return (int)CALL1(SYS_SLEEP, milliseconds); }
int kill(int pid, int signal) { return (int)CALL2(SYS_KILL, pid, signal); }

int open(const char *path, int flags) { return (int)CALL2(SYS_OPEN, path, flags); }
int close(int fd) { return (int)CALL1(SYS_CLOSE, fd); }
long read(int fd, void *buf, size_t count) { return CALL3(SYS_READ, fd, buf, count); }
long write(int fd, const void *buf, size_t count) { return CALL3(SYS_WRITE, fd, buf, count); }
long seek(int fd, long offset, int whence) { return CALL3(SYS_SEEK, fd, offset, whence); }
int stat(const char *path, struct stat *st) { return (int)CALL2(SYS_STAT, path, st); }
int fstat(int fd, struct stat *st) { return (int)CALL2(SYS_FSTAT, fd, st); }
int dup(int fd) { return (int)CALL1(SYS_DUP, fd); }
int dup2(int fd, int newfd) { return (int)CALL2(SYS_DUP2, fd, newfd); }
int pipe(int fds[2]) { return (int)CALL1(SYS_PIPE, fds); }

int mkdir(const char *path) { return (int)CALL1(SYS_MKDIR, path); }
int rmdir(const char *path) { return (int)CALL1(SYS_RMDIR, path); }
int unlink(const char *path) { return (int)CALL1(SYS_UNLINK, path); }
int readdir(int fd, struct dirent *entry, unsigned int index) { return (int)CALL3(SYS_READDIR, fd, entry, index); }
int chdir(const char *path) { return (int)CALL1(SYS_CHDIR, path); }
int getcwd(char *buf, size_t size) { return (int)CALL2(SYS_GETCWD, buf, size); }
int rename(const char *from, const char *to) { return (int)CALL2(SYS_RENAME, from, to); }
int link(const char *existing, const char *path) { return (int)CALL2(SYS_LINK, existing, path); }
int truncate(const char *path, unsigned long length) { return (int)CALL2(SYS_TRUNCATE, path, length); }
int ftruncate(int fd, unsigned long length) { return (int)CALL2(SYS_FTRUNCATE, fd, length); }

long brk(void *new_break) { return CALL1(SYS_BRK, new_break); }

void *sbrk(long increment) {
  long old_break = brk(0);
  if (IS_ERROR(old_break)) return (void *)-1;
  if (increment == 0) return (void *)old_break;
  long wanted = old_break + increment;
  /* The kernel answers with the break after the call: unchanged (or an error) if it refused. */
  if (brk((void *)wanted) != wanted) return (void *)-1;
  return (void *)old_break;
}

void *mmap(size_t length, int prot) { return (void *)CALL2(SYS_MMAP, length, prot); }
int munmap(void *address, size_t length) { return (int)CALL2(SYS_MUNMAP, address, length); }
int mprotect(void *address, size_t length, int prot) { return (int)CALL3(SYS_MPROTECT, address, length, prot); }

int uname(struct utsname *name) { return (int)CALL1(SYS_UNAME, name); }
long time(void) { return CALL0(SYS_TIME); }
unsigned long uptime_ms(void) { return (unsigned long)CALL0(SYS_UPTIME); }
int nice(int pid, int priority) { return (int)CALL2(SYS_NICE, pid, priority); }
int getpriority(int pid) { return (int)CALL1(SYS_GETPRIORITY, pid); }
int sync(void) { return (int)CALL0(SYS_SYNC); }
long getrandom(void *buf, size_t count) { return CALL2(SYS_GETRANDOM, buf, count); }
int meminfo(struct meminfo *info) { return (int)CALL1(SYS_MEMINFO, info); }

static const char *const ERROR_NAMES[] = {
    [0] = "OK",          [EPERM] = "EPERM",   [ENOENT] = "ENOENT",   [ESRCH] = "ESRCH",
    [EINTR] = "EINTR",   [EIO] = "EIO",       [E2BIG] = "E2BIG",     [ENOEXEC] = "ENOEXEC",
    [EBADF] = "EBADF",   [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN",   [ENOMEM] = "ENOMEM",
    [EACCES] = "EACCES", [EFAULT] = "EFAULT", [EBUSY] = "EBUSY",     [EEXIST] = "EEXIST",
    [EXDEV] = "EXDEV",   [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR", [EINVAL] = "EINVAL",
    [ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [EFBIG] = "EFBIG",     [ENOSPC] = "ENOSPC",
    [ESPIPE] = "ESPIPE", [EROFS] = "EROFS", [EMLINK] = "EMLINK", [EPIPE] = "EPIPE",     [ERANGE] = "ERANGE",
    [ENAMETOOLONG] = "ENAMETOOLONG", [ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY",
    [ENOTSOCK] = "ENOTSOCK", [EDESTADDRREQ] = "EDESTADDRREQ", [EMSGSIZE] = "EMSGSIZE",
    [EPROTONOSUPPORT] = "EPROTONOSUPPORT", [EOPNOTSUPP] = "EOPNOTSUPP",
    [EAFNOSUPPORT] = "EAFNOSUPPORT", [EADDRINUSE] = "EADDRINUSE", [EADDRNOTAVAIL] = "EADDRNOTAVAIL",
    [ENETUNREACH] = "ENETUNREACH", [ECONNABORTED] = "ECONNABORTED", [ECONNRESET] = "ECONNRESET",
    [EISCONN] = "EISCONN", [ENOTCONN] = "ENOTCONN", [ETIMEDOUT] = "ETIMEDOUT",
    [ECONNREFUSED] = "ECONNREFUSED", [EHOSTUNREACH] = "EHOSTUNREACH", [EALREADY] = "EALREADY",
    [EINPROGRESS] = "EINPROGRESS",
};

const char *strerror(long result) {
  if (result >= 0) return "OK";
  unsigned long number = (unsigned long)-result;
  if (number < sizeof ERROR_NAMES / sizeof ERROR_NAMES[0] && ERROR_NAMES[number]) return ERROR_NAMES[number];
  return "E?";
}
