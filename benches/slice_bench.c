/* Before/after comparison of the string/memory slice: the host glibc's
 * routines against vicuna's exported (dispatched) ones, in one process,
 * interleaved in short blocks, medians of many rounds. Also measures what
 * vicuna's dispatch costs per call: the exported entry is exactly
 * "mov slot(%rip),%rax; jmp *%rax", and the same two instructions are timed
 * here in front of one fixed routine against a direct call to it.
 *
 *   slice_bench path/to/libvicuna-preload.so [rounds]
 *
 * glibc's routines come from dlopen("libc.so.6") and vicuna's from dlopen of
 * the overlay, so neither shadows the other. Prints a markdown table. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

typedef void *(*copy_fn)(void *, const void *, size_t);
typedef void *(*set_fn)(void *, int, size_t);
typedef int (*cmp_fn)(const void *, const void *, size_t);
typedef size_t (*len_fn)(const char *);

struct impl {
	const char *name;
	copy_fn memcpy, memmove;
	set_fn memset;
	cmp_fn memcmp;
	len_fn strlen;
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
	struct impl i = { label, sym(h, "memcpy"), sym(h, "memmove"), sym(h, "memset"),
		sym(h, "memcmp"), sym(h, "strlen") };
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

enum op { MEMCPY, MEMMOVE_BACK, MEMSET, MEMCMP, STRLEN, NOPS };
static const char *op_names[] = { "memcpy", "memmove (backward overlap)", "memset", "memcmp", "strlen" };

static unsigned char *src, *dst, *cmp2;
static volatile size_t sink;

/* Runs `iters` calls of one operation; returns ns per call. */
static double run(const struct impl *im, enum op op, size_t n, long iters)
{
	double t0 = now_ns();
	switch (op) {
	case MEMCPY: for (long i = 0; i < iters; i++) im->memcpy(dst, src, n); break;
	case MEMMOVE_BACK: for (long i = 0; i < iters; i++) im->memmove(dst + 64, dst, n); break;
	case MEMSET: for (long i = 0; i < iters; i++) im->memset(dst, (int)i, n); break;
	case MEMCMP: for (long i = 0; i < iters; i++) sink += im->memcmp(src, cmp2, n); break;
	case STRLEN: for (long i = 0; i < iters; i++) sink += im->strlen((const char *)src); break;
	default: break;
	}
	return (now_ns() - t0) / iters;
}

/* The dispatch trampoline, byte for byte what vicuna's exports compile to. */
void *slot_target;
size_t via_slot(const char *);
__asm__(".text\n.globl via_slot\nvia_slot:\n\tmov slot_target(%rip),%rax\n\tjmp *%rax\n");

int main(int argc, char **argv)
{
	if (argc < 2) { fprintf(stderr, "usage: %s libvicuna-preload.so [rounds]\n", argv[0]); return 2; }
	int rounds = argc > 2 ? atoi(argv[2]) : 21;
	struct impl impls[2] = { load("glibc", "libc.so.6"), load("vicuna", argv[1]) };
	static const size_t sizes[] = { 16, 132, 4100, 65536 };
	enum { NS = sizeof sizes / sizeof *sizes };
	size_t cap = 65536 + 4096;
	src = aligned_alloc(4096, cap);
	dst = aligned_alloc(4096, cap + 128);
	cmp2 = aligned_alloc(4096, cap);
	/* Keep source and destination 2 KiB apart in their 4 KiB offsets, so
	 * that loads never falsely depend on recent stores (4K aliasing). */
	dst += 2048 + 64;

	printf("| routine | bytes | glibc ns | vicuna ns | vicuna/glibc |\n|---|---:|---:|---:|---:|\n");
	double *samples = malloc(sizeof(double) * rounds * 2);
	double logsum = 0;
	int count = 0;
	for (int op = 0; op < NOPS; op++) {
		for (int s = 0; s < NS; s++) {
			size_t n = sizes[s];
			memset(src, 'a', cap);
			src[n - 1] = 0; /* strlen of n-1 bytes */
			memcpy(cmp2, src, cap);
			long iters = 2000000 / (n / 16 + 8) + 1;
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

	/* Dispatch cost: strlen("x") from glibc, called directly and through
	 * the two-instruction slot trampoline. */
	slot_target = (void *)impls[0].strlen;
	len_fn direct = impls[0].strlen, slotted = via_slot;
	long iters = 5000000;
	for (int k = 0; k < 2; k++) {
		len_fn f = k ? slotted : direct;
		for (long i = 0; i < iters / 10; i++) sink += f("x");
	}
	for (int r = 0; r < rounds; r++)
		for (int k = 0; k < 2; k++) {
			len_fn f = k ? slotted : direct;
			double t0 = now_ns();
			for (long i = 0; i < iters; i++) sink += f("x");
			samples[k * rounds + r] = (now_ns() - t0) / iters;
		}
	double med[2];
	for (int k = 0; k < 2; k++) {
		qsort(samples + k * rounds, rounds, sizeof(double), cmp_double);
		med[k] = samples[k * rounds + rounds / 2];
	}
	printf("\ndispatch cost per call (strlen(\"x\"), median of %d rounds): direct %.3f ns, through slot %.3f ns, difference %.3f ns\n",
		rounds, med[0], med[1], med[1] - med[0]);
	return 0;
}
