/* The wide-character string routines through the C ABI: every 4-byte-aligned
 * start 0..63 for a range of lengths, negative wchar_t values, L'\0'
 * handling, strings flush against PROT_NONE guard pages, overlapping
 * wmemmove. Self-checking against element loops; prints a digest of the
 * results so runs under different libcs can be compared line by line.
 *
 * wcscmp/wcsncmp/wmemcmp: musl returns *l - *r, which overflows when the
 * two elements are more than INT_MAX apart. The digest only uses pairs whose
 * difference fits an int (there musl's value is exact and vicuna must
 * return the same); the overflowing pairs are printed to stderr, on lines
 * starting with "overflow-sign" that show the sign returned and the true
 * sign, and are not counted as failures here: stdout stays identical under
 * musl and vicuna, and the runner checks the stderr lines (true signs for
 * vicuna).
 * Built with -fno-builtin so every call reaches the library. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wchar.h>

#include "check.h"

static unsigned rnd_state = 4242;
static unsigned rnd(void)
{
	rnd_state = rnd_state * 1103515245 + 12345;
	return rnd_state >> 8;
}

/* Nonzero values within +-0x3fffffff, so any difference fits an int; many
 * negative, many repeated (so searches find things). */
static const wchar_t alphabet[] = { 1, 2, 'a', -1, -2, 0x10ffff, 0x3fffffff, -0x3fffffff, 0xd800, -0x1000 };
#define ABSENT ((wchar_t)0x2badbad)
static wchar_t val(void)
{
	unsigned r = rnd();
	if (r & 1) return alphabet[(r >> 1) % (sizeof alphabet / sizeof *alphabet)];
	wchar_t v = (wchar_t)(r % 0x7fffffffu) - 0x3fffffff;
	return v == 0 || v == ABSENT ? 7 : v;
}

static int sign(long x) { return (x > 0) - (x < 0); }

/* Oracles. */
static size_t o_len(const wchar_t *s) { size_t i = 0; while (s[i]) i++; return i; }
static wchar_t *o_chr(const wchar_t *s, wchar_t c) { for (;; s++) { if (*s == c) return (wchar_t *)s; if (!*s) return 0; } }
static wchar_t *o_rchr(const wchar_t *s, wchar_t c) { wchar_t *r = 0; for (;; s++) { if (*s == c) r = (wchar_t *)s; if (!*s) return r; } }
static long o_ncmp(const wchar_t *a, const wchar_t *b, size_t n, int strings)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i] || (strings && !a[i])) return (long)a[i] - b[i];
	return 0;
}
static int in(wchar_t c, const wchar_t *set) { for (; *set; set++) if (*set == c) return 1; return 0; }
static wchar_t *o_str(const wchar_t *h, const wchar_t *n)
{
	size_t hl = o_len(h), nl = o_len(n);
	for (size_t i = 0; i + nl <= hl; i++)
		if (!o_ncmp(h + i, n, nl, 0)) return (wchar_t *)h + i;
	return 0;
}

