/* mstress (after mimalloc-bench's): threads share a pool of slots; each
 * round a thread replaces random slots (freeing blocks other threads
 * allocated), keeps some long-lived objects, and threads are replaced by
 * new ones every round.  Usage: mstress THREADS */
#include "common.h"

#define SLOTS 20000
static char *volatile pool[SLOTS];
static pthread_mutex_t locks[SLOTS / 256 + 1];
static char *longlived[64][200];

struct a { int id, round; };
static void *work(void *p)
{
	struct a *a = p;
	uint64_t s = 0x1234567 + a->id * 7919 + a->round * 104729;
	for (int r = 0; r < 150000; r++) {
		unsigned i = rnd(&s) % SLOTS;
		size_t size = rnd(&s) % 8 == 0 ? 256 + rnd(&s) % 4000 : 8 + rnd(&s) % 120;
		char *n = malloc(size);
		memset(n, (int)size, size < 64 ? size : 64);
		pthread_mutex_lock(&locks[i / 256]);
		char *old = pool[i];
		pool[i] = n;
		pthread_mutex_unlock(&locks[i / 256]);
		free(old);
	}
	for (int k = 0; k < 200; k++) {
		free(longlived[a->id][k]);
		longlived[a->id][k] = malloc(1000 + rnd(&s) % 10000);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int t = arg(argc, argv, 1, 2);
	for (int i = 0; i <= SLOTS / 256; i++) pthread_mutex_init(&locks[i], 0);
	struct a a[64];
	for (int round = 0; round < 8; round++) {
		for (int i = 0; i < t; i++) { a[i].id = i; a[i].round = round; }
		run_threads(t, work, a, sizeof a[0]);
	}
	for (int i = 0; i < SLOTS; i++) free(pool[i]);
	for (int i = 0; i < t; i++) for (int k = 0; k < 200; k++) free(longlived[i][k]);
	return 0;
}
