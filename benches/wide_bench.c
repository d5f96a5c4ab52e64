/* Before/after comparison of the wide-character routines: the host glibc's
 * against vicuna's exported (dispatched) ones, in one process, interleaved
 * in short blocks, medians of many rounds (the method of slice_bench.c).
 *
 *   wide_bench path/to/libvicuna-preload.so [rounds]
 *
 * Run it again with VICUNA_CPU=generic to see vicuna's portable element
 * loops, which do what musl's C loops do. Prints a markdown table. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

struct impl {
	const char *name;
	size_t (*wcslen)(const wchar_t *);
	size_t (*wcsnlen)(const wchar_t *, size_t);
	wchar_t *(*wcschr)(const wchar_t *, wchar_t);
	wchar_t *(*wcsrchr)(const wchar_t *, wchar_t);
	int (*wcscmp)(const wchar_t *, const wchar_t *);
	int (*wcsncmp)(const wchar_t *, const wchar_t *, size_t);
	wchar_t *(*wmemchr)(const wchar_t *, wchar_t, size_t);
	int (*wmemcmp)(const wchar_t *, const wchar_t *, size_t);
	wchar_t *(*wmemset)(wchar_t *, wchar_t, size_t);
	wchar_t *(*wcscpy)(wchar_t *, const wchar_t *);
	wchar_t *(*wcsstr)(const wchar_t *, const wchar_t *);
};

static void *sym(void *h, const char *name)
{
	void *p = dlsym(h, name);
	if (!p) { fprintf(stderr, "dlsym %s: %s\n", name, dlerror()); exit(2); }
	return p;
}

static struct impl load(const char *label, const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) { fprintf(stderr, "dlopen %s: %s\n", path, dlerror()); exit(2); }
	struct impl i = { label, sym(h, "wcslen"), sym(h, "wcsnlen"), sym(h, "wcschr"), sym(h, "wcsrchr"),
		sym(h, "wcscmp"), sym(h, "wcsncmp"), sym(h, "wmemchr"), sym(h, "wmemcmp"), sym(h, "wmemset"),
		sym(h, "wcscpy"), sym(h, "wcsstr") };
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

enum op { WCSLEN, WCSNLEN, WCSCHR, WCSRCHR, WCSCMP, WCSNCMP, WMEMCHR, WMEMCMP, WMEMSET, WCSCPY, WCSSTR, NOPS };
static const char *op_names[] = { "wcslen", "wcsnlen", "wcschr", "wcsrchr", "wcscmp", "wcsncmp", "wmemchr",
	"wmemcmp", "wmemset", "wcscpy", "wcsstr" };

static wchar_t *src, *dst, *cmp2, needle[] = { 'a', 'a', 'a', 'b', 'a', 0 };
static volatile size_t sink;

/* Runs `iters` calls of one operation on strings of `n` elements (the
 * searched-for element, when there is one, is the last); ns per call. */
static double run(const struct impl *im, enum op op, size_t n, long iters)
{
	double t0 = now_ns();
	switch (op) {
	case WCSLEN: for (long i = 0; i < iters; i++) sink += im->wcslen(src); break;
	case WCSNLEN: for (long i = 0; i < iters; i++) sink += im->wcsnlen(src, n + 100); break;
	case WCSCHR: for (long i = 0; i < iters; i++) sink += (size_t)im->wcschr(src, 'z'); break;
	case WCSRCHR: for (long i = 0; i < iters; i++) sink += (size_t)im->wcsrchr(src, 'a'); break;
	case WCSCMP: for (long i = 0; i < iters; i++) sink += im->wcscmp(src, cmp2); break;
	case WCSNCMP: for (long i = 0; i < iters; i++) sink += im->wcsncmp(src, cmp2, n + 100); break;
	case WMEMCHR: for (long i = 0; i < iters; i++) sink += (size_t)im->wmemchr(src, 'z', n); break;
	case WMEMCMP: for (long i = 0; i < iters; i++) sink += im->wmemcmp(src, cmp2, n); break;
	case WMEMSET: for (long i = 0; i < iters; i++) im->wmemset(dst, (wchar_t)i, n); break;
	case WCSCPY: for (long i = 0; i < iters; i++) im->wcscpy(dst, src); break;
	case WCSSTR: for (long i = 0; i < iters; i++) sink += (size_t)im->wcsstr(src, needle); break;
	default: break;
	}
	return (now_ns() - t0) / iters;
}

int main(int argc, char **argv)
{
	if (argc < 2) { fprintf(stderr, "usage: %s libvicuna-preload.so [rounds]\n", argv[0]); return 2; }
	int rounds = argc > 2 ? atoi(argv[2]) : 21;
	struct impl impls[2] = { load("glibc", "libc.so.6"), load("vicuna", argv[1]) };
	static const size_t sizes[] = { 7, 33, 257, 4100 };
	enum { NS = sizeof sizes / sizeof *sizes };
	size_t cap = 4100 + 1024;
	src = aligned_alloc(4096, cap * 4);
	dst = aligned_alloc(4096, cap * 4 + 4096);
	cmp2 = aligned_alloc(4096, cap * 4);
	/* Keep the buffers' 4 KiB offsets apart (no 4K aliasing), element-aligned. */
	dst += 512 + 16;
	cmp2 += 256 + 4;

	printf("| routine | elements | glibc ns | vicuna ns | vicuna/glibc |\n|---|---:|---:|---:|---:|\n");
	double *samples = malloc(sizeof(double) * rounds * 2);
	double logsum = 0;
	int count = 0;
	for (int op = 0; op < NOPS; op++) {
		for (int s = 0; s < NS; s++) {
			size_t n = sizes[s];
			for (size_t i = 0; i < cap; i++) src[i] = 'a';
			src[n - 1] = 'z'; /* the searched-for element */
			src[n] = 0;
			for (size_t i = 0; i <= n; i++) cmp2[i] = src[i];
			long iters = 2000000 / (n / 4 + 8) + 1;
			double med[2];
			for (int k = 0; k < 2; k++) run(&impls[k], op, n, iters / 10 + 1); /* warm up */
			for (int r = 0; r < rounds; r++)
				for (int k = 0; k < 2; k++) {
					int which = (r & 1) ? 1 - k : k; /* alternate who goes first */
					samples[which * rounds + r] = run(&impls[which], op, n, iters);
				}
			for (int k = 0; k < 2; k++) {
				qsort(samples + k * rounds, rounds, sizeof(double), cmp_double);
				med[k] = samples[k * rounds + rounds / 2];
			}
			printf("| %s | %zu | %.1f | %.1f | %.2f |\n", op_names[op], n, med[0], med[1], med[1] / med[0]);
			logsum += log(med[1] / med[0]);
			count++;
		}
	}
	printf("\ngeometric mean vicuna/glibc: %.2f\n", exp(logsum / count));
	return 0;
}
