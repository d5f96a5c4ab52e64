/* larson (Larson and Krishnan's server simulation): each thread owns an
 * array of blocks and replaces random ones; after each round its array is
 * handed to a new thread, which frees blocks the old one allocated.
 * Usage: larson THREADS */
#include "common.h"

#define PER 1000
struct a { char *blk[PER]; uint64_t seed; long ops; };
static void *work(void *p)
{
	struct a *a = p;
	for (int r = 0; r < 250000; r++) {
		unsigned i = rnd(&a->seed) % PER;
		free(a->blk[i]);
		size_t size = 10 + rnd(&a->seed) % 490;
		a->blk[i] = malloc(size);
		a->blk[i][0] = 1;
		a->ops++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int t = arg(argc, argv, 1, 2);
	static struct a a[64];
	for (int i = 0; i < t; i++) {
		a[i].seed = 88172645463325252ULL + i;
		for (int k = 0; k < PER; k++) a[i].blk[k] = malloc(10 + k % 490);
	}
	for (int round = 0; round < 12; round++) run_threads(t, work, a, sizeof a[0]);
	for (int i = 0; i < t; i++) for (int k = 0; k < PER; k++) free(a[i].blk[k]);
	return 0;
}
