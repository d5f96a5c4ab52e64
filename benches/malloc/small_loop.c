/* Single thread, small objects: LIFO batches of 1..256-byte blocks.
 * Usage: small_loop */
#include "common.h"

int main(void)
{
	uint64_t s = 3;
	static void *v[1000];
	long sum = 0;
	for (int r = 0; r < 40000; r++) {
		int n = 1 + rnd(&s) % 1000;
		for (int i = 0; i < n; i++) { v[i] = malloc(1 + (rnd(&s) & 255)); *(char *)v[i] = (char)i; }
		for (int i = n - 1; i >= 0; i--) { sum += *(char *)v[i]; free(v[i]); }
	}
	printf("%ld\n", sum);
	return 0;
}
