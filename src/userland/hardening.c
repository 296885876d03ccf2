/*
 * hardening: the hostile probe's findings, each now a check. Unlinking an
 * open file must not free its inode (the next file created would share it);
 * a removed open directory reads as empty; mount points are busy; "." and
 * ".." have POSIX's answers; init ignores signals it does not handle; a
 * read-only file system refuses to open for writing; a device cannot be
 * truncated; a write from a buffer running into unmapped memory is partial.
 * Prints one line per check; exits 0 if all matched.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int failures;

static void expect(const char *what, long result, long wanted) {
  int ok = result == wanted;
  if (!ok) failures++;
  printf("hardening: %-44s = %4d %-9s %s\n", what, (int)result, strerror(result), ok ? "ok" : "WRONG");
}

static int make_file(const char *path, const char *text) {
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC);
  if (fd >= 0) write(fd, text, strlen(text));
  return fd;
}

static void unlinked_open_file(void) {
  char buf[8];
  struct stat old_st, new_st;
  int old_fd = make_file("/tmp/victim", "AAAA");
  expect("unlink(/tmp/victim) while open", unlink("/tmp/victim"), 0);
  int new_fd = make_file("/tmp/newcomer", "BBBB");
  fstat(old_fd, &old_st);
  fstat(new_fd, &new_st);
  expect("the new file has another inode", old_st.inode != new_st.inode, 1);
  expect("the unlinked file has 0 links", old_st.links, 0);
  seek(old_fd, 0, SEEK_SET);
  memset(buf, 0, sizeof buf);
  expect("read(old fd) = 4", read(old_fd, buf, 4), 4);
  expect("it reads its own data AAAA", strcmp(buf, "AAAA"), 0);
  write(old_fd, "XXXX", 4);
  seek(new_fd, 0, SEEK_SET);
  memset(buf, 0, sizeof buf);
  read(new_fd, buf, 4);
  expect("writing the old fd leaves the new file BBBB", strcmp(buf, "BBBB"), 0);
  close(old_fd);
  close(new_fd);
  unlink("/tmp/newcomer");
}

static void removed_open_directory(void) {
  struct dirent entry;
  mkdir("/tmp/gone");
  int fd = open("/tmp/gone", O_RDONLY | O_DIRECTORY);
  expect("rmdir(/tmp/gone) while open", rmdir("/tmp/gone"), 0);
  expect("readdir of it: empty, not EIO", readdir(fd, &entry, 0), 0);
  close(fd);
}

static void mount_points_and_dots(void) {
  struct stat st;
  expect("rmdir(/dev) a mount point", rmdir("/dev"), -EBUSY);
  expect("rename(/bin, /b2) a mount point", rename("/bin", "/b2"), -EBUSY);
  expect("rename(/tmp, /bin) onto a mount point", rename("/tmp", "/bin"), -EBUSY);
  mkdir("/tmp/dots");
  chdir("/tmp/dots");
  expect("rename(., ../zz)", rename(".", "../zz"), -EBUSY);
  expect("rmdir(.)", rmdir("."), -EINVAL);
  expect("rmdir(..)", rmdir(".."), -ENOTEMPTY);
  expect("unlink(.)", unlink("."), -EISDIR);
  expect("mkdir(..)", mkdir(".."), -EEXIST);
  expect("open(., O_CREAT)", open(".", O_RDONLY | O_CREAT), -EISDIR);
  expect("open(new, O_CREAT|O_DIRECTORY)", open("new", O_RDONLY | O_CREAT | O_DIRECTORY), -EINVAL);
  expect("... and it made no file", stat("new", &st), -ENOENT);
  chdir("/");
  expect("rmdir(/tmp/dots)", rmdir("/tmp/dots"), 0);
  expect("rename(/tmp/x, /bin/x) across file systems", rename("/tmp", "/bin/x"), -EXDEV);
}

static void the_rest(void) {
  expect("kill(1, SIGKILL): init ignores it", kill(1, SIGKILL), 0);
  expect("kill(1, SIGTERM): ignored too", kill(1, SIGTERM), 0);
  expect("open(/bin/hello, O_WRONLY)", open("/bin/hello", O_WRONLY), -EROFS);
  expect("open(/bin/hello, O_RDONLY|O_TRUNC)", open("/bin/hello", O_RDONLY | O_TRUNC), -EROFS);
  expect("truncate(/dev/null, 0)", truncate("/dev/null", 0), -EINVAL);
  int fds[2];
  pipe(fds);
  char *page = mmap(4096, PROT_READ | PROT_WRITE);
  memset(page, 'p', 4096);
  expect("write(pipe, last 100 bytes of a page, 0x7fffffff)",
         write(fds[1], page + 4096 - 100, 0x7fffffff), 100);
  munmap(page, 4096);
  expect("write(pipe, unmapped, 10)", write(fds[1], page, 10), -EFAULT);
  close(fds[0]);
  close(fds[1]);
}

int main(void) {
  unlinked_open_file();
  removed_open_directory();
  mount_points_and_dots();
  the_rest();
  printf("hardening: %d wrong\n", failures);
  return failures == 0 ? 0 : 1;
}
