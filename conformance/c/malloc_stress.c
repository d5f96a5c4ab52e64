/* Stress: threads allocating and freeing across threads with content
 * checks; fork while other threads allocate (the child must allocate);
 * an RLIMIT_AS-limited phase that must give NULL/ENOMEM, not abort. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 6
#define SLOTS 4096
#define ROUNDS 20000

static void *volatile slots[SLOTS];
static size_t slot_size[SLOTS];
static pthread_mutex_t slot_lock[SLOTS / 64];
static volatile int failures, stop;
static int rounds = ROUNDS;

static uint64_t rnd(uint64_t *s) { *s = *s * 6364136223846793005ULL + 1442695040888963407ULL; return *s >> 33; }

static void fill(unsigned char *p, size_t n, unsigned char v) { for (size_t i = 0; i < n; i++) p[i] = v + i; }
static int check(unsigned char *p, size_t n, unsigned char v) { for (size_t i = 0; i < n; i++) if (p[i] != (unsigned char)(v + i)) return 0; return 1; }

static void *worker(void *arg)
{
	uint64_t s = (uintptr_t)arg * 7919 + 1;
	for (int r = 0; r < rounds; r++) {
		unsigned i = rnd(&s) % SLOTS;
		size_t n = rnd(&s) % 8 == 0 ? rnd(&s) % 70000 : rnd(&s) % 600;
		if (rnd(&s) % 1000 == 0) n = 200000 + rnd(&s) % 1000000;
		unsigned char *p = malloc(n);
		if (!p) { failures++; continue; }
		fill(p, n, (unsigned char)n);
		pthread_mutex_lock(&slot_lock[i / 64]);
		unsigned char *old = slots[i];
		size_t on = slot_size[i];
		slots[i] = p; slot_size[i] = n;
		pthread_mutex_unlock(&slot_lock[i / 64]);
		if (old) {
			if (!check(old, on, (unsigned char)on)) failures++;
			if (rnd(&s) % 4 == 0) { old = realloc(old, on + 50); if (!old || !check(old, on, (unsigned char)on)) failures++; }
			free(old); /* often allocated by another thread */
		}
	}
	return 0;
}

static long rss_mib(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) { if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0; fclose(f); }
	return resident * 4096 >> 20;
}

static void *churn(void *arg)
{
	(void)arg;
	while (!stop) { void *p = malloc(100); free(p); }
	return 0;
}

int main(void)
{
	for (int i = 0; i < SLOTS / 64; i++) pthread_mutex_init(&slot_lock[i], 0);
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++) pthread_create(&t[i], 0, worker, (void *)(uintptr_t)(i + 1));
	for (int i = 0; i < THREADS; i++) pthread_join(t[i], 0);
	for (int i = 0; i < SLOTS; i++) if (slots[i]) { if (!check(slots[i], slot_size[i], (unsigned char)slot_size[i])) failures++; free(slots[i]); slots[i] = 0; }
	printf("threads: %s\n", failures ? "FAILED" : "ok");

	/* Short-lived threads one after another: heaps are handed over. */
	for (int round = 0; round < 200; round++) {
		pthread_t u;
		pthread_create(&u, 0, churn, 0);
		stop = 1;
		pthread_join(u, 0);
		stop = 0;
	}
	puts("thread turnover: ok");

	/* fork while others allocate */
	pthread_t c[2];
	for (int i = 0; i < 2; i++) pthread_create(&c[i], 0, churn, 0);
	int fork_ok = 1;
	fflush(stdout);
	for (int k = 0; k < 10; k++) {
		pid_t pid = fork();
		if (pid == 0) {
			void *ps[1000];
			for (int i = 0; i < 1000; i++) { ps[i] = malloc(i * 7 + 1); if (!ps[i]) _exit(2); memset(ps[i], 1, i * 7 + 1); }
			for (int i = 0; i < 1000; i++) free(ps[i]);
			pthread_t u;
			stop = 0;
			rounds = 2000;
			if (pthread_create(&u, 0, worker, (void *)5)) _exit(3);
			pthread_join(u, 0);
			_exit(failures ? 4 : 0);
		}
		int st;
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) { fork_ok = 0; printf("fork child status %#x\n", st); }
	}
	stop = 1;
	for (int i = 0; i < 2; i++) pthread_join(c[i], 0);
	printf("fork: %s\n", fork_ok ? "ok" : "FAILED");

	/* RSS follows the live heap: 256 MiB of small blocks, all freed (glibc's
	 * malloc keeps most of it, so this phase is for vicuna). */
	{
		enum { N = 256 << 20 >> 7 };
		void **v = malloc(N * sizeof *v);
		for (int i = 0; i < N; i++) { v[i] = malloc(100 + i % 28); memset(v[i], 1, 100); }
		long peak = rss_mib();
		for (int i = 0; i < N; i++) free(v[i]);
		free(v);
		long after = rss_mib();
		printf("rss: %s\n", peak > 250 && after < 40 ? "ok" : "FAILED");
		if (!(peak > 250 && after < 40)) { printf("rss: peak %ld MiB, after free %ld MiB\n", peak, after); failures++; }
	}

	/* Exhaustion under RLIMIT_AS: NULL with ENOMEM, then recovery. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		/* room for about 96 MiB more than the process maps now */
		size_t vm_pages = 0;
		FILE *statm = fopen("/proc/self/statm", "r");
		if (!statm || fscanf(statm, "%zu", &vm_pages) != 1) _exit(5);
		fclose(statm);
		size_t lim = vm_pages * 4096 + (96 << 20);
		struct rlimit rl = { lim, lim };
		setrlimit(RLIMIT_AS, &rl);
		size_t got = 0, nulls = 0, bad_errno = 0;
		void **keep = 0; size_t nkeep = 0;
		size_t sizes[] = { 24, 1000, 50000, 3 << 20 };
		for (int k = 0; k < 4; k++) {
			for (;;) {
				errno = 0;
				void *p = malloc(sizes[k]);
				if (!p) { nulls++; if (errno != ENOMEM) bad_errno++; break; }
				memset(p, 1, sizes[k] < 4096 ? sizes[k] : 4096);
				got += sizes[k];
				if (nkeep % 1024 == 0) { void **nk = realloc(keep, (nkeep + 1024) * sizeof *keep); if (!nk) { nulls++; break; } keep = nk; }
				keep[nkeep++] = p;
			}
		}
		errno = 0;
		void *c2 = calloc(1 << 20, 1 << 10);
		int calloc_ok = c2 == 0 && errno == ENOMEM;
		for (size_t i = 0; i < nkeep; i++) free(keep[i]);
		void *again = malloc(1 << 20);
		printf("rlimit: got %zu MiB, nulls=%zu bad_errno=%zu calloc_enomem=%d recovered=%d\n",
		       got >> 20, nulls, bad_errno, calloc_ok, again != 0);
		fflush(stdout);
		_exit(nulls == 4 && !bad_errno && calloc_ok && again ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("exhaustion: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ok" : "FAILED");
	return failures || !fork_ok || !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
