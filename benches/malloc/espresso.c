/* espresso-like: a logic-minimiser-shaped load of many small objects
 * (cube sets as bit vectors) with mixed lifetimes: sets are created,
 * combined, copied with realloc growth and freed in no particular order.
 * Usage: espresso */
#include "common.h"

typedef struct { int n, cap; uint32_t **cubes; } set;

static uint32_t *cube(uint64_t *s, int words)
{
	uint32_t *c = malloc(words * sizeof *c);
	for (int i = 0; i < words; i++) c[i] = (uint32_t)rnd(s);
	return c;
}

static void add(set *st, uint32_t *c)
{
	if (st->n == st->cap) { st->cap = st->cap ? st->cap * 2 : 4; st->cubes = realloc(st->cubes, st->cap * sizeof *st->cubes); }
	st->cubes[st->n++] = c;
}

static void clear(set *st) { for (int i = 0; i < st->n; i++) free(st->cubes[i]); free(st->cubes); st->n = st->cap = 0; st->cubes = 0; }

int main(void)
{
	uint64_t s = 7;
	enum { SETS = 64 };
	set sets[SETS] = { 0 };
	long checksum = 0;
	for (int it = 0; it < 4000000; it++) {
		int words = 1 + rnd(&s) % 12;
		set *a = &sets[rnd(&s) % SETS], *b = &sets[rnd(&s) % SETS];
		switch (rnd(&s) % 8) {
		case 0: case 1: case 2: add(a, cube(&s, words)); break;
		case 3: /* intersect pairs into b */
			for (int i = 0; i + 1 < a->n && i < 8; i++) {
				uint32_t *c = malloc(words * sizeof *c);
				for (int k = 0; k < words; k++) c[k] = a->cubes[i][0] & a->cubes[i + 1][0];
				add(b, c);
			}
			break;
		case 4: if (a->n > 200) clear(a); break;
		case 5: if (a->n) { int i = rnd(&s) % a->n; free(a->cubes[i]); a->cubes[i] = a->cubes[--a->n]; } break;
		default: if (a->n) { char *tmp = malloc(16 + rnd(&s) % 200); tmp[0] = 1; checksum += tmp[0]; free(tmp); } break;
		}
	}
	for (int i = 0; i < SETS; i++) { checksum += sets[i].n; clear(&sets[i]); }
	printf("%ld\n", checksum);
	return 0;
}