static wchar_t lower_ascii(wchar_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static long o_casecmp(const wchar_t *x, const wchar_t *y, size_t n)
{
	if (!n) return 0;
	for (size_t i = 0;; i++) {
		wchar_t a = lower_ascii(x[i]), b = lower_ascii(y[i]);
		if (a != b || !a || i == n - 1) return (long)a - b;
	}
}

static unsigned long digest;
static void mix(long v) { digest = digest * 1000003 + (unsigned long)v; }
static long pos(const wchar_t *p, const wchar_t *base) { return p ? p - base : -1; }

int main(void)
{
	enum { MAX = 300, ELEMS = 3 * 1024 };
	unsigned char *endA, *endB, *endC;
	wchar_t *A = (wchar_t *)guarded(ELEMS * 4, &endA);
	wchar_t *B = (wchar_t *)guarded(ELEMS * 4, &endB);
	wchar_t *C = (wchar_t *)guarded(ELEMS * 4, &endC);
	wchar_t *eA = (wchar_t *)endA, *eB = (wchar_t *)endB;
	static const size_t extra[] = { 511, 512, 513, 1023, 1024, 1025, 1100 };

	for (size_t li = 0; li <= MAX + 7; li++) {
		size_t len = li <= MAX ? li : extra[li - MAX - 1];
		for (int sa = 0; sa < 16; sa += (len < 140 ? 1 : 5)) {
			/* every 4-byte-aligned start 0..63 bytes */
			int da = (sa * 7 + (int)len) & 15;
			wchar_t *s = A + sa, *d = B + da;
			for (size_t i = 0; i < len; i++) s[i] = val();
			s[len] = 0;
			for (size_t i = len + 1; i < len + 16; i++) s[i] = val();

			CHECK(wcslen(s) == len, "wcslen len=%zu sa=%d", len, sa);
			size_t bounds[] = { 0, len / 2, len, len + 1, (size_t)-1 };
			for (int b = 0; b < 5; b++)
				CHECK(wcsnlen(s, bounds[b]) == (len < bounds[b] ? len : bounds[b]), "wcsnlen len=%zu n=%zu", len, bounds[b]);

			wchar_t cs[] = { 0, ABSENT, len ? s[len / 2] : 1, len ? s[len - 1] : -1, -1, alphabet[len % 10] };
			for (int k = 0; k < 6; k++) {
				wchar_t c = cs[k];
				wchar_t *r1 = wcschr(s, c), *r2 = wcsrchr(s, c), *r3 = wmemchr(s, c, len);
				CHECK(r1 == o_chr(s, c), "wcschr len=%zu c=%d", len, c);
				CHECK(r2 == o_rchr(s, c), "wcsrchr len=%zu c=%d", len, c);
				wchar_t *want3 = 0;
				for (size_t i = 0; i < len; i++) if (s[i] == c) { want3 = s + i; break; }
				CHECK(r3 == want3, "wmemchr len=%zu c=%d", len, c);
				mix(pos(r1, s)); mix(pos(r2, s)); mix(pos(r3, s));
			}

			/* wcscpy with the element after the copy untouched */
			wmemset(B, 0x5a5a5a5a, len + 40);
			CHECK(wcscpy(d, s) == d, "wcscpy return");
			CHECK(!o_ncmp(d, s, len + 1, 0) && d[len + 1] == 0x5a5a5a5a, "wcscpy len=%zu sa=%d da=%d", len, sa, da);

			/* comparisons: equal, then one element changed */
			CHECK(wcscmp(d, s) == 0 && wmemcmp(d, s, len) == 0 && wcsncmp(d, s, len + 5) == 0, "equal len=%zu", len);
			if (len) {
				size_t at = (len * 31 + sa) % len;
				d[at] = (rnd() & 1) ? val() : 0;
				if (d[at] == s[at]) d[at] = s[at] == 1 ? 2 : 1;
				long want = o_ncmp(s, d, len + 1, 1);
				int r = wcscmp(s, d);
				CHECK(r == want, "wcscmp value len=%zu at=%zu r=%d want=%ld", len, at, r, want);
				CHECK(sign(wcscmp(d, s)) == -sign(r), "wcscmp antisymmetry");
				CHECK(wcsncmp(s, d, at) == 0, "wcsncmp before len=%zu", len);
				CHECK(wcsncmp(s, d, at + 1) == want, "wcsncmp at len=%zu", len);
				long wm = o_ncmp(s, d, len, 0);
				CHECK(wmemcmp(s, d, len) == wm, "wmemcmp len=%zu", len);
				mix(r); mix(wcsncmp(d, s, len)); mix(wmemcmp(d, s, len));
			}

			/* wmemset, wmemcpy */
			CHECK(wmemset(d, -(wchar_t)len - 1, len) == d, "wmemset return");
			int ok = 1;
			for (size_t i = 0; i < len; i++) ok &= d[i] == -(wchar_t)len - 1;
			CHECK(ok && d[len] == 0, "wmemset len=%zu da=%d", len, da);
			CHECK(wmemcpy(d, s, len) == d && !o_ncmp(d, s, len, 0), "wmemcpy len=%zu", len);

			/* wmemmove both ways */
			for (int shift = -9; shift <= 9; shift += 3) {
				wchar_t *base = C + 32;
				for (size_t i = 0; i < len + 20; i++) base[i - 10] = val();
				wmemcpy(C + 1600, base - 10, len + 20);
				CHECK(wmemmove(base + shift, base, len) == base + shift, "wmemmove return");
				CHECK(!o_ncmp(base + shift, C + 1600 + 10, len, 0), "wmemmove len=%zu shift=%d", len, shift);
			}

			/* wcpcpy, wcscat, wcsncat, wcsncpy, wcpncpy */
			wmemset(B, 0x5a5a5a5a, 2 * len + 40);
			CHECK(wcpcpy(d, s) == d + len, "wcpcpy len=%zu", len);
			CHECK(wcscat(d, s) == d && wcslen(d) == 2 * len && !o_ncmp(d + len, s, len + 1, 0), "wcscat len=%zu", len);
			size_t n = len / 3;
			d[len] = 0;
			CHECK(wcsncat(d, s, n) == d && wcslen(d) == len + n && !o_ncmp(d + len, s, n, 0), "wcsncat len=%zu", len);
			wmemset(B, 0x5a5a5a5a, 2 * len + 40);
			CHECK(wcsncpy(d, s, len + 3) == d && !o_ncmp(d, s, len, 0) && !d[len] && !d[len + 2] && d[len + 3] == 0x5a5a5a5a,
				"wcsncpy len=%zu", len);
			wmemset(B, 0x5a5a5a5a, 2 * len + 40);
			CHECK(wcpncpy(d, s, n) == d + n && !o_ncmp(d, s, n, 0) && d[n] == 0x5a5a5a5a, "wcpncpy short len=%zu", len);
			CHECK(wcpncpy(d, s, len + 2) == d + len && !d[len + 1], "wcpncpy long len=%zu", len);

			/* spans */
			wchar_t set1[] = { len ? s[0] : 5, 0 };
			wchar_t set3[] = { -1, 'a', 0x3fffffff, 0 };
			wchar_t *sets[] = { set1, set3, L"" };
			for (int k = 0; k < 3; k++) {
				size_t spn = 0, cspn = 0;
				while (s[spn] && in(s[spn], sets[k])) spn++;
				while (s[cspn] && !in(s[cspn], sets[k])) cspn++;
				CHECK(wcsspn(s, sets[k]) == spn, "wcsspn len=%zu k=%d", len, k);
				CHECK(wcscspn(s, sets[k]) == cspn, "wcscspn len=%zu k=%d", len, k);
				CHECK(wcspbrk(s, sets[k]) == (s[cspn] ? s + cspn : 0), "wcspbrk len=%zu k=%d", len, k);
				mix(spn); mix(cspn);
			}

			/* wcsstr / wcswcs: a piece of s, a piece with its last element
			 * changed, and the empty needle */
			if (len) {
				size_t a = rnd() % len, k = 1 + rnd() % (len - a < 12 ? len - a : 12);
				wchar_t *nd = C + 2048;
				wmemcpy(nd, s + a, k);
				nd[k] = 0;
				wchar_t *r = wcsstr(s, nd);
				CHECK(r == o_str(s, nd), "wcsstr len=%zu a=%zu k=%zu", len, a, k);
				CHECK(wcswcs(s, nd) == r, "wcswcs");
				mix(pos(r, s));
				nd[k - 1] = nd[k - 1] == 1 ? 2 : 1;
				r = wcsstr(s, nd);
				CHECK(r == o_str(s, nd), "wcsstr changed len=%zu", len);
				mix(pos(r, s));
			}
			CHECK(wcsstr(s, L"") == s, "wcsstr empty needle");
		}
	}

	/* wcstok */
	{
		wchar_t buf[] = L"  one,,two three ,";
		wchar_t *save = 0, *t;
		int count = 0;
		for (t = wcstok(buf, L" ,", &save); t; t = wcstok(0, L" ,", &save)) {
			count++;
			mix(wcslen(t));
			mix(t - buf);
		}
		CHECK(count == 3 && save == 0, "wcstok count=%d", count);
		CHECK(wcstok(0, L" ,", &save) == 0, "wcstok exhausted");
	}

	/* Guard pages: strings and buffers that end exactly at an unmapped page. */
	for (size_t len = 0; len < 300; len++) {
		wchar_t *s = eA - (len + 1), *t = eB - (len + 1);
		for (size_t i = 0; i < len; i++) s[i] = val();
		s[len] = 0;
		wmemcpy(t, s, len + 1);
		CHECK(wcslen(s) == len, "guard wcslen len=%zu", len);
		CHECK(wcsnlen(s, len + 1) == len && wcsnlen(s, (size_t)-1) == len, "guard wcsnlen len=%zu", len);
		CHECK(wcschr(s, 0) == s + len && wcschr(s, ABSENT) == 0, "guard wcschr len=%zu", len);
		CHECK(wcsrchr(s, 0) == s + len && wcsrchr(s, ABSENT) == 0, "guard wcsrchr len=%zu", len);
		CHECK(wcscmp(s, t) == 0 && wcsncmp(s, t, len + 1) == 0, "guard wcscmp len=%zu", len);
		if (len) {
			t[len - 1] ^= 0x100;
			long want = (long)s[len - 1] - t[len - 1];
			CHECK(wcscmp(s, t) == want && wcsncmp(s, t, (size_t)-1) == want, "guard wcscmp diff len=%zu", len);
			t[len - 1] ^= 0x100;
		}
		wmemset(t, 0x5a5a5a5a, len + 1);
		CHECK(wcscpy(t, s) == t && !o_ncmp(t, s, len + 1, 0), "guard wcscpy len=%zu", len);
		/* exactly len elements, no terminator, ending at the guard page */
		wchar_t *u = eA - len, *v = eB - len;
		for (size_t i = 0; i < len; i++) u[i] = s[i] | 1;
		wmemcpy(v, u, len);
		CHECK(wcsnlen(u, len) == len, "guard wcsnlen exact len=%zu", len);
		CHECK(wmemchr(u, ABSENT, len) == 0 && (len == 0 || wmemchr(u, u[len - 1], len) == o_chr(u, u[len - 1])),
			"guard wmemchr len=%zu", len);
		CHECK(wmemcmp(u, v, len) == 0 && wcsncmp(u, v, len) == 0, "guard wmemcmp len=%zu", len);
		wmemset(v, 'g', len);
	}

	/* wcscasecmp, wcsncasecmp and the _l forms: ASCII strings with random
	 * case checked against an ASCII oracle; then every code point's
	 * towlower, as wcsncasecmp({c, 0}, L"", 1) = towlower(c) - towlower(0),
	 * in a digest that must equal stock musl's. */
	{
		unsigned long before = digest;
		for (int t = 0; t < 3000; t++) {
			wchar_t x[24], y[24];
			size_t lx = rnd() % 20, ly = rnd() % 3 ? lx : rnd() % 20;
			for (size_t i = 0; i < lx; i++) x[i] = 'a' + rnd() % 4 - (rnd() & 1) * 32;
			for (size_t i = 0; i < ly; i++) y[i] = i < lx && rnd() % 8 ? x[i] ^ (rnd() & 1) * 32 : 'a' + rnd() % 4;
			x[lx] = y[ly] = 0;
			size_t n = rnd() % 24;
			long want = o_casecmp(x, y, (size_t)-1), wantn = o_casecmp(x, y, n);
			int r = wcscasecmp(x, y), rn = wcsncasecmp(x, y, n);
			CHECK(r == want, "wcscasecmp t=%d r=%d want=%ld", t, r, want);
			CHECK(rn == wantn, "wcsncasecmp t=%d n=%zu r=%d want=%ld", t, n, rn, wantn);
			CHECK(wcscasecmp_l(x, y, 0) == r && wcsncasecmp_l(x, y, n, 0) == rn, "_l forms t=%d", t);
			mix(r); mix(rn);
		}
		unsigned long cases = 0;
		for (wchar_t c = 1; c < 0x110000; c++) {
			wchar_t one[] = { c, 0 };
			cases = cases * 31 + (unsigned)wcsncasecmp(one, L"", 1);
		}
		printf("wcscasecmp digest %lu, towlower digest %lu\n", digest - before, cases);
	}

	/* The overflow cases: pairs more than INT_MAX apart. */
	{
		static const wchar_t pairs[][2] = {
			{ INT_MAX, -1 }, { -1, INT_MAX }, { INT_MIN, 1 }, { 1, INT_MIN },
			{ INT_MAX, INT_MIN }, { INT_MIN, INT_MAX }, { 0x40000000, -0x40000000 },
		};
		for (int i = 0; i < 7; i++) {
			wchar_t a[] = { 'x', pairs[i][0], 0 }, b[] = { 'x', pairs[i][1], 0 };
			int want = sign((long)pairs[i][0] - pairs[i][1]);
			fprintf(stderr, "overflow-sign wcscmp %d: got %d want %d\n", i, sign(wcscmp(a, b)), want);
			fprintf(stderr, "overflow-sign wcsncmp %d: got %d want %d\n", i, sign(wcsncmp(a, b, 2)), want);
			fprintf(stderr, "overflow-sign wmemcmp %d: got %d want %d\n", i, sign(wmemcmp(a, b, 2)), want);
		}
	}

	printf("wide digest %lu\n", digest);
	printf("wide: %d failures\n", failures);
	return failures != 0;
}
