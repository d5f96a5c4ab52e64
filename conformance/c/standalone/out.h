/* Output for the standalone programs: write(2) only, no stdio, so that the
 * same source runs on stock musl and on vicuna's libc.a alone. */
#include <string.h>
#include <unistd.h>

#define UNUSED __attribute__((unused))

UNUSED static void put(const char *s) { write(1, s, strlen(s)); }

UNUSED static void put_long(long v)
{
	char b[24];
	int i = sizeof b;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
	do b[--i] = '0' + u % 10; while (u /= 10);
	if (v < 0) b[--i] = '-';
	write(1, b + i, sizeof b - i);
}

/* "name=value\n" */
UNUSED static void say(const char *name, long v) { put(name); put("="); put_long(v); put("\n"); }
UNUSED static void say_str(const char *name, const char *v) { put(name); put("="); put(v ? v : "(null)"); put("\n"); }

/* vicuna has no strcmp yet. */
UNUSED static int same(const char *a, const char *b)
{
	while (*a && *a == *b) a++, b++;
	return *a == *b;
}
UNUSED static int starts(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix) s++, prefix++;
	return !*prefix;
}
