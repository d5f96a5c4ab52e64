/* A program with its own allocator: with the overlay preloaded, vicuna's
 * strdup/strndup/wcsdup must allocate with the program's malloc (its own
 * free then accepts the blocks). The program's allocator is a bump arena
 * that refuses frees of blocks it did not hand out. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

static _Alignas(16) char arena[1 << 20];
static size_t used;
/* volatile: glibc declares strdup "leaf" (no calls back into this file), so
 * the compiler may otherwise keep a stale copy across the calls. */
static volatile int mine;

void *malloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (used + n > sizeof arena) return 0;
	void *p = arena + used;
	used += n;
	mine++;
	return p;
}
void free(void *p)
{
	if (p && ((char *)p < arena || (char *)p >= arena + sizeof arena)) {
		static const char msg[] = "free of a foreign block\n";
		write(2, msg, sizeof msg - 1);
		abort();
	}
}
void *calloc(size_t m, size_t n)
{
	if (n && m > (size_t)-1 / n) return 0;
	void *p = malloc(m * n);
	if (p) memset(p, 0, m * n);
	return p;
}
void *realloc(void *p, size_t n)
{
	void *q = malloc(n);
	if (q && p) memcpy(q, p, n); /* arena blocks are never shorter than n here */
	return q;
}

int main(void)
{
	int before = mine;
	char *a = strdup("interposed");
	char *b = strndup("interposed", 5);
	wchar_t *w = wcsdup(L"wide");
	int count = mine - before; /* before printf, which may allocate too */
	printf("%s %s %ls: %d blocks from the program's malloc\n", a, b, w, count);
	free(a);
	free(b);
	free(w);
	return count == 3 ? 0 : 1;
}
