/* Files and descriptors, stat, directories, mappings: success and error
 * paths of the standalone runtime's wrappers, printed for comparison with
 * stock musl (nothing host-specific is printed). */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <dirent.h>
#include <stdlib.h>
#include <stdio.h> /* rename */
#include "posix.h"

static char dir[128], f1[160], f2[160], sub[160];

static int cmp_names(const char *a, const char *b)
{
	while (*a && *a == *b) a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

static void list(const char *path)
{
	char names[16][32];
	int n = 0;
	DIR *d = opendir(path);
	res("opendir", d ? 0 : -1);
	if (!d) return;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d)) && n < 16) {
		int i = 0;
		while (e->d_name[i] && i < 31) names[n][i] = e->d_name[i], i++;
		names[n][i] = 0;
		n++;
	}
	res("readdir end errno", -errno);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && cmp_names(names[j - 1], names[j]) > 0; j--) {
			char t[32];
			for (int k = 0; k < 32; k++) t[k] = names[j][k], names[j][k] = names[j - 1][k], names[j - 1][k] = t[k];
		}
	for (int i = 0; i < n; i++) say_str("entry", names[i]);
	res("closedir", closedir(d));
}

int main(void)
{
	struct stat st;
	char buf[64];

	tmpdir(dir, "fs");
	res("mkdir", mkdir(dir, 0755));
	res("mkdir again", mkdir(dir, 0755));
	cat(f1, dir, "/one");
	cat(f2, dir, "/two");
	cat(sub, dir, "/sub");

	/* open, write, lseek, read, pread, pwrite, readv, writev */
	int fd = open(f1, O_CREAT | O_EXCL | O_RDWR, 0640);
	res("open create", fd >= 0 ? 0 : -1);
	res("open excl again", open(f1, O_CREAT | O_EXCL | O_RDWR, 0640));
	res("open missing", open("/nonexistent/x", O_RDONLY));
	res("write", write(fd, "hello world", 11));
	res("lseek end", lseek(fd, 0, SEEK_END));
	res("lseek bad whence", lseek(fd, 0, 42));
	res("lseek set", lseek(fd, 6, SEEK_SET));
	res("read", read(fd, buf, sizeof buf));
	res("pread", pread(fd, buf, 5, 0));
	buf[5] = 0;
	say_str("pread data", buf);
	res("pwrite", pwrite(fd, "HELLO", 5, 0));
	res("pread negative", pread(fd, buf, 5, -1));
	struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
	res("lseek end", lseek(fd, 0, SEEK_END));
	res("writev", writev(fd, iov, 2));
	char x[4], y[12];
	struct iovec rv[2] = { { x, 4 }, { y, 12 } };
	res("lseek 0", lseek(fd, 0, SEEK_SET));
	res("readv", readv(fd, rv, 2));
	write(1, x, 4);
	write(1, y, 12);
	put("\n");
	res("readv bad fd", readv(-1, rv, 2));
	res("writev bad count", writev(fd, iov, -1));

	/* fstat, stat, lstat, fstatat */
	res("fstat", fstat(fd, &st));
	say("size", st.st_size);
	say("mode", st.st_mode & 07777);
	say("is reg", S_ISREG(st.st_mode));
	res("fstat -1", fstat(-1, &st));
	res("fstat 999", fstat(999, &st));
	res("stat", stat(f1, &st));
	say("size", st.st_size);
	res("stat missing", stat(f2, &st));
	res("stat empty", stat("", &st));
	res("lstat dir", lstat(dir, &st));
	say("is dir", S_ISDIR(st.st_mode));
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	res("open dir", dfd >= 0 ? 0 : -1);
	res("fstatat", fstatat(dfd, "one", &st, 0));
	say("size", st.st_size);
	res("fstatat empty path", fstatat(dfd, "", &st, AT_EMPTY_PATH));
	say("is dir", S_ISDIR(st.st_mode));
	res("fstatat bad flag", fstatat(dfd, "one", &st, 0x4000000));
	res("open not dir", open(f1, O_RDONLY | O_DIRECTORY));

	/* fcntl, dup family, pipes */
	res("fcntl getfd", fcntl(fd, F_GETFD));
	res("fcntl setfd", fcntl(fd, F_SETFD, FD_CLOEXEC));
	res("fcntl getfd", fcntl(fd, F_GETFD));
	res("fcntl getfl accmode", fcntl(fd, F_GETFL) & O_ACCMODE);
	res("fcntl setfl", fcntl(fd, F_SETFL, O_APPEND));
	res("fcntl getfl append", !!(fcntl(fd, F_GETFL) & O_APPEND));
	res("fcntl bad fd", fcntl(-1, F_GETFD));
	res("fcntl bad cmd", fcntl(fd, 12345));
	res("fcntl getown", fcntl(fd, F_GETOWN));
	int d2 = fcntl(fd, F_DUPFD, 50);
	res("fcntl dupfd >= 50", d2 >= 50 ? 0 : -1);
	res("close dupfd", close(d2));
	res("fcntl dupfd_cloexec", fcntl(fd, F_DUPFD_CLOEXEC, 60) >= 60 ? fcntl(60, F_GETFD) : -1);
	res("close 60", close(60));
	int d = dup(fd);
	res("dup", d > fd ? 0 : -1);
	res("dup bad", dup(-1));
	res("dup2", dup2(fd, 40));
	res("dup2 same", dup2(fd, fd) == fd ? 0 : -1);
	res("dup2 bad", dup2(-1, 41));
	res("dup3", dup3(fd, 41, O_CLOEXEC));
	res("fcntl 41", fcntl(41, F_GETFD));
	res("dup3 same", dup3(fd, fd, 0));
	res("dup3 other flags ignored", dup3(fd, 42, 1));
	res("dup3 bad fd", dup3(-1, 42, O_CLOEXEC));
	close(40);
	close(41);
	close(d);
	int p[2];
	res("pipe", pipe(p));
	res("pipe write", write(p[1], "xyz", 3));
	res("pipe read", read(p[0], buf, 10));
	res("lseek pipe", lseek(p[0], 0, SEEK_SET));
	close(p[0]);
	close(p[1]);
	res("pipe2", pipe2(p, O_CLOEXEC | O_NONBLOCK));
	res("pipe2 fl nonblock", !!(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	res("pipe2 fd cloexec", fcntl(p[1], F_GETFD));
	res("read empty nonblock", read(p[0], buf, 1));
	close(p[0]);
	close(p[1]);
	res("pipe2 bad", pipe2(p, 0x40));
	res("pipe2 0", pipe2(p, 0));
	close(p[0]);
	close(p[1]);

	/* ioctl, isatty */
	res("ioctl FIONREAD file", ioctl(fd, FIONREAD, &d));
	res("ioctl bad fd", ioctl(-1, FIONREAD, &d));
	errno = 0;
	res("isatty file", isatty(fd));
	say("errno", errno);
	res("isatty bad", isatty(-1));
	say("errno", errno);

	/* truncate, fsync, access */
	res("ftruncate", ftruncate(fd, 3));
	res("fstat", fstat(fd, &st));
	say("size", st.st_size);
	res("truncate", truncate(f1, 8));
	res("stat", stat(f1, &st));
	say("size", st.st_size);
	res("truncate negative", truncate(f1, -1));
	res("truncate missing", truncate(f2, 0));
	res("fsync", fsync(fd));
	res("fsync bad", fsync(-1));
	res("access", access(f1, R_OK | W_OK));
	res("access missing", access(f2, F_OK));
	res("access bad mode", access(f1, 0x100));
	res("faccessat", faccessat(dfd, "one", R_OK, 0));
	res("faccessat eaccess", faccessat(dfd, "one", R_OK, AT_EACCESS));
	res("faccessat bad flag", faccessat(dfd, "one", R_OK, 0x1));
	res("close", close(fd));
	res("close again", close(fd));

	/* creat, openat, rename, unlink, unlinkat, mkdir, rmdir */
	fd = creat(f2, 0600);
	res("creat", fd >= 0 ? 0 : -1);
	res("creat fd wronly", fcntl(fd, F_GETFL) & O_ACCMODE);
	res("read wronly", read(fd, buf, 1));
	close(fd);
	fd = openat(dfd, "three", O_CREAT | O_WRONLY, 0644);
	res("openat", fd >= 0 ? 0 : -1);
	close(fd);
	res("openat bad dirfd", openat(-5, "three", O_RDONLY));
	res("openat absolute ignores dirfd", (fd = openat(-5, f1, O_RDONLY)) >= 0 ? 0 : -1);
	close(fd);
	res("mkdir sub", mkdir(sub, 0700));
	res("mkdir missing parent", mkdir("/nonexistent/a/b", 0700));
	list(dir);
	res("opendir missing", opendir(f2) ? 0 : -1);
	res("opendir not dir", opendir("/nonexistent") ? 0 : -1);
	res("rename", rename(f2, sub));
	char f4[170];
	cat(f4, sub, "/four");
	res("rename into sub", rename(f2, f4));
	res("rename missing", rename(f2, f4));
	res("rmdir non-empty", rmdir(sub));
	res("unlink dir", unlink(sub));
	res("unlinkat", unlinkat(dfd, "three", 0));
	res("unlinkat missing", unlinkat(dfd, "three", 0));
	res("unlinkat bad flag", unlinkat(dfd, "one", 0x1));
	res("unlink", unlink(f4));
	res("rmdir", rmdir(sub));
	res("mkdir sub again", mkdir(sub, 0700));
	res("unlinkat dir", unlinkat(dfd, "sub", AT_REMOVEDIR));
	res("unlinkat dir gone", unlinkat(dfd, "sub", AT_REMOVEDIR));
	list(dir);

	/* a directory bigger than readdir's buffer: several getdents64 calls */
	char many[200];
	cat(many, dir, "/many");
	res("mkdir many", mkdir(many, 0700));
	for (int i = 0; i < 150; i++) {
		char nm[300], num[8] = "000";
		num[0] = '0' + i / 100, num[1] = '0' + i / 10 % 10, num[2] = '0' + i % 10;
		cat(nm, many, "/a-fairly-long-file-name-to-fill-the-buffer-");
		cat(nm + strlen(nm), num, "");
		close(open(nm, O_CREAT | O_WRONLY, 0600));
	}
	DIR *md = opendir(many);
	int count = 0, sum = 0;
	struct dirent *me;
	while ((me = readdir(md))) {
		count++;
		if (me->d_name[0] == 'a') sum += (me->d_name[43] - '0') * 100 + (me->d_name[44] - '0') * 10 + me->d_name[45] - '0';
	}
	say("entries", count);
	say("sum of numbers", sum);
	closedir(md);
	md = opendir(many);
	while ((me = readdir(md)))
		if (me->d_name[0] == 'a') {
			char nm[300];
			cat(nm, many, "/");
			cat(nm + strlen(nm), me->d_name, "");
			unlink(nm);
		}
	closedir(md);
	res("rmdir many", rmdir(many));

	/* O_TMPFILE takes a mode too; record locks take a struct flock */
	fd = open(dir, O_TMPFILE | O_RDWR, 0600);
	res("open O_TMPFILE", fd >= 0 ? 0 : -errno);
	if (fd >= 0) {
		res("fstat tmpfile", fstat(fd, &st));
		say("mode", st.st_mode & 07777);
		say("links", st.st_nlink);
		close(fd);
	}
	fd = open(f1, O_RDWR);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 4 };
	res("fcntl setlk", fcntl(fd, F_SETLK, &fl));
	fl.l_type = F_WRLCK;
	res("fcntl getlk", fcntl(fd, F_GETLK, &fl));
	say("own lock shows unlocked", fl.l_type == F_UNLCK);
	fl.l_type = 99;
	res("fcntl setlk bad type", fcntl(fd, F_SETLK, &fl));
	res("ioctl TIOCGWINSZ file", ioctl(fd, TIOCGWINSZ, &fl));
	close(fd);

	/* chdir, getcwd */
	char cwd[256];
	res("chdir", chdir(dir));
	res("getcwd", getcwd(cwd, sizeof cwd) == cwd ? 0 : -1);
	say("getcwd is dir", same(cwd, dir));
	res("getcwd size 0", getcwd(cwd, 0) ? 0 : -1);
	res("getcwd small", getcwd(cwd, 4) ? 0 : -1);
	char *m = getcwd(0, 0);
	res("getcwd alloc", m ? 0 : -1);
	say("getcwd alloc is dir", m && same(m, dir));
	free(m);
	res("chdir missing", chdir("/nonexistent"));
	res("chdir file", chdir(f1));
	res("chdir /", chdir("/"));
	res("unlink", unlink(f1));
	res("rmdir", rmdir(dir));
	res("rmdir again", rmdir(dir));
	close(dfd);

	/* mmap, mprotect, madvise, munmap */
	char *a = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	res("mmap", a == MAP_FAILED ? -1 : 0);
	a[0] = 'q';
	a[8191] = 'r';
	res("mmap zeroed", a[1] + a[8190]);
	res("mprotect unaligned", mprotect(a + 100, 10, PROT_READ));
	res("mprotect bad prot", mprotect(a, 4096, 0x1000));
	res("madvise", madvise(a, 8192, MADV_DONTNEED));
	res("madvise bad", madvise(a + 1, 4096, MADV_DONTNEED));
	res("munmap", munmap(a, 8192));
	res("munmap unaligned", munmap(a + 1, 4096));
	res("mmap bad offset", mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1) == MAP_FAILED ? -1 : 0);
	res("mmap huge", mmap(0, (size_t)-1 / 2 + 1, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
	res("mmap bad fd", mmap(0, 4096, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED ? -1 : 0);
	res("mmap zero length", mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
	return 0;
}
