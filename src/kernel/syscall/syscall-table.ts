/**
 * The system call table: the one place that says which number is which call,
 * what its arguments are and what it returns.
 *
 * Calling convention (RISC-V, as Linux and xv6 use it): the user program puts
 * the call number in a7 and up to six arguments in a0–a5, executes `ecall`,
 * and finds the result in a0. A result in −4095…−1 is an error: −errno, with
 * Linux's errno numbers (errno.ts). Every pointer argument is an address in
 * the caller's own address space; the kernel checks it against the caller's
 * page tables before touching it (mm/process-memory.ts) and answers −EFAULT for
 * anything the caller could not itself read or write.
 *
 * The numbers are CottonOS's own, grouped as the CottonOS description groups
 * the calls (process, file, directory, memory, system, network, windows); the
 * arguments are the simple C ones a student expects (no directory file descriptors, times in
 * milliseconds). src/userland/libc/syscall.h repeats these numbers for C,
 * and a test checks that the two agree.
 *
 * | nr | name        | arguments                                      | returns                         |
 * |----|-------------|------------------------------------------------|---------------------------------|
 * |  1 | exit        | status                                         | does not return                 |
 * |  2 | fork        |                                                | child pid (parent), 0 (child)   |
 * |  3 | exec        | path, argv (NULL-terminated array of strings)  | does not return on success      |
 * |  4 | wait        | pid (−1: any child), int *status (or NULL)     | pid of the reaped child         |
 * |  5 | getpid      |                                                | pid                             |
 * |  6 | getppid     |                                                | parent's pid                    |
 * |  7 | yield       |                                                | 0                               |
 * |  8 | sleep       | milliseconds                                   | 0                               |
 * |  9 | kill        | pid, signal (SIGINT 2, SIGKILL 9, SIGTERM 15)  | 0                               |
 * | 10 | open        | path, flags (O_*)                              | file descriptor                 |
 * | 11 | close       | fd                                             | 0                               |
 * | 12 | read        | fd, buf, count                                 | bytes read (0 at end of file)   |
 * | 13 | write       | fd, buf, count                                 | bytes written                   |
 * | 14 | seek        | fd, offset, whence (0 SET, 1 CUR, 2 END)       | new offset                      |
 * | 15 | stat        | path, struct stat *                            | 0                               |
 * | 16 | fstat       | fd, struct stat *                              | 0                               |
 * | 17 | dup         | fd                                             | new fd                          |
 * | 18 | pipe        | int fds[2]                                     | 0                               |
 * | 19 | dup2        | fd, newfd                                      | newfd                           |
 * | 20 | mkdir       | path                                           | 0                               |
 * | 21 | rmdir       | path                                           | 0                               |
 * | 22 | unlink      | path                                           | 0                               |
 * | 23 | readdir     | fd, struct dirent *, index                     | 1 (entry filled), 0 (no more)   |
 * | 24 | chdir       | path                                           | 0                               |
 * | 25 | getcwd      | buf, size                                      | length of the path              |
 * | 26 | rename      | old path, new path                             | 0                               |
 * | 27 | link        | existing path, new path                        | 0                               |
 * | 28 | truncate    | path, length                                   | 0                               |
 * | 29 | ftruncate   | fd, length                                     | 0                               |
 * | 30 | brk         | new break (0: query)                           | the break after the call        |
 * | 31 | mmap        | length, prot (PROT_READ 1, PROT_WRITE 2)       | address of fresh zeroed pages   |
 * | 32 | munmap      | address, length                                | 0                               |
 * | 33 | mprotect    | address, length, prot                          | 0                               |
 * | 40 | uname       | struct utsname *                               | 0                               |
 * | 41 | time        |                                                | seconds since 1970 (RTC)        |
 * | 42 | uptime      |                                                | milliseconds since boot         |
 * | 43 | nice        | pid (0: self), priority 0 (highest) … 4        | 0                               |
 * | 44 | getpriority | pid (0: self)                                  | priority                        |
 * | 45 | sync        |                                                | 0                               |
 * | 46 | getrandom   | buf, count                                     | bytes written                   |
 * | 47 | meminfo     | struct meminfo *                               | 0                               |
 * | 48 | waitnohang  | pid (−1: any child), int *status (or NULL)     | pid, or 0 if none has exited    |
 * | 50 | socket      | domain (AF_INET), type (SOCK_STREAM/DGRAM), 0  | file descriptor                 |
 * | 51 | bind        | fd, struct sockaddr_in *, length               | 0                               |
 * | 52 | listen      | fd, backlog                                    | 0                               |
 * | 53 | accept      | fd, sockaddr_in * (or NULL), int *length       | descriptor of the connection    |
 * | 54 | connect     | fd, struct sockaddr_in *, length               | 0                               |
 * | 55 | send        | fd, buf, count, flags (0)                      | bytes sent                      |
 * | 56 | recv        | fd, buf, count, flags (0)                      | bytes received (0 at the end)   |
 * | 57 | sendto      | fd, buf, count, flags, sockaddr_in *, length   | bytes sent                      |
 * | 58 | recvfrom    | fd, buf, count, flags, sockaddr_in *, int *len | bytes received                  |
 * | 59 | shutdown    | fd, how (SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2)    | 0                               |
 * | 60 | poll        | struct pollfd *, count, timeout ms (−1: none)  | descriptors with events         |
 * | 61 | resolve     | host name, uint32 *address (network order)     | 0                               |
 * | 62 | tls_connect | fd (a connected TCP socket), host name         | 0; then fd carries plaintext    |
 * | 70 | window_open | width, height, title                            | window descriptor (ENODEV: no desktop) |
 * | 71 | window_map  | fd                                             | address of the window's pixels  |
 * | 72 | window_present | fd, x, y, width, height                     | 0                               |
 * | 73 | window_event | fd, struct window_event *, flags              | 1 (the event is filled in)      |
 *
 * Structures (all fields 32-bit little-endian words unless said otherwise):
 *   struct stat    { inode, type (1 file, 2 directory, 3 device), mode, links, size, blocks, mtime }
 *   struct dirent  { inode, type, char name[56] (NUL-terminated) }            — 64 bytes
 *   struct utsname { char sysname[32], release[32], version[32], machine[32] } — 128 bytes
 *   struct meminfo { total_frames, free_frames, frame_size }
 *   struct sockaddr_in { uint16 family (AF_INET, little-endian), uint16 port, uint32 address,
 *                        char zero[8] } — 16 bytes, port and address in network order (big-endian),
 *                        as Linux lays it out
 *   struct pollfd  { int32 fd, int16 events, int16 revents } — 8 bytes, Linux's POLL* bits
 *   struct window_event { type (WINDOW_EVENT_*), int32 x, int32 y, buttons, character,
 *                        key_flags (WINDOW_KEY_*) } — 24 bytes (window-structs.ts)
 */

