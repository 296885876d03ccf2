/*
 * One C function per CottonOS system call. Each returns the kernel's raw
 * result: a value >= 0 on success, -errno on failure (test with IS_ERROR or
 * `< 0` where the result cannot be an address; name it with strerror).
 */
#ifndef COTTON_UNISTD_H
#define COTTON_UNISTD_H

#include <errno.h>
#include <stddef.h>
#include <syscall.h>

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* Processes. wait's *status: the child's exit code, or 128 + the signal that killed it. */
void exit(int status) __attribute__((noreturn));
int fork(void);
int exec(const char *path, char *const argv[]);
int wait(int pid, int *status);
int waitnohang(int pid, int *status);
int getpid(void);
int getppid(void);
int yield(void);
int sleep_ms(unsigned int milliseconds);
int kill(int pid, int signal);

/* Files */
int open(const char *path, int flags);
int close(int fd);
long read(int fd, void *buf, size_t count);
long write(int fd, const void *buf, size_t count);
long seek(int fd, long offset, int whence);
int stat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int dup(int fd);
int dup2(int fd, int newfd);
int pipe(int fds[2]);

/* Directories */
int mkdir(const char *path);
int rmdir(const char *path);
int unlink(const char *path);
int readdir(int fd, struct dirent *entry, unsigned int index);
int chdir(const char *path);
int getcwd(char *buf, size_t size);
int rename(const char *from, const char *to);
int link(const char *existing, const char *path);
int truncate(const char *path, unsigned long length);
int ftruncate(int fd, unsigned long length);

/* Memory */
long brk(void *new_break);
/* Moves the break by `increment` bytes; the old break, or (void *)-1 if refused. */
void *sbrk(long increment);
void *mmap(size_t length, int prot);
int munmap(void *address, size_t length);
int mprotect(void *address, size_t length, int prot);

/* System */
int uname(struct utsname *name);
long time(void);
unsigned long uptime_ms(void);
int nice(int pid, int priority);
int getpriority(int pid);
int sync(void);
long getrandom(void *buf, size_t count);
int meminfo(struct meminfo *info);

/* The error's name ("ENOENT") for a negative result, "OK" for zero or more. */
const char *strerror(long result);

/* The raw call, for tests that want to pass anything at all. */
long syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5);

#endif
