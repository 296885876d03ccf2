/*
 * CottonOS's system call numbers, open() flags, signals and the structures the
 * calls fill in, for C. The kernel's table (src/kernel/syscall/syscall-table.ts)
 * is the authority; test/userland/syscall-numbers.test.ts checks that the two
 * agree.
 *
 * Calling convention: a7 = number, a0-a5 = arguments, `ecall`, a0 = result.
 * A result in -4095..-1 is -errno (Linux's errno numbers, see errno.h).
 */
#ifndef COTTON_SYSCALL_H
#define COTTON_SYSCALL_H

/* Processes */
#define SYS_EXIT 1
#define SYS_FORK 2
#define SYS_EXEC 3
#define SYS_WAIT 4
#define SYS_GETPID 5
#define SYS_GETPPID 6
#define SYS_YIELD 7
#define SYS_SLEEP 8
#define SYS_KILL 9
/* Files */
#define SYS_OPEN 10
#define SYS_CLOSE 11
#define SYS_READ 12
#define SYS_WRITE 13
#define SYS_SEEK 14
#define SYS_STAT 15
#define SYS_FSTAT 16
#define SYS_DUP 17
#define SYS_PIPE 18
#define SYS_DUP2 19
/* Directories */
#define SYS_MKDIR 20
#define SYS_RMDIR 21
#define SYS_UNLINK 22
#define SYS_READDIR 23
#define SYS_CHDIR 24
#define SYS_GETCWD 25
#define SYS_RENAME 26
#define SYS_LINK 27
#define SYS_TRUNCATE 28
#define SYS_FTRUNCATE 29
/* Memory */
#define SYS_BRK 30
#define SYS_MMAP 31
#define SYS_MUNMAP 32
#define SYS_MPROTECT 33
/* System */
#define SYS_UNAME 40
#define SYS_TIME 41
#define SYS_UPTIME 42
#define SYS_NICE 43
#define SYS_GETPRIORITY 44
#define SYS_SYNC 45
#define SYS_GETRANDOM 46
#define SYS_MEMINFO 47
#define SYS_WAITNOHANG 48
/* Network (socket.h, poll.h) */
#define SYS_SOCKET 50
#define SYS_BIND 51
#define SYS_LISTEN 52
#define SYS_ACCEPT 53
#define SYS_CONNECT 54
#define SYS_SEND 55
#define SYS_RECV 56
#define SYS_SENDTO 57
#define SYS_RECVFROM 58
#define SYS_SHUTDOWN 59
#define SYS_POLL 60
#define SYS_RESOLVE 61
#define SYS_TLS_CONNECT 62
/* Windows (window.h) */
#define SYS_WINDOW_OPEN 70
#define SYS_WINDOW_MAP 71
#define SYS_WINDOW_PRESENT 72
#define SYS_WINDOW_EVENT 73

/* open() flags (Linux's values) */
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_ACCMODE 3
#define O_CREAT 0100
#define O_EXCL 0200
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_DIRECTORY 0200000

/* seek() whence */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* Signals that kill() understands */
#define SIGINT 2
#define SIGKILL 9
#define SIGTERM 15

/* mmap()/mprotect() protection */
#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2

/* struct stat's and struct dirent's type */
#define T_FILE 1
#define T_DIR 2
#define T_DEVICE 3

/* Every field is a 32-bit little-endian word: 28 bytes. */
struct stat {
  unsigned int inode;
  unsigned int type; /* T_FILE, T_DIR, T_DEVICE */
  unsigned int mode;
  unsigned int links;
  unsigned int size;
  unsigned int blocks;
  unsigned int mtime; /* seconds since 1970 */
};

#define DIRENT_NAME_BYTES 56

/* 64 bytes: one entry of a directory, as readdir() fills it. */
struct dirent {
  unsigned int inode;
  unsigned int type;
  char name[DIRENT_NAME_BYTES]; /* NUL-terminated */
};

#define UTSNAME_FIELD_BYTES 32

/* 128 bytes of NUL-terminated strings. */
struct utsname {
  char sysname[UTSNAME_FIELD_BYTES];
  char release[UTSNAME_FIELD_BYTES];
  char version[UTSNAME_FIELD_BYTES];
  char machine[UTSNAME_FIELD_BYTES];
};

struct meminfo {
  unsigned int total_frames;
  unsigned int free_frames;
  unsigned int frame_size;
};

#endif