export const SYS_EXIT = 1;
export const SYS_FORK = 2;
export const SYS_EXEC = 3;
export const SYS_WAIT = 4;
export const SYS_GETPID = 5;
export const SYS_GETPPID = 6;
export const SYS_YIELD = 7;
export const SYS_SLEEP = 8;
export const SYS_KILL = 9;
export const SYS_OPEN = 10;
export const SYS_CLOSE = 11;
export const SYS_READ = 12;
export const SYS_WRITE = 13;
export const SYS_SEEK = 14;
export const SYS_STAT = 15;
export const SYS_FSTAT = 16;
export const SYS_DUP = 17;
export const SYS_PIPE = 18;
export const SYS_DUP2 = 19;
export const SYS_MKDIR = 20;
export const SYS_RMDIR = 21;
export const SYS_UNLINK = 22;
export const SYS_READDIR = 23;
export const SYS_CHDIR = 24;
export const SYS_GETCWD = 25;
export const SYS_RENAME = 26;
export const SYS_LINK = 27;
export const SYS_TRUNCATE = 28;
export const SYS_FTRUNCATE = 29;
export const SYS_BRK = 30;
export const SYS_MMAP = 31;
export const SYS_MUNMAP = 32;
export const SYS_MPROTECT = 33;
export const SYS_UNAME = 40;
export const SYS_TIME = 41;
export const SYS_UPTIME = 42;
export const SYS_NICE = 43;
export const SYS_GETPRIORITY = 44;
export const SYS_SYNC = 45;
export const SYS_GETRANDOM = 46;
export const SYS_MEMINFO = 47;
export const SYS_WAITNOHANG = 48;
export const SYS_SOCKET = 50;
export const SYS_BIND = 51;
export const SYS_LISTEN = 52;
export const SYS_ACCEPT = 53;
export const SYS_CONNECT = 54;
export const SYS_SEND = 55;
export const SYS_RECV = 56;
export const SYS_SENDTO = 57;
export const SYS_RECVFROM = 58;
export const SYS_SHUTDOWN = 59;
export const SYS_POLL = 60;
export const SYS_RESOLVE = 61;
export const SYS_TLS_CONNECT = 62;
export const SYS_WINDOW_OPEN = 70;
export const SYS_WINDOW_MAP = 71;
export const SYS_WINDOW_PRESENT = 72;
export const SYS_WINDOW_EVENT = 73;

// open() flags (Linux's values).
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_DIRECTORY = 0o200000;

// Sockets (Linux's values): address family, socket types, shutdown() directions.
export const AF_INET = 2;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
/** Or'ed into socket()'s type: calls that would block fail with EAGAIN instead. */
export const SOCK_NONBLOCK = 0o4000;
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;

// poll() events (Linux's values): asked for in events, reported in revents.
export const POLLIN = 0x1;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;

// Windows: window_event()'s flag, the event types, and the key event's flags.
/** window_event() returns EAGAIN instead of waiting when no event is queued. */
export const WINDOW_NONBLOCK = 1;
export const WINDOW_EVENT_KEY = 1;
export const WINDOW_EVENT_MOUSE_MOVE = 2;
export const WINDOW_EVENT_MOUSE_DOWN = 3;
export const WINDOW_EVENT_MOUSE_UP = 4;
/** The user clicked the window's close button: the program should close its descriptor. */
export const WINDOW_EVENT_CLOSE = 5;
export const WINDOW_KEY_PRESSED = 1;
export const WINDOW_KEY_SHIFT = 2;
export const WINDOW_KEY_CTRL = 4;
export const WINDOW_KEY_ALT = 8;
/** The largest window a program may open (the smallest screen the desktop runs on). */
export const WINDOW_MAX_WIDTH = 640;
export const WINDOW_MAX_HEIGHT = 480;
export const WINDOW_TITLE_MAX_BYTES = 63;

export const STAT_BYTES = 28;
export const DIRENT_BYTES = 64;
export const DIRENT_NAME_BYTES = 56;
export const UTSNAME_FIELD_BYTES = 32;
export const SOCKADDR_IN_BYTES = 16;
export const POLLFD_BYTES = 8;
export const WINDOW_EVENT_BYTES = 24;
