/* The byte-string search family through the C ABI: memchr memrchr strnlen
 * strchr strchrnul strrchr index rindex strspn strcspn strpbrk strstr memmem
 * strcasestr. Every start alignment 0..63 for short lengths, lengths around
 * the 16/32/64/128/256 block edges, bytes >= 0x80, buffers flush against
 * PROT_NONE guard pages, needle and set edge cases and adversarial
 * needles. Self-checking against plain loops (which encode musl 1.2.3's
 * documented results); prints a digest of every result so that runs under
 * different libcs can be compared. Built with -fno-builtin. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

static unsigned long digest;
static void mix(long v) { digest = digest * 1000003 + (unsigned long)v; }
static long offs(const void *base, const void *p) { return p ? (long)((const char *)p - (const char *)base) : -1; }

static unsigned rnd_state = 777;
static unsigned rnd(void)
{
	rnd_state = rnd_state * 1103515245 + 12345;
	return rnd_state >> 16;
}

/* ---- oracles ---- */
static long o_memchr(const unsigned char *s, int c, size_t n)
{ for (size_t i = 0; i < n; i++) if (s[i] == (unsigned char)c) return i; return -1; }
static long o_memrchr(const unsigned char *s, int c, size_t n)
{ for (size_t i = n; i-- > 0;) if (s[i] == (unsigned char)c) return i; return -1; }
static long o_chrnul(const unsigned char *s, int c)
{ size_t i = 0; while (s[i] && s[i] != (unsigned char)c) i++; return i; }
static long o_rchr(const unsigned char *s, int c)
{ long r = -1; size_t i = 0; for (;; i++) { if (s[i] == (unsigned char)c) r = i; if (!s[i]) break; } return r; }
static size_t o_span(const unsigned char *s, const unsigned char *set, int reject)
{
	size_t i = 0;
	for (; s[i]; i++) {
		int hit = 0;
		for (const unsigned char *q = set; *q; q++) hit |= *q == s[i];
		if (hit == reject) break;
	}
	return i;
}
static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static long o_find(const unsigned char *h, size_t hn, const unsigned char *n, size_t nn, int fold)
{
	if (nn == 0) return 0;
	for (size_t i = 0; i + nn <= hn; i++) {
		size_t k = 0;
		while (k < nn && (fold ? lower(h[i + k]) == lower(n[k]) : h[i + k] == n[k])) k++;
		if (k == nn) return i;
	}
	return -1;
}

static const size_t LENS[] = { 0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 95, 127, 128, 129,
	191, 255, 256, 257, 300, 511, 512, 513, 1000, 4095, 4096, 4097 };
#define NLENS (sizeof LENS / sizeof LENS[0])

static void test_bytes(unsigned char *A, unsigned char *endA)
{
	static const int cs[] = { 'a', 0x80, 0xff, 0 };
	for (size_t li = 0; li < NLENS; li++) {
		size_t n = LENS[li];
		for (int sa = 0; sa < 64; sa += n <= 130 ? 1 : 9) {
			for (int ci = 0; ci < 4; ci++) {
				int c = cs[ci];
				for (int place = 0; place < 2; place++) {
					unsigned char *s = place ? endA - n - 1 : A + sa;
					for (size_t i = 0; i < n; i++) { unsigned char b = rnd(); s[i] = (b == c || !b) ? 'z' : b; }
					s[n] = 0;
					size_t spots[4] = { 0, n / 2, n ? n - 1 : 0, (n * 7 + sa) % (n ? n : 1) };
					for (int k = 0; k < 4 && n; k++) if ((rnd() & 3) != 0) s[spots[k]] = c;
					int cpass = ci == 1 ? (signed char)c : c | (ci == 2 ? 0x300 : 0);

					long r = offs(s, memchr(s, cpass, n)), w = o_memchr(s, c, n);
					CHECK(r == w, "memchr n=%zu sa=%d c=%#x got %ld want %ld", n, sa, c, r, w); mix(r);
					r = offs(s, memrchr(s, cpass, n)); w = o_memrchr(s, c, n);
					CHECK(r == w, "memrchr n=%zu sa=%d c=%#x got %ld want %ld", n, sa, c, r, w); mix(r);
					size_t len = strlen((char *)s);
					for (size_t lim = 0; lim < n + 3; lim += 1 + lim / 3) {
						size_t got = strnlen((char *)s, lim);
						CHECK(got == (len < lim ? len : lim), "strnlen n=%zu lim=%zu got %zu", n, lim, got);
					}
					CHECK(strnlen((char *)s, (size_t)-1) == len, "strnlen unbounded n=%zu", n);
					w = c && o_chrnul(s, c) < (long)len ? o_chrnul(s, c) : (c ? -1 : (long)len);
					r = offs(s, strchr((char *)s, cpass));
					CHECK(r == w, "strchr n=%zu sa=%d c=%#x got %ld want %ld", n, sa, c, r, w); mix(r);
					CHECK(offs(s, index((char *)s, cpass)) == w, "index n=%zu", n);
					r = offs(s, strchrnul((char *)s, cpass));
					CHECK(r == o_chrnul(s, c), "strchrnul n=%zu sa=%d c=%#x got %ld", n, sa, c, r); mix(r);
					r = offs(s, strrchr((char *)s, cpass)); w = o_rchr(s, c);
					CHECK(r == w, "strrchr n=%zu sa=%d c=%#x got %ld want %ld", n, sa, c, r, w); mix(r);
					CHECK(offs(s, rindex((char *)s, cpass)) == w, "rindex n=%zu", n);
					if (c && o_memchr(s, c, n) >= 0) {
						/* memchr with a size past the object: must stop at the match */
						long at = o_memchr(s, c, n);
						CHECK(offs(s, memchr(s, c, (size_t)-1)) == at, "memchr unbounded n=%zu", n);
					}
				}
			}
		}
	}
	/* A NUL or match as the very last byte before the guard page. */
	for (size_t n = 1; n < 300; n++) {
		unsigned char *s = endA - n;
		memset(s, 'q', n - 1);
		s[n - 1] = 0;
		CHECK(strnlen((char *)s, n + 50) == n - 1, "guard strnlen n=%zu", n);
		long lastq = n >= 2 ? (long)n - 2 : -1;
		CHECK(offs(s, strchr((char *)s, 'x')) == -1 && offs(s, strrchr((char *)s, 'q')) == lastq,
		      "guard strchr/strrchr n=%zu", n);
		CHECK(offs(s, memchr(s, 0, 1000)) == (long)n - 1, "guard memchr n=%zu", n);
		CHECK(offs(s, memrchr(s, 'q', n)) == lastq, "guard memrchr n=%zu", n);
	}
}

