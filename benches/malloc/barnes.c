/* barnes-like: an n-body simulation that rebuilds a Barnes-Hut octree of
 * small nodes every step (allocate the tree, walk it, free it).
 * Usage: barnes */
#include "common.h"
#include <math.h>

struct body { double p[3], v[3], m; };
struct node { double c[3], half, m, com[3]; struct node *kid[8]; struct body *b; };

static struct node *node(const double c[3], double half)
{
	struct node *n = calloc(1, sizeof *n);
	memcpy(n->c, c, sizeof n->c);
	n->half = half;
	return n;
}

static void insert(struct node *n, struct body *b)
{
	for (;;) {
		n->m += b->m;
		for (int k = 0; k < 3; k++) n->com[k] += b->p[k] * b->m;
		int leaf = 1;
		for (int i = 0; i < 8; i++) if (n->kid[i]) leaf = 0;
		if (leaf && !n->b) { n->b = b; return; }
		if (n->half < 1e-9) return;
		if (n->b) { struct body *o = n->b; n->b = 0; n->m -= o->m; for (int k = 0; k < 3; k++) n->com[k] -= o->p[k] * o->m; insert(n, o); n->m += 0; }
		int q = (b->p[0] > n->c[0]) | (b->p[1] > n->c[1]) << 1 | (b->p[2] > n->c[2]) << 2;
		if (!n->kid[q]) {
			double c[3], h = n->half / 2;
			for (int k = 0; k < 3; k++) c[k] = n->c[k] + ((q >> k) & 1 ? h : -h);
			n->kid[q] = node(c, h);
		}
		n = n->kid[q];
	}
}

static void force(struct node *n, struct body *b, double a[3])
{
	if (!n || n->m == 0 || n->b == b) return;
	double d[3], r2 = 1e-3;
	for (int k = 0; k < 3; k++) { d[k] = n->com[k] / n->m - b->p[k]; r2 += d[k] * d[k]; }
	int leaf = 1;
	for (int i = 0; i < 8; i++) if (n->kid[i]) leaf = 0;
	if (leaf || (2 * n->half) * (2 * n->half) < 0.25 * r2) {
		double f = n->m / (r2 * sqrt(r2));
		for (int k = 0; k < 3; k++) a[k] += f * d[k];
		return;
	}
	for (int i = 0; i < 8; i++) force(n->kid[i], b, a);
}

static void drop(struct node *n)
{
	if (!n) return;
	for (int i = 0; i < 8; i++) drop(n->kid[i]);
	free(n);
}

int main(void)
{
	enum { N = 10000, STEPS = 6 };
	struct body *b = malloc(N * sizeof *b);
	uint64_t s = 42;
	for (int i = 0; i < N; i++) {
		for (int k = 0; k < 3; k++) { b[i].p[k] = (rnd(&s) % 100000) / 100000.0 - 0.5; b[i].v[k] = 0; }
		b[i].m = 1.0 / N;
	}
	double c[3] = { 0, 0, 0 };
	for (int step = 0; step < STEPS; step++) {
		struct node *root = node(c, 1.0);
		for (int i = 0; i < N; i++) insert(root, &b[i]);
		for (int i = 0; i < N; i++) {
			double a[3] = { 0, 0, 0 };
			force(root, &b[i], a);
			for (int k = 0; k < 3; k++) { b[i].v[k] += 1e-5 * a[k]; b[i].p[k] += 1e-3 * b[i].v[k]; if (fabs(b[i].p[k]) > 0.99) b[i].v[k] = -b[i].v[k]; }
		}
		drop(root);
	}
	printf("%.6f\n", b[0].p[0]);
	free(b);
	return 0;
}
