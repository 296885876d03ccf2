/*
 * badargs: system calls with bad arguments that are not pointers — unknown
 * call numbers, closed descriptors, bad flags and values, processes that do
 * not exist — and, for contrast, the file calls used correctly in /tmp. Each
 * bad call must return the errno a Unix kernel gives; none may kill the
 * process or the kernel. Prints one line per call; exits 0 if all matched.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int failures;

static void expect(const char *call, long result, long wanted) {
  int ok = result == wanted;
  if (!ok) failures++;
  printf("badargs: %-36s = %4d %-9s %s\n", call, (int)result, strerror(result), ok ? "ok" : "WRONG");
}

static void file_calls(void) {
  char buf[32];
  struct stat st;
  int fd = open("/tmp/notes", O_RDWR | O_CREAT);
  expect("open(/tmp/notes, O_RDWR|O_CREAT) >= 0", fd >= 0 ? 0 : fd, 0);
  expect("write(fd, \"hello\", 5)", write(fd, "hello", 5), 5);
  expect("seek(fd, 0, SEEK_SET)", seek(fd, 0, SEEK_SET), 0);
  memset(buf, 0, sizeof buf);
  expect("read(fd, buf, 32)", read(fd, buf, sizeof buf), 5);
  expect("buf == \"hello\"", strcmp(buf, "hello"), 0);
  expect("fstat(fd).size", fstat(fd, &st) == 0 ? (long)st.size : -1, 5);
  expect("open(/tmp/notes, O_CREAT|O_EXCL)", open("/tmp/notes", O_RDWR | O_CREAT | O_EXCL), -EEXIST);
  expect("mkdir(/tmp/d)", mkdir("/tmp/d"), 0);
  expect("rename(/tmp/notes, /tmp/d/n)", rename("/tmp/notes", "/tmp/d/n"), 0);
  expect("rmdir(/tmp/d) not empty", rmdir("/tmp/d"), -ENOTEMPTY);
  expect("chdir(/tmp/d)", chdir("/tmp/d"), 0);
  expect("getcwd", getcwd(buf, sizeof buf), 6);
  expect("cwd == /tmp/d", strcmp(buf, "/tmp/d"), 0);
  expect("unlink(n) relative", unlink("n"), 0);
  expect("chdir(..)", chdir(".."), 0);
  expect("rmdir(d)", rmdir("d"), 0);
  expect("close(fd)", close(fd), 0);
}

int main(void) {
  struct stat st;
  char buf[8];
  int status;
  expect("syscall(999)", syscall(999, 0, 0, 0, 0, 0, 0), -ENOSYS);
  expect("read(42, buf, 8)", read(42, buf, sizeof buf), -EBADF);
  expect("write(-1, buf, 8)", write(-1, buf, sizeof buf), -EBADF);
  expect("close(1000)", close(1000), -EBADF);
  expect("dup2(1, 99)", dup2(1, 99), -EBADF);
  expect("seek(1, 0, SEEK_SET) on the console", seek(1, 0, SEEK_SET), -ESPIPE);
  expect("open(\"\", O_RDONLY)", open("", O_RDONLY), -ENOENT);
  expect("open(/nonexistent, O_RDONLY)", open("/nonexistent", O_RDONLY), -ENOENT);
  expect("open(/bin, O_WRONLY)", open("/bin", O_WRONLY), -EISDIR);
  expect("open(/bin/hello, 3)", open("/bin/hello", 3), -EINVAL);
  expect("open(/bin/hello, O_DIRECTORY)", open("/bin/hello", O_RDONLY | O_DIRECTORY), -ENOTDIR);
  expect("stat(/bin/nothing)", stat("/bin/nothing", &st), -ENOENT);
  expect("chdir(/bin/hello)", chdir("/bin/hello"), -ENOTDIR);
  expect("rmdir(/)", rmdir("/"), -EBUSY);
  expect("exec(/bin/nothing)", exec("/bin/nothing", 0), -ENOENT);
  expect("exec(/bin) a directory", exec("/bin", 0), -EACCES);
  expect("wait(-1) without children", wait(-1, &status), -ECHILD);
  expect("kill(4242, SIGTERM)", kill(4242, SIGTERM), -ESRCH);
  expect("kill(getpid(), 0)", kill(getpid(), 0), -EINVAL);
  expect("kill(1, SIGTERM) (init: ignored)", kill(1, SIGTERM), 0);
  expect("nice(0, 7)", nice(0, 7), -EINVAL);
  expect("nice(2, 0) (a kernel thread)", nice(2, 0), -EPERM);
  expect("sleep_ms(-1)", syscall(SYS_SLEEP, -1, 0, 0, 0, 0, 0), -EINVAL);
  expect("mmap(0, rw)", (long)mmap(0, PROT_READ | PROT_WRITE), -EINVAL);
  expect("mmap(3 GiB, rw)", (long)mmap(0xC0000000u, PROT_READ | PROT_WRITE), -ENOMEM);
  expect("munmap(text)", munmap((void *)0x10000, 4096), -EINVAL);
  long old = brk(0);
  expect("brk(0x7ff00000) into the stack", brk((void *)0x7ff00000u), old);
  file_calls();
  printf("badargs: %d wrong\n", failures);
  return failures == 0 ? 0 : 1;
}
