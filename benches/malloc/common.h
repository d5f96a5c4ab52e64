/* Shared helpers for the malloc workloads: a fast PRNG and thread start. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13; x ^= x >> 7; x ^= x << 17;
	return *s = x;
}

static inline void run_threads(int n, void *(*fn)(void *), void *args, size_t argsize)
{
	pthread_t t[64];
	for (int i = 0; i < n; i++) pthread_create(&t[i], 0, fn, (char *)args + i * argsize);
	for (int i = 0; i < n; i++) pthread_join(t[i], 0);
}

static inline int arg(int argc, char **argv, int i, int dflt) { return argc > i ? atoi(argv[i]) : dflt; }
