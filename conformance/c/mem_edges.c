/* Documented edge cases of memcpy, memmove, memset, memcmp, bcmp and
 * strlen (POSIX and musl 1.2.3's behaviour), through the C ABI. Prints one
 * line per observation, so the runner compares the whole output with stock
 * musl's; also self-checks the POSIX requirements and exits non-zero on a
 * violation. Built with -fno-builtin so every call reaches the library.
 *
 * Runner convention (conformance/run.py): every C file in conformance/c/
 * other than which.c and crt.c is built for glibc and musl, run against stock musl,
 * with the overlay preloaded and statically with libc.a, and must print
 * exactly what stock musl prints and exit 0. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

static int failures;
#define CHECK(cond, what) do { if (!(cond)) { failures++; printf("FAIL %s (line %d)\n", what, __LINE__); } } while (0)

static int sign(int x) { return (x > 0) - (x < 0); }

/* `len` bytes ending exactly at an unmapped page. */
static unsigned char *at_page_end(size_t len)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char *p = mmap(0, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) { perror("mmap"); exit(2); }
	mprotect(p + pg, pg, PROT_NONE);
	return p + pg - len;
}

int main(void)
{
	unsigned char a[256], b[256];
	for (int i = 0; i < 256; i++) a[i] = b[i] = (unsigned char)i;

	/* Return values are the destination, also for n == 0. */
	CHECK(memcpy(b, a, 0) == b, "memcpy(d, s, 0) returns d");
	CHECK(memmove(b, a, 0) == b, "memmove(d, s, 0) returns d");
	CHECK(memset(b, 'x', 0) == b && b[0] == 0, "memset(d, c, 0) returns d, writes nothing");
	CHECK(memmove(a, a, 256) == a && a[200] == 200, "memmove onto itself");

	/* memset converts c to unsigned char. */
	memset(b, 0x1ff, 4);
	printf("memset 0x1ff -> %02x\n", b[0]);
	CHECK(b[0] == 0xff && b[3] == 0xff && b[4] == 4, "memset uses (unsigned char)c");
	memset(b, -2, 3);
	printf("memset -2 -> %02x\n", b[0]);
	CHECK(b[0] == 0xfe && b[3] == 0xff, "memset negative c");
	memset(b, INT_MIN + 'q', 2);
	CHECK(b[0] == 'q', "memset INT_MIN + q");

	/* memcmp compares unsigned chars, does not stop at NUL, is 0 for n == 0;
	 * musl returns the difference of the first differing bytes. */
	printf("memcmp 80 vs 7f: %d\n", memcmp("\x80", "\x7f", 1));
	CHECK(memcmp("\x80", "\x7f", 1) > 0, "memcmp is unsigned");
	printf("memcmp ff vs 00: %d\n", memcmp("\xff", "", 1));
	printf("memcmp past NUL: %d\n", memcmp("a\0b", "a\0c", 3));
	CHECK(memcmp("a\0b", "a\0c", 3) < 0, "memcmp continues past NUL");
	CHECK(memcmp("x", "y", 0) == 0, "memcmp n == 0");
	for (int n = 1; n <= 256; n *= 2) {
		unsigned char x[256], y[256];
		memset(x, 0x41, n); memset(y, 0x41, n);
		y[n - 1] = 0x42;
		int r = memcmp(x, y, n);
		printf("memcmp last byte of %d: %d / %d\n", n, r, memcmp(y, x, n));
		CHECK(sign(r) == -1 && sign(memcmp(y, x, n)) == 1, "memcmp last byte");
	}

	/* bcmp: zero iff equal. */
	CHECK(bcmp("abc", "abc", 3) == 0 && bcmp("abc", "abd", 3) != 0, "bcmp");
	CHECK(bcmp("abc", "xyz", 0) == 0, "bcmp n == 0");
	printf("bcmp equal: %d, differ: %s\n", bcmp("q", "q", 1), bcmp("q", "r", 1) ? "nonzero" : "zero");

	/* strlen: stops at the first NUL; high bytes count. */
	CHECK(strlen("") == 0, "strlen empty");
	CHECK(strlen("ab\0cd") == 2, "strlen embedded NUL");
	CHECK(strlen("\x80\xff\x01") == 3, "strlen high bytes");
	for (size_t len = 0; len < 200; len++) {
		unsigned char *s = at_page_end(len + 1);
		memset(s, 0xa5, len);
		s[len] = 0;
		CHECK(strlen((char *)s) == len, "strlen at page end");
		unsigned char *d = at_page_end(len);
		CHECK(memcpy(d, s, len) == d && memcmp(d, s, len) == 0 && bcmp(d, s, len) == 0, "copy at page end");
		CHECK(memmove(d, s, len) == d && memset(d, 0, len) == d, "move/set at page end");
		munmap(s + len + 1 - sysconf(_SC_PAGESIZE), 2 * sysconf(_SC_PAGESIZE));
		munmap(d + len - sysconf(_SC_PAGESIZE), 2 * sysconf(_SC_PAGESIZE));
	}
	size_t big = 1 << 20;
	char *s = malloc(big + 1);
	memset(s, 'z', big);
	s[big] = 0;
	printf("strlen 1 MiB: %zu\n", strlen(s));
	CHECK(strlen(s) == big, "strlen 1 MiB");

	/* memmove: overlapping both ways by one byte, large. */
	char *m = malloc(big + 64);
	for (size_t i = 0; i < big + 64; i++) m[i] = (char)(i * 7);
	memmove(m + 1, m, big);
	CHECK(m[1] == 0 && m[big] == (char)((big - 1) * 7), "memmove forward by one");
	memmove(m, m + 1, big);
	CHECK(m[0] == 0 && m[big - 1] == (char)((big - 1) * 7), "memmove backward by one");
	free(m);
	free(s);

	printf("mem_edges: %d failures\n", failures);
	return failures != 0;
}
