/* Before/after comparison of the search family: the host glibc's routines
 * against vicuna's exported (dispatched) ones, in one process, interleaved
 * in short blocks, medians of many rounds. The byte or needle sought is at
 * the end of the buffer (a full scan); buffers start 5 bytes past a 64-byte
 * boundary.
 *
 *   search_bench path/to/libvicuna-preload.so [rounds]
 *
 * glibc's routines come from dlopen("libc.so.6") and vicuna's from dlopen
 * of the overlay, so neither shadows the other. Prints a markdown table of
 * nanoseconds per call. Set VICUNA_CPU to time a lower level. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MEMCHR, MEMRCHR, STRNLEN, STRCHR, STRRCHR, STRSPN, STRCSPN, STRSTR, MEMMEM, NFN };
static const char *names[NFN] = { "memchr", "memrchr", "strnlen", "strchr", "strrchr", "strspn", "strcspn",
	"strstr", "memmem" };

struct impl { const char *label; void *f[NFN]; };

static struct impl load(const char *label, const char *path)
{
	struct impl i = { label, { 0 } };
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) { fprintf(stderr, "dlopen %s: %s\n", path, dlerror()); exit(2); }
	for (int k = 0; k < NFN; k++)
		if (!(i.f[k] = dlsym(h, names[k]))) { fprintf(stderr, "dlsym %s\n", names[k]); exit(2); }
	return i;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static volatile size_t sink;

/* One block of `iters` calls of routine `k` on a buffer of `n` bytes. */
static double block(struct impl *im, int k, unsigned char *s, size_t n, long iters)
{
	double t = now_ns();
	for (long i = 0; i < iters; i++) {
		size_t r = 0;
		switch (k) {
		case MEMCHR: r = (size_t)((void *(*)(const void *, int, size_t))im->f[k])(s, 'y', n); break;
		case MEMRCHR: r = (size_t)((void *(*)(const void *, int, size_t))im->f[k])(s, 'w', n); break;
		case STRNLEN: r = ((size_t (*)(const char *, size_t))im->f[k])((char *)s, n + 10); break;
		case STRCHR: r = (size_t)((char *(*)(const char *, int))im->f[k])((char *)s, 'y'); break;
		case STRRCHR: r = (size_t)((char *(*)(const char *, int))im->f[k])((char *)s, 'w'); break;
		case STRSPN: r = ((size_t (*)(const char *, const char *))im->f[k])((char *)s, "xw \t"); break;
		case STRCSPN: r = ((size_t (*)(const char *, const char *))im->f[k])((char *)s, "y;:,"); break;
		case STRSTR: r = (size_t)((char *(*)(const char *, const char *))im->f[k])((char *)s, "needle"); break;
		case MEMMEM: r = (size_t)((void *(*)(const void *, size_t, const void *, size_t))im->f[k])(s, n, "needle", 6); break;
		}
		sink += r;
	}
	return (now_ns() - t) / iters;
}

int main(int argc, char **argv)
{
	if (argc < 2) { fprintf(stderr, "usage: %s libvicuna-preload.so [rounds]\n", argv[0]); return 2; }
	int rounds = argc > 2 ? atoi(argv[2]) : 11;
	struct impl im[2] = { load("glibc", "libc.so.6"), load("vicuna", argv[1]) };
	static const size_t sizes[] = { 16, 64, 256, 1024, 4096, 65536 };
	unsigned char *raw = aligned_alloc(64, 70000 + 128);
	unsigned char *s = raw + 5;
	double *t = malloc(sizeof(double) * rounds * 2);
	printf("| routine | bytes | glibc ns | vicuna ns | glibc/vicuna |\n|---|---:|---:|---:|---:|\n");
	for (int k = 0; k < NFN; k++) {
		for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
			size_t n = sizes[si];
			/* 'x' everywhere; the sought byte/needle at the end, 'w' (for
			 * the reverse scans) at the start, NUL after the buffer */
			memset(s, 'x', n);
			s[n] = 0;
			s[n - 1] = 'y';
			s[0] = 'w';
			if (k == STRSTR || k == MEMMEM) { s[n - 1] = 'x'; memcpy(s + n - 6, "needle", 6); }
			long iters = 200000 / (n / 16 + 4) + 50;
			double med[2];
			for (int w = 0; w < 2; w++) block(&im[w], k, s, n, iters);
			for (int r = 0; r < rounds; r++)
				for (int w = 0; w < 2; w++) t[w * rounds + r] = block(&im[w], k, s, n, iters);
			for (int w = 0; w < 2; w++) {
				qsort(t + w * rounds, rounds, sizeof(double), cmp_double);
				med[w] = t[w * rounds + rounds / 2];
			}
			printf("| %s | %zu | %.1f | %.1f | %.2f |\n", names[k], n, med[0], med[1], med[0] / med[1]);
		}
	}
	free(t);
	free(raw);
	return 0;
}
