/* Shared helpers of the posix_* standalone programs. */
#include <errno.h>
#include "out.h"

/* "what -> r" and, when r < 0, the errno. */
UNUSED static void res(const char *what, long r)
{
	put(what);
	put(" -> ");
	put_long(r);
	if (r < 0) {
		put(" errno ");
		put_long(errno);
	}
	put("\n");
}

/* dst = a + b (no string library needed). */
UNUSED static char *cat(char *dst, const char *a, const char *b)
{
	char *d = dst;
	while (*a) *d++ = *a++;
	while (*b) *d++ = *b++;
	*d = 0;
	return dst;
}

/* A fresh directory under /tmp named after the pid. */
UNUSED static void tmpdir(char *out, const char *tag)
{
	char num[24];
	int i = sizeof num - 1;
	unsigned long p = getpid();
	num[i] = 0;
	do num[--i] = '0' + p % 10; while (p /= 10);
	cat(out, "/tmp/vicuna-sa-", tag);
	cat(out + strlen(out), "-", num + i);
}
