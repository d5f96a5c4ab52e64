/* Shared by the self-checking C programs here: the failure counter and
 * CHECK macro, and buffers between two PROT_NONE guard pages. */
#ifndef VICUNA_CHECK_H
#define VICUNA_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; if (failures < 20) { \
	printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } } while (0)

/* `len` usable bytes (rounded up to pages) with an inaccessible page on
 * each side; `*end` is set to the first byte of the upper guard page. */
static unsigned char *guarded(size_t len, unsigned char **end)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t data = (len + pg - 1) / pg * pg;
	unsigned char *base = mmap(0, data + 2 * pg, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) { perror("mmap"); exit(2); }
	mprotect(base, pg, PROT_NONE);
	mprotect(base + pg + data, pg, PROT_NONE);
	*end = base + pg + data;
	return base + pg;
}

#endif
