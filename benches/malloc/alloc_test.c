/* alloc-test: each thread keeps a working set of blocks whose sizes follow
 * a Pareto-like law (mostly small, a heavy tail up to 64 KiB) and replaces
 * them at random.  Usage: alloc_test THREADS */
#include "common.h"

struct a { int id; };
static void *work(void *p)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL ^ ((struct a *)p)->id;
	enum { N = 20000, ROUNDS = 12000000 };
	char **slot = calloc(N, sizeof *slot);
	for (int r = 0; r < ROUNDS; r++) {
		unsigned i = rnd(&s) % N;
		free(slot[i]);
		/* Pareto(alpha ~1.2) via inverse CDF on a 16-bit uniform */
		uint64_t u = (rnd(&s) & 0xffff) + 1;
		size_t size = 8 * (65536.0 / u > 8192 ? 8192 : (size_t)(65536.0 / u));
		size = size / 2 + rnd(&s) % (size / 2 + 1);
		slot[i] = malloc(size);
		slot[i][0] = (char)r;
		slot[i][size - 1] = (char)r;
	}
	for (int i = 0; i < N; i++) free(slot[i]);
	free(slot);
	return 0;
}

int main(int argc, char **argv)
{
	int t = arg(argc, argv, 1, 1);
	struct a a[64];
	for (int i = 0; i < t; i++) a[i].id = i + 1;
	run_threads(t, work, a, sizeof a[0]);
	return 0;
}
