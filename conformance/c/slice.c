/* The string/memory slice, exercised through the C ABI: every alignment
 * 0..63 for a range of lengths, overlapping memmove both ways, bytes >= 0x80,
 * and buffers against PROT_NONE guard pages. Self-checking against byte
 * loops; prints a digest of the memcmp results so that runs under
 * different libcs can be compared line by line. Built with -fno-builtin so
 * every call reaches the library. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

static unsigned rnd_state = 12345;
static unsigned char rnd(void)
{
	rnd_state = rnd_state * 1103515245 + 12345;
	return rnd_state >> 16;
}

static int sign(int x) { return (x > 0) - (x < 0); }

int main(void)
{
	enum { MAX = 1200, SPACE = 3 * 4096 };
	unsigned char *endA, *endB;
	unsigned char *A = guarded(SPACE, &endA), *B = guarded(SPACE, &endB);
	unsigned char ref[SPACE];
	unsigned long digest = 0;
	static const size_t extra[] = { 4095, 4096, 4097, 4100, 8191, 8192 };

	for (size_t n = 0; n <= MAX + 6; n++) {
		size_t len = n <= MAX ? n : extra[n - MAX - 1];
		for (int sa = 0; sa < 64; sa += (len < 300 ? 1 : 13)) {
			int da = (sa * 7 + (int)len) & 63;
			unsigned char *s = A + sa, *d = B + da;
			for (size_t i = 0; i < len + 64; i++) s[i] = rnd();

			/* memcpy, with the bytes around the destination untouched */
			memset(B, 0xee, len + 128);
			CHECK(memcpy(d, s, len) == d, "memcpy return");
			CHECK(!len || (d[0] == s[0] && d[len - 1] == s[len - 1]), "memcpy ends len=%zu", len);
			int ok = 1;
			for (size_t i = 0; i < len; i++) ok &= d[i] == s[i];
			ok &= d[len] == 0xee && (da == 0 || d[-1] == 0xee);
			CHECK(ok, "memcpy len=%zu sa=%d da=%d", len, sa, da);

			/* memcmp and bcmp: equal, then one byte changed */
			CHECK(memcmp(d, s, len) == 0 && bcmp(d, s, len) == 0, "equal len=%zu", len);
			if (len) {
				size_t at = (len * 31 + sa) % len;
				d[at] ^= 0x80 | (at & 0x7f);
				int r = memcmp(s, d, len);
				CHECK(r == s[at] - d[at], "memcmp value len=%zu at=%zu r=%d", len, at, r);
				CHECK(sign(memcmp(d, s, len)) == -sign(r), "memcmp antisymmetry");
				CHECK(bcmp(s, d, len) != 0, "bcmp len=%zu", len);
				digest = digest * 31 + (unsigned)r;
			}

			/* memset with an int whose high bits must be ignored */
			CHECK(memset(d, 0x1200 | sa, len) == d, "memset return");
			ok = 1;
			for (size_t i = 0; i < len; i++) ok &= d[i] == (unsigned char)sa;
			ok &= d[len] == 0xee;
			CHECK(ok, "memset len=%zu da=%d", len, da);

			/* strlen: no NUL inside, NUL at len */
			for (size_t i = 0; i < len; i++) s[i] |= 1;
			s[len] = 0;
			CHECK(strlen((char *)s) == len, "strlen len=%zu sa=%d", len, sa);

			/* memmove both directions, overlapping by various amounts */
			for (int shift = -70; shift <= 70; shift += 10) {
				unsigned char *base = A + 256;
				for (size_t i = 0; i < len + 200; i++) base[i - 100] = rnd();
				memcpy(ref, base - 100, len + 200);
				CHECK(memmove(base + shift, base, len) == base + shift, "memmove return");
				ok = 1;
				/* reference: ref + 100 is the old `base` */
				for (size_t i = 0; i < len; i++) ok &= base[shift + (long)i] == ref[100 + i];
				CHECK(ok, "memmove len=%zu shift=%d", len, shift);
			}
		}
	}

	/* Guard pages: buffers that end exactly at an unmapped page. */
	for (size_t len = 0; len < 300; len++) {
		unsigned char *s = endA - len, *d = endB - len;
		for (size_t i = 0; i < len; i++) s[i] = rnd() | 1;
		memcpy(d, s, len);
		CHECK(memcmp(d, s, len) == 0 && bcmp(s, d, len) == 0, "guard copy len=%zu", len);
		memmove(d, s, len);
		memset(d, 'g', len);
		if (len) {
			s[len - 1] = 0;
			CHECK(strlen((char *)s) == len - 1, "guard strlen len=%zu", len);
		}
	}

	printf("memcmp digest %lu\n", digest);
	printf("slice: %d failures\n", failures);
	return failures != 0;
}