static void test_sets(unsigned char *A, unsigned char *endA, unsigned char *endB)
{
	static const char *sets[] = { "", "a", "\xe9", "ab", " \t\n", "x\x80\xff\x7f\x01\x10\x90",
		"abcdefghijklmnopqrstuvwxyz", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\x80\x81\xc0\xfe" };
	for (int si = 0; si < 8; si++) {
		size_t sl = strlen(sets[si]);
		/* the set ends at a guard page, or lies well inside the page
		 * (where 16-byte loads of it are allowed) */
		unsigned char *set_end = endB - sl - 1, *set_mid = endB - sl - 100;
		memcpy(set_end, sets[si], sl + 1);
		memcpy(set_mid, sets[si], sl + 1);
		for (size_t li = 0; li < NLENS; li++) {
			size_t n = LENS[li];
			for (int sa = 0; sa < 64; sa += n <= 70 ? 1 : 13) {
				unsigned char *set = sa & 1 ? set_mid : set_end;
				for (int mode = 0; mode < 2; mode++) {
					unsigned char *s = mode && sa == 0 ? endA - n - 1 : A + sa;
					for (size_t i = 0; i < n; i++) {
						unsigned char b;
						if (mode == 0 && sl) b = set[rnd() % sl];
						else do b = rnd(); while (!b || memchr(set, b, sl));
						s[i] = b;
					}
					s[n] = 0;
					if (n && (rnd() & 1)) {
						unsigned char b = mode == 0 || !sl ? 'Z' : set[rnd() % sl];
						if (mode == 0 && memchr(set, 'Z', sl)) b = '!';
						s[rnd() % n] = b;
					}
					size_t w = o_span(s, set, 0), r = strspn((char *)s, (char *)set);
					CHECK(r == w, "strspn n=%zu sa=%d set=%d got %zu want %zu", n, sa, si, r, w); mix(r);
					w = o_span(s, set, 1); r = strcspn((char *)s, (char *)set);
					CHECK(r == w, "strcspn n=%zu sa=%d set=%d got %zu want %zu", n, sa, si, r, w); mix(r);
					long pr = offs(s, strpbrk((char *)s, (char *)set));
					CHECK(pr == (s[w] ? (long)w : -1), "strpbrk n=%zu sa=%d set=%d got %ld", n, sa, si, pr);
				}
			}
		}
	}
}

/* `known`: the answer when the caller knows it (saves the slow oracle on
 * big inputs), else -2. */
static void check_find_known(unsigned char *A, unsigned char *endA, unsigned char *endB,
                       const unsigned char *h, size_t hn, const unsigned char *nd, size_t nn, int sa, long known)
{
	unsigned char *hp = sa < 0 ? endA - hn - 1 : A + sa;
	unsigned char *np = endB - nn - 1;
	memmove(hp, h, hn); hp[hn] = 0;
	memmove(np, nd, nn); np[nn] = 0;
	long w = known != -2 ? known : o_find(hp, hn, np, nn, 0);
	long r = offs(hp, strstr((char *)hp, (char *)np));
	CHECK(r == w, "strstr hn=%zu nn=%zu sa=%d got %ld want %ld", hn, nn, sa, r, w); mix(r);
	/* memmem with both buffers flush against guard pages, no terminators */
	unsigned char *he = endA - hn, *ne = endB - nn;
	memmove(he, h, hn); memmove(ne, nd, nn);
	r = offs(he, memmem(he, hn, ne, nn));
	CHECK(r == w, "memmem hn=%zu nn=%zu got %ld want %ld", hn, nn, r, w); mix(r);
	/* strcasestr on case-scrambled copies; musl: an empty needle matches a
	 * non-empty haystack only */
	hp = endA - hn - 1; np = endB - nn - 1;
	for (size_t i = 0; i < hn; i++) hp[i] = (i % 3 == 0 && h[i] >= 'a' && h[i] <= 'z') ? h[i] - 32 : h[i];
	for (size_t i = 0; i < nn; i++) np[i] = (i % 2 == 0 && nd[i] >= 'a' && nd[i] <= 'z') ? nd[i] - 32 : nd[i];
	hp[hn] = np[nn] = 0;
	w = nn == 0 && hn == 0 ? -1 : known != -2 ? known : o_find(hp, hn, np, nn, 1);
	r = offs(hp, strcasestr((char *)hp, (char *)np));
	CHECK(r == w, "strcasestr hn=%zu nn=%zu got %ld want %ld", hn, nn, r, w); mix(r);
}

static void check_find(unsigned char *A, unsigned char *endA, unsigned char *endB,
                       const unsigned char *h, size_t hn, const unsigned char *nd, size_t nn, int sa)
{
	check_find_known(A, endA, endB, h, hn, nd, nn, sa, -2);
}

static void test_find(unsigned char *A, unsigned char *endA, unsigned char *endB, unsigned char *tmp)
{
	/* edge cases */
	check_find(A, endA, endB, (const unsigned char *)"", 0, (const unsigned char *)"", 0, 0);
	check_find(A, endA, endB, (const unsigned char *)"abc", 3, (const unsigned char *)"", 0, 5);
	check_find(A, endA, endB, (const unsigned char *)"", 0, (const unsigned char *)"a", 1, -1);
	check_find(A, endA, endB, (const unsigned char *)"ab", 2, (const unsigned char *)"abc", 3, 1);
	check_find(A, endA, endB, (const unsigned char *)"\x80\xff\x80\xfe", 4, (const unsigned char *)"\xff\x80\xfe", 3, 63);
	/* random small alphabets, all alignments */
	unsigned char h[600], nd[80];
	for (int round = 0; round < 4000; round++) {
		size_t hn = rnd() % 300, nn = 1 + rnd() % (round % 3 ? 6 : 40);
		int alpha = 2 + rnd() % 3;
		for (size_t i = 0; i < hn; i++) h[i] = 'a' + rnd() % alpha;
		if (hn > nn && (round & 1)) memcpy(nd, h + rnd() % (hn - nn), nn);
		else for (size_t i = 0; i < nn; i++) nd[i] = 'a' + rnd() % alpha;
		check_find(A, endA, endB, h, hn, nd, nn, round % 8 == 7 ? -1 : round % 64);
	}
	/* adversarial: almost-matches everywhere */
	size_t hn = 40000, nn = 1001;
	memset(tmp, 'a', hn);
	unsigned char *ndl = tmp + hn + 16;
	memset(ndl, 'a', nn - 1); ndl[nn - 1] = 'b';
	check_find_known(A, endA, endB, tmp, hn, ndl, nn, 3, -1);
	memcpy(tmp + hn - nn, ndl, nn);
	check_find_known(A, endA, endB, tmp, hn, ndl, nn, -1, hn - nn);
	for (size_t i = 0; i < hn; i++) tmp[i] = i & 1 ? 'b' : 'a';
	for (size_t i = 0; i < nn - 1; i++) ndl[i] = i & 1 ? 'b' : 'a';
	ndl[nn - 1] = 'c';
	check_find_known(A, endA, endB, tmp, hn, ndl, nn, 0, -1);
}

int main(void)
{
	unsigned char *endA, *endB;
	unsigned char *A = guarded(300000, &endA);
	guarded(8192, &endB);
	unsigned char *tmp = malloc(200000);
	test_bytes(A, endA);
	test_sets(A, endA, endB);
	test_find(A, endA, endB, tmp);
	free(tmp);
	printf("search digest %lu\n", digest);
	printf("search: %d failures\n", failures);
	return failures != 0;
}
