/* Says which object provides the malloc family, and uses stdio (which
 * allocates internally) so a static link proves musl's internals work on
 * vicuna's allocator. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void where(const char *name, void *fn)
{
	Dl_info info;
	if (!dladdr(fn, &info) || !info.dli_fname) { printf("%s: unknown\n", name); return; }
	const char *base = strrchr(info.dli_fname, '/');
	printf("%s: %s\n", name, base ? base + 1 : info.dli_fname);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		void *volatile fns[] = { (void *)malloc, (void *)free, (void *)calloc, (void *)realloc,
			(void *)aligned_alloc, (void *)posix_memalign, (void *)memalign, (void *)malloc_usable_size };
		const char *names[] = { "malloc", "free", "calloc", "realloc", "aligned_alloc", "posix_memalign",
			"memalign", "malloc_usable_size" };
		for (int i = 0; i < 8; i++) where(names[i], fns[i]);
		return 0;
	}
	/* stdio, strdup, getline, qsort... all allocate inside the libc */
	FILE *f = tmpfile();
	if (!f) return 1;
	for (int i = 0; i < 1000; i++) fprintf(f, "line %d %s\n", i, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	rewind(f);
	char *line = 0; size_t cap = 0; long total = 0; int n = 0;
	while (getline(&line, &cap, f) > 0) { total += strlen(line); n++; }
	free(line);
	fclose(f);
	char *d = strdup("duplicated");
	printf("lines=%d bytes=%ld dup=%s\n", n, total, d);
	free(d);
	return 0;
}
