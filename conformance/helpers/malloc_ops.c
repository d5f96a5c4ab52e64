/* Helper process for the stateful differential tests of the malloc family
 * (conformance/tests/differential.rs, mode "helpers"). Built with musl-gcc;
 * run once on stock musl and once with vicuna's overlay preloaded (which
 * interposes malloc under musl), reading the same script from stdin. Each
 * operation prints one line of what a program can observe — null or not,
 * errno, alignment, zeroing, preserved contents, usable size at least the
 * request, no overlap with live blocks — never addresses, so the two
 * transcripts must be identical.
 *
 * Script lines (S is a slot 0..63; a slot's old block is freed first):
 *   m S N      malloc(N)            c S K N    calloc(K, N)
 *   r S N      realloc(slot, N)     y S K N    reallocarray(slot, K, N)
 *   a S A N    aligned_alloc(A, N)  g S A N    memalign(A, N)
 *   p S A N    posix_memalign(&p, A, N)   v S N    valloc(N)
 *   f S        free(slot)           u S        malloc_usable_size(slot)
 *   x          free every slot
 * With the argument "which", prints the file that provides malloc instead
 * (the harness checks the overlay really interposes).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#define SLOTS 64
/* Blocks are filled and checked up to this many bytes (big ones at both
 * ends), so huge requests stay cheap. */
#define CHECK_BYTES 4096

static unsigned char *slot[SLOTS];
static size_t size[SLOTS];

static unsigned char pattern(int s, size_t i) { return (unsigned char)(s * 37 + i * 11 + 1); }

static void fill(int s)
{
	size_t n = size[s];
	for (size_t i = 0; i < n && i < CHECK_BYTES; i++) slot[s][i] = pattern(s, i);
	for (size_t i = n > CHECK_BYTES ? n - CHECK_BYTES : n; i < n; i++) slot[s][i] = pattern(s, i);
}

/* Whether the first min(n, size) bytes still hold slot s's pattern. */
static int intact(int s, const unsigned char *p, size_t n)
{
	size_t m = n < size[s] ? n : size[s];
	for (size_t i = 0; i < m && i < CHECK_BYTES; i++) if (p[i] != pattern(s, i)) return 0;
	for (size_t i = m > CHECK_BYTES ? m - CHECK_BYTES : m; i < m; i++) if (p[i] != pattern(s, i)) return 0;
	return 1;
}

static void release(int s)
{
	if (slot[s] && !intact(s, slot[s], size[s])) printf("  slot %d CORRUPTED before free\n", s);
	free(slot[s]);
	slot[s] = 0;
	size[s] = 0;
}

/* Reports a new block and takes it into slot s. */
static void took(int s, void *p, size_t n, size_t align, int zero)
{
	if (!p) {
		printf("null errno=%d\n", errno);
		return;
	}
	int aligned = ((uintptr_t)p % (align < 16 ? 16 : align)) == 0;
	int zeroed = 1;
	if (zero)
		for (size_t i = 0; i < n && i < CHECK_BYTES; i++) zeroed &= ((unsigned char *)p)[i] == 0;
	printf("ok errno=%d%s%s\n", errno, aligned ? "" : " MISALIGNED", zeroed ? "" : " NOT-ZEROED");
	slot[s] = p;
	size[s] = n;
	fill(s);
	for (int t = 0; t < SLOTS; t++)
		if (t != s && slot[t] && !intact(t, slot[t], size[t])) printf("  slot %d OVERWRITTEN\n", t);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "which")) {
		Dl_info info;
		void *volatile fns[] = { (void *)malloc, (void *)free, (void *)calloc, (void *)realloc };
		for (int i = 0; i < 4; i++)
			puts(dladdr(fns[i], &info) && info.dli_fname ? info.dli_fname : "unknown");
		return 0;
	}
	char op;
	int s;
	unsigned long long a, b;
	char line[256];
	while (fgets(line, sizeof line, stdin)) {
		a = b = 0;
		s = 0;
		if (sscanf(line, " %c %d %llu %llu", &op, &s, &a, &b) < 1) continue;
		if (s < 0 || s >= SLOTS) s = 0;
		fputs(line, stdout);
		errno = 0;
		switch (op) {
		case 'm': release(s); took(s, malloc(a), a, 0, 0); break;
		case 'c': release(s); took(s, calloc(a, b), a * b, 0, 1); break;
		case 'a': release(s); took(s, aligned_alloc(a, b), b, a, 0); break;
		case 'g': release(s); took(s, memalign(a, b), b, a, 0); break;
		case 'v': release(s); took(s, valloc(a), a, 4096, 0); break;
		case 'p': {
			release(s);
			void *p = (void *)1;
			int r = posix_memalign(&p, a, b);
			printf("  returns %d%s\n", r, r && p != (void *)1 ? " and CHANGED the pointer" : "");
			took(s, r ? 0 : p, b, a, 0);
			break;
		}
		case 'r':
		case 'y': {
			size_t n = op == 'r' ? a : a * b;
			void *p = op == 'r' ? realloc(slot[s], a) : reallocarray(slot[s], a, b);
			int overflow = op == 'y' && b && a > SIZE_MAX / b;
			if (!p && (n || overflow || !slot[s])) {
				/* failure (or size 0 with no block): the old block stays */
				printf("null errno=%d\n", errno);
			} else if (!p) {
				/* realloc(p, 0) returned NULL: the block was freed */
				printf("null (freed) errno=%d\n", errno);
				slot[s] = 0;
				size[s] = 0;
			} else {
				printf("  %s\n", slot[s] && !intact(s, p, n) ? "contents LOST" : "contents kept");
				slot[s] = 0;
				took(s, p, n, 0, 0);
			}
			break;
		}
		case 'f': release(s); printf("ok errno=%d\n", errno); break;
		case 'u':
			printf("%s\n", !slot[s] ? "empty" : malloc_usable_size(slot[s]) >= size[s] ? "usable >= requested" : "usable TOO SMALL");
			break;
		case 'x':
			for (int t = 0; t < SLOTS; t++) release(t);
			printf("ok\n");
			break;
		default: printf("unknown op\n");
		}
		fflush(stdout);
	}
	for (int t = 0; t < SLOTS; t++) release(t);
	return 0;
}
