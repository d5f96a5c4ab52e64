/* strerror, strerror_l, strerror_r, __xpg_strerror_r and strsignal over
 * every number in and around their ranges, and strerror_r at every buffer
 * length. Run statically (vicuna's libc.a ahead of musl's) and against
 * stock musl; the outputs must be equal. */
#define _GNU_SOURCE
#include <locale.h>
#include <stdio.h>
#include <string.h>

int __xpg_strerror_r(int, char *, size_t);

int main(void)
{
	locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	for (int e = -5; e <= 4200; e++) {
		const char *t = strerror(e);
		if (e < 200 || e % 97 == 0) printf("strerror %d %s\n", e, t);
		if (strcmp(strerror_l(e, c), t)) printf("strerror_l differs at %d\n", e);
	}
	for (int s = -5; s <= 130; s++) printf("strsignal %d %s\n", s, strsignal(s));
	for (int e = 0; e < 140; e += 7)
		for (size_t len = 0; len < 40; len++) {
			char buf[48];
			memset(buf, '#', sizeof buf);
			int r = strerror_r(e, buf, len);
			int x = __xpg_strerror_r(e, buf + 0, len);
			buf[47] = 0;
			printf("strerror_r %d %zu -> %d %d [%s]\n", e, len, r, x, buf);
		}
	return 0;
}
