/* The string compare/copy family through the C ABI: strcmp strncmp
 * strcasecmp strncasecmp (and the _l forms) strverscmp strcpy stpcpy
 * strncpy stpncpy strcat strncat memccpy mempcpy bzero explicit_bzero bcopy
 * strlcpy strlcat swab strtok strtok_r strsep.
 *
 * Self-checking against byte loops written from the definitions (exact
 * return values, as musl computes them), with strings pressed against
 * PROT_NONE guard pages, alignment pairs, lengths around vector and page
 * sizes and bytes >= 0x80. It also prints digests of every compare result
 * and of strverscmp over all short strings of a version-like alphabet, so
 * runs under different libcs can be compared line by line. Built with
 * -fno-builtin so every call reaches the library. */
#define _GNU_SOURCE
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef __GLIBC__
/* glibc 2.36 has neither; the overlay provides them when preloaded. */
size_t strlcpy(char *, const char *, size_t) __attribute__((weak));
size_t strlcat(char *, const char *, size_t) __attribute__((weak));
#endif
int __strcasecmp_l(const char *, const char *, locale_t);
int __strncasecmp_l(const char *, const char *, size_t, locale_t);

#include "check.h"

static unsigned rnd_state = 4242;
static unsigned char rnd(void)
{
	rnd_state = rnd_state * 1103515245 + 12345;
	return rnd_state >> 16;
}

/* Non-NUL bytes: letters of both cases, digits, punctuation next to the
 * letters, and bytes >= 0x80. */
static unsigned char textbyte(void)
{
	static const char alpha[] = "aAzZbB@[`{09 \x7f\x80\xc1\xdf\xff";
	unsigned char r = rnd();
	return r & 1 ? (unsigned char)alpha[r % (sizeof alpha - 1)] : (r | 1);
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c | 32 : c; }

/* musl's definitions as plain loops (n = (size_t)-1 for unbounded). */
static int ref_cmp(const unsigned char *a, const unsigned char *b, size_t n, int icase)
{
	for (size_t i = 0; i < n; i++) {
		int x = icase ? lower(a[i]) : a[i], y = icase ? lower(b[i]) : b[i];
		if (!a[i] || x != y) return x - y;
	}
	return 0;
}

static unsigned long digest;
static void mix(long v) { digest = digest * 1000003 + (unsigned long)v; }

