/* cache-thrash (Hoard's): each thread allocates a small object, writes it
 * many times, frees it, over and over. An allocator that hands objects of
 * different threads out of one cache line causes false sharing.
 * Usage: cache_thrash THREADS */
#include "common.h"

struct a { int id; };
static void *work(void *p)
{
	(void)p;
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
	run_threads(t, work, a, sizeof a[0]);
	return 0;
}
