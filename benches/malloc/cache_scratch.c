/* cache-scratch (Hoard's): the main thread allocates one small object per
 * thread, back to back; each thread frees its object and then allocates
 * and writes its own ones. An allocator that reuses the freed object for the
 * thread that freed it keeps the threads on one cache line (false sharing).
 * Usage: cache_scratch THREADS */
#include "common.h"

struct a { char *obj; };
static void *work(void *p)
{
	struct a *a = p;
	free(a->obj);
	for (int i = 0; i < 60000; i++) {
		volatile char *o = malloc(8);
		for (int k = 0; k < 5000; k++) o[k & 7] = (char)(o[k & 7] + k);
		free((void *)o);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int t = arg(argc, argv, 1, 2);
	struct a a[64];
	for (int i = 0; i < t; i++) a[i].obj = malloc(8);
	run_threads(t, work, a, sizeof a[0]);
	return 0;
}