static void test_compares(unsigned char *A, unsigned char *endA, unsigned char *B, unsigned char *endB)
{
	static const size_t extra[] = { 255, 256, 257, 511, 512, 1000, 4095, 4096, 4097 };
	locale_t loc = newlocale(LC_ALL_MASK, "C", 0);
	for (size_t k = 0; k < 200 + sizeof extra / sizeof *extra; k++) {
		size_t len = k < 200 ? k : extra[k - 200];
		for (int place = 0; place < 6; place++) {
			unsigned char *a, *b;
			if (place == 5) { a = endA - len - 1; b = endB - len - 1; }
			else { a = A + (place * 13 + len) % 64; b = B + (place * 29 + len * 3) % 64; }
			for (size_t i = 0; i < len; i++) a[i] = textbyte();
			a[len] = 0;
			memcpy(b, a, len + 1);
			/* one change: case flip, other byte, or an early end */
			size_t at = len ? (len * 7 + place * 11) % len : 0;
			int kind = (len + place) % 4;
			if (len && kind == 1) b[at] = (b[at] ^ 0x80) | 1;
			if (len && kind == 2 && ((b[at] | 32) >= 'a' && (b[at] | 32) <= 'z')) b[at] ^= 32;
			if (len && kind == 3) b[at] = 0;
			size_t ns[] = { 0, 1, at, at + 1, len, len + 1, (size_t)-1 };
			int r;
			r = strcmp((char *)a, (char *)b);
			CHECK(r == ref_cmp(a, b, -1, 0), "strcmp len=%zu place=%d kind=%d r=%d", len, place, kind, r); mix(r);
			r = strcmp((char *)b, (char *)a);
			CHECK(r == ref_cmp(b, a, -1, 0), "strcmp rev len=%zu r=%d", len, r); mix(r);
			r = strcasecmp((char *)a, (char *)b);
			CHECK(r == ref_cmp(a, b, -1, 1), "strcasecmp len=%zu place=%d kind=%d r=%d", len, place, kind, r); mix(r);
			CHECK(strcasecmp_l((char *)a, (char *)b, loc) == r, "strcasecmp_l");
			CHECK(__strcasecmp_l((char *)a, (char *)b, loc) == r, "__strcasecmp_l");
			for (int j = 0; j < 7; j++) {
				size_t n = ns[j];
				r = strncmp((char *)a, (char *)b, n);
				CHECK(r == ref_cmp(a, b, n, 0), "strncmp len=%zu n=%zu r=%d", len, n, r); mix(r);
				r = strncasecmp((char *)b, (char *)a, n);
				CHECK(r == ref_cmp(b, a, n, 1), "strncasecmp len=%zu n=%zu r=%d", len, n, r); mix(r);
				CHECK(strncasecmp_l((char *)b, (char *)a, n, loc) == r, "strncasecmp_l");
				CHECK(__strncasecmp_l((char *)b, (char *)a, n, loc) == r, "__strncasecmp_l");
			}
		}
		/* Arrays without a NUL, each ending at its guard page: the n
		 * forms may read only n bytes. */
		unsigned char *a = endA - len, *b = endB - len;
		for (size_t i = 0; i < len; i++) a[i] = textbyte();
		memcpy(b, a, len);
		CHECK(strncmp((char *)a, (char *)b, len) == 0, "strncmp unterminated len=%zu", len);
		if (len) {
			for (size_t i = 0; i < len; i++) if (b[i] >= 'a' && b[i] <= 'z') b[i] ^= 32;
			CHECK(strncasecmp((char *)a, (char *)b, len) == 0, "strncasecmp unterminated len=%zu", len);
			b[len - 1] ^= 0x40;
			int r = strncmp((char *)a, (char *)b, len);
			CHECK(r == ref_cmp(a, b, len, 0), "strncmp unterminated diff len=%zu", len); mix(r);
		}
	}
	freelocale(loc);
	printf("compare digest %lu\n", digest);
}

/* strverscmp over every string of up to 4 bytes from a version-like
 * alphabet: a digest of all results, compared against stock musl's. */
static void test_strverscmp(void)
{
	static const char alpha[] = "019a.\xe0";
	enum { K = sizeof alpha - 1 };
	static char strs[1 + K + K * K + K * K * K + K * K * K * K][5];
	int count = 0;
	for (int len = 0; len <= 4; len++) {
		int total = 1;
		for (int i = 0; i < len; i++) total *= K;
		for (int v = 0; v < total; v++) {
			int x = v;
			for (int i = 0; i < len; i++) { strs[count][i] = alpha[x % K]; x /= K; }
			strs[count][len] = 0;
			count++;
		}
	}
	unsigned long d = 0;
	long sum = 0;
	for (int i = 0; i < count; i++)
		for (int j = 0; j < count; j += 3) {
			int r = strverscmp(strs[i], strs[j]);
			d = d * 1000003 + (unsigned)r;
			sum += r;
			if (i == j) CHECK(r == 0, "strverscmp self %s", strs[i]);
		}
	/* two ascending chains (a digit run sorts above a non-digit) */
	static const char *sorted[] = { "000", "00", "01", "010", "09", "0", "1", "9", "10", "100", 0,
		"a", "a0", "a9", "a10", "b", "b.01", "b.1", 0 };
	for (size_t i = 0; i + 1 < sizeof sorted / sizeof *sorted; i++)
		if (sorted[i] && sorted[i + 1])
			CHECK(strverscmp(sorted[i], sorted[i + 1]) < 0, "strverscmp order %s %s", sorted[i], sorted[i + 1]);
	printf("strverscmp: %d strings, digest %lu sum %ld\n", count, d, sum);
	printf("strverscmp samples %d %d %d %d %d\n", strverscmp("a\xe0", "a1"), strverscmp("x00a", "x001"),
		strverscmp("1.10", "1.9"), strverscmp("9", "10"), strverscmp("abc", "abd"));
}

static void fill_text(unsigned char *p, size_t len) { for (size_t i = 0; i < len; i++) p[i] = textbyte(); p[len] = 0; }

