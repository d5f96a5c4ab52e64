/* The malloc family's edge cases; prints facts that must read the same
 * under stock musl and under vicuna (overlay or static libc.a). */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile size_t big = SIZE_MAX;

int main(void)
{
	void *p = malloc(0), *q = malloc(0);
	printf("malloc(0): nonnull=%d unique=%d\n", p != 0, p != q);
	void *r = realloc(p, 0);
	printf("realloc(p,0): nonnull=%d\n", r != 0);
	free(r);
	free(q);
	free(0);
	errno = 0; r = aligned_alloc(0, 10); printf("aligned_alloc(0): nonnull=%d errno=%d\n", r != 0, errno); free(r);
	errno = 0; r = aligned_alloc(3, 10); printf("aligned_alloc(3): %s errno=%d\n", r ? "nonnull" : "null", errno);
	errno = 0; r = memalign(24, 10); printf("memalign(24): %s errno=%d\n", r ? "nonnull" : "null", errno);
	errno = 0; r = memalign((size_t)1 << 36, 10); printf("memalign(2^36): %s errno=%d\n", r ? "nonnull" : "null", errno);
	for (size_t a = 16; a <= ((size_t)1 << 24); a <<= 1) {
		errno = 0;
		r = aligned_alloc(a, a / 2 + 3);
		int ok = r && ((uintptr_t)r & (a - 1)) == 0;
		if (r) memset(r, 1, a / 2 + 3);
		if (!ok) printf("aligned_alloc(%zu): bad %p\n", a, r);
		free(r);
	}
	void *x = (void *)1;
	int e;
	e = posix_memalign(&x, 4, 10); printf("posix_memalign(4): %d\n", e);
	e = posix_memalign(&x, 24, 10); printf("posix_memalign(24): %d\n", e);
	e = posix_memalign(&x, 0, 10); printf("posix_memalign(0): %d\n", e);
	e = posix_memalign(&x, 4096, 10); printf("posix_memalign(4096): %d aligned=%d\n", e, ((uintptr_t)x & 4095) == 0); free(x);
	errno = 0; r = calloc(big / 2, 3); printf("calloc overflow: %s errno=%d\n", r ? "nonnull" : "null", errno);
	errno = 0; r = malloc(big); printf("malloc(SIZE_MAX): %s errno=%d\n", r ? "nonnull" : "null", errno);
	errno = 0; r = malloc(big / 2); printf("malloc(SIZE_MAX/2): %s errno=%d\n", r ? "nonnull" : "null", errno);
	q = malloc(10); strcpy(q, "intact");
	errno = 0; r = realloc(q, big); printf("realloc(SIZE_MAX): %s errno=%d old=%s\n", r ? "nonnull" : "null", errno, (char *)q);
	errno = 0; r = reallocarray(q, big / 2, 3); printf("reallocarray overflow: %s errno=%d old=%s\n", r ? "nonnull" : "null", errno, (char *)q);
	errno = 0; r = reallocarray(0, 0, 3); printf("reallocarray(0,0,3): nonnull=%d\n", r != 0); free(r);
	r = calloc(0, 0); printf("calloc(0,0): nonnull=%d\n", r != 0); free(r);
	printf("malloc_usable_size(0)=%zu usable>=request: %d\n", malloc_usable_size(0), malloc_usable_size(q) >= 10);
	free(q);
	r = valloc(10); printf("valloc: aligned=%d\n", ((uintptr_t)r & 4095) == 0); free(r);
	/* calloc really zeroes recycled memory */
	for (size_t n = 1; n < 300000; n = n * 3 + 1) {
		char *c = malloc(n); memset(c, 0xa5, n); free(c);
		c = calloc(n, 1);
		for (size_t i = 0; i < n; i++) if (c[i]) { printf("calloc(%zu) not zero at %zu\n", n, i); break; }
		free(c);
	}
	/* realloc keeps contents through growth and shrinkage */
	char *s = malloc(1);
	s[0] = 'v';
	size_t sizes[] = { 7, 100, 1000, 20000, 200000, 3000000, 100, 1 };
	for (int i = 0; i < 8; i++) { s = realloc(s, sizes[i]); if (!s || s[0] != 'v') printf("realloc lost data at %zu\n", sizes[i]); }
	free(s);
	puts("done");
	return 0;
}