static void test_copies(unsigned char *A, unsigned char *endA, unsigned char *B, unsigned char *endB)
{
	static const size_t extra[] = { 255, 256, 257, 511, 512, 1000, 4095, 4096 };
	for (size_t k = 0; k < 200 + sizeof extra / sizeof *extra; k++) {
		size_t len = k < 200 ? k : extra[k - 200];
		for (int place = 0; place < 4; place++) {
			/* place 2: source against its guard; place 3: destination against its guard */
			unsigned char *s = place == 2 ? endA - len - 1 : A + (place * 17 + len) % 64;
			unsigned char *d = place == 3 ? endB - len - 1 : B + (place * 41 + len * 5) % 64;
			fill_text(s, len);
			if (place != 3) memset(d, 0xee, len + 70);
			int ok;

			CHECK(strcpy((char *)d, (char *)s) == (char *)d, "strcpy return");
			CHECK(memcmp(d, s, len + 1) == 0 && (place == 3 || d[len + 1] == 0xee), "strcpy len=%zu place=%d", len, place);
			if (place != 3) memset(d, 0xee, len + 70);
			CHECK(stpcpy((char *)d, (char *)s) == (char *)d + len, "stpcpy return len=%zu", len);
			CHECK(memcmp(d, s, len + 1) == 0 && (place == 3 || d[len + 1] == 0xee), "stpcpy len=%zu place=%d", len, place);

			/* strcat onto a short prefix (room is len + 1 + 3 except at the guard) */
			if (place != 3) {
				memcpy(d, "ab\x90", 4);
				CHECK(strcat((char *)d, (char *)s) == (char *)d, "strcat return");
				CHECK(memcmp(d, "ab\x90", 3) == 0 && memcmp(d + 3, s, len + 1) == 0, "strcat len=%zu", len);
			}

			/* strncpy/stpncpy: n below, at and above the length; zero fill */
			size_t ns[] = { 0, len / 2, len, len + 1, len + 40 };
			for (int j = 0; j < 5; j++) {
				size_t n = ns[j], c = n < len ? n : len;
				unsigned char *dd = place == 3 ? endB - n : d;
				if (place != 3) memset(dd, 0xee, n + 2);
				CHECK(strncpy((char *)dd, (char *)s, n) == (char *)dd, "strncpy return");
				ok = memcmp(dd, s, c) == 0;
				for (size_t i = c; i < n; i++) ok &= dd[i] == 0;
				CHECK(ok && (place == 3 || dd[n] == 0xee), "strncpy len=%zu n=%zu place=%d", len, n, place);
				if (place != 3) memset(dd, 0xee, n + 2);
				CHECK(stpncpy((char *)dd, (char *)s, n) == (char *)dd + c, "stpncpy return len=%zu n=%zu", len, n);
				ok = memcmp(dd, s, c) == 0;
				for (size_t i = c; i < n; i++) ok &= dd[i] == 0;
				CHECK(ok && (place == 3 || dd[n] == 0xee), "stpncpy len=%zu n=%zu", len, n);
				if (place != 3) {
					memcpy(dd, "xy", 3);
					memset(dd + 3, 0xee, c + 2);
					CHECK(strncat((char *)dd, (char *)s, n) == (char *)dd, "strncat return");
					CHECK(memcmp(dd, "xy", 2) == 0 && memcmp(dd + 2, s, c) == 0 && dd[2 + c] == 0
						&& dd[3 + c] == 0xee, "strncat len=%zu n=%zu", len, n);
				}
				/* strlcpy/strlcat */
				if (place != 3) memset(dd, 0xee, n + 2);
				size_t want = n ? (len < n - 1 ? len : n - 1) : 0;
				CHECK(strlcpy((char *)dd, (char *)s, n) == len, "strlcpy return len=%zu n=%zu", len, n);
				CHECK(!n || (memcmp(dd, s, want) == 0 && dd[want] == 0), "strlcpy len=%zu n=%zu", len, n);
				if (n >= 3) {
					memcpy(dd, "pq", 3);
					size_t r = strlcat((char *)dd, (char *)s, n);
					size_t cp = len < n - 3 ? len : n - 3;
					CHECK(r == 2 + len && memcmp(dd, "pq", 2) == 0 && memcmp(dd + 2, s, cp) == 0 && dd[2 + cp] == 0,
						"strlcat len=%zu n=%zu r=%zu", len, n, r);
					mix(r);
				}
			}

			/* memccpy: stop byte at a chosen position, or absent */
			unsigned char c = 0xc1;
			for (size_t i = 0; i < len; i++) if (s[i] == c) s[i] = 'c';
			size_t stop = len ? (len * 13 + place) % (len + len / 3 + 1) : 0;
			if (stop < len) s[stop] = c;
			if (place != 3) memset(d, 0xee, len + 2);
			unsigned char *r = memccpy(d, s, 0x500 | c, len);
			if (stop < len) CHECK(r == d + stop + 1 && memcmp(d, s, stop + 1) == 0 && (place == 3 || d[stop + 1] == 0xee),
				"memccpy found len=%zu stop=%zu", len, stop);
			else CHECK(r == NULL && memcmp(d, s, len) == 0, "memccpy absent len=%zu", len);
			mix(r ? r - d : -1);

			/* mempcpy, bcopy, bzero, explicit_bzero, swab */
			if (place != 3) memset(d, 0xee, len + 2);
			CHECK(mempcpy(d, s, len) == d + len && memcmp(d, s, len) == 0, "mempcpy len=%zu", len);
			bzero(d, len);
			ok = 1;
			for (size_t i = 0; i < len; i++) ok &= d[i] == 0;
			CHECK(ok && (place == 3 || d[len] == 0xee), "bzero len=%zu", len);
			bcopy(s, d, len);
			CHECK(memcmp(d, s, len) == 0, "bcopy len=%zu", len);
			explicit_bzero(d, len);
			ok = 1;
			for (size_t i = 0; i < len; i++) ok &= d[i] == 0;
			CHECK(ok, "explicit_bzero len=%zu", len);
			swab(s, d, (ssize_t)len);
			ok = 1;
			for (size_t i = 0; i + 1 < len; i += 2) ok &= d[i] == s[i + 1] && d[i + 1] == s[i];
			if (len & 1) ok &= d[len - 1] == 0;
			CHECK(ok, "swab len=%zu", len);
		}
	}
	/* bcopy is memmove: overlapping both ways */
	for (int i = 0; i < 300; i++) A[i] = (unsigned char)i;
	bcopy(A, A + 7, 200);
	CHECK(A[7] == 0 && A[206] == 199, "bcopy overlap forward");
	bcopy(A + 7, A, 200);
	CHECK(A[0] == 0 && A[199] == 199, "bcopy overlap backward");
	volatile ssize_t negative = -4;
	memset(B, 0x5a, 4);
	swab(A, B, negative);
	CHECK(B[0] == 0x5a && B[3] == 0x5a, "swab negative n");
	printf("copy digest %lu\n", digest);
}

/* One token per line, bytes >= 0x80 as \xNN so the output stays ASCII. */
static void show(const char *what, char *tok)
{
	printf("%s: ", what);
	if (!tok) printf("(null)");
	for (; tok && *tok; tok++)
		if ((unsigned char)*tok >= 0x80) printf("\\x%02x", (unsigned char)*tok);
		else putchar(*tok);
	putchar('\n');
}

static void test_tokens(void)
{
	char buf[] = ",,one,two;;three,\xe9\xe9,", buf2[] = "a b  c", buf3[] = "x,,y,", empty[] = "";
	char *save = NULL, *t;
	for (t = strtok(buf, ",;"); t; t = strtok(NULL, ",;")) show("strtok", t);
	show("strtok again", strtok(NULL, ",;"));
	show("strtok empty sep", strtok(buf2, ""));
	show("strtok empty", strtok(empty, " "));
	strcpy(buf2, "a b  c");
	for (t = strtok_r(buf2, " ", &save); t; t = strtok_r(NULL, " ", &save)) show("strtok_r", t);
	show("strtok_r again", strtok_r(NULL, " ", &save));
	char *p = buf3;
	while ((t = strsep(&p, ","))) show("strsep", t);
	show("strsep end", p);
	show("strsep null", strsep(&p, ","));
}

int main(void)
{
	enum { SPACE = 3 * 4096 };
	unsigned char *endA, *endB;
	unsigned char *A = guarded(SPACE, &endA), *B = guarded(SPACE, &endB);
	test_compares(A, endA, B, endB);
	test_strverscmp();
	test_copies(A, endA, B, endB);
	test_tokens();
	printf("compare: %d failures\n", failures);
	return failures != 0;
}
