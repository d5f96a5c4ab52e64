/* Helper process for the differential tests of strdup, strndup and wcsdup
 * (conformance/src/helpers.rs, family "dup_ops"): they return memory from
 * malloc, so they run in a musl-gcc program, once on stock musl and once
 * with vicuna's overlay preloaded, on the same script from stdin. Each line
 * prints the copy's contents (never addresses) and frees it.
 *
 * Script lines (HEX: bytes as hex digits, no NUL; WORDS: 8-hex-digit
 * wchar_t values separated by '.', or "-" for none):
 *   s HEX        strdup
 *   n HEX N      strndup(HEX with a NUL after it, N)
 *   w WORDS      wcsdup
 * With the argument "which", prints the file that provides each function.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static unsigned char buf[4096];
static wchar_t wbuf[1024];

static size_t unhex(const char *h)
{
	size_t n = 0;
	for (; h[0] && h[1] && n < sizeof buf - 1; h += 2) {
		unsigned v;
		sscanf(h, "%2x", &v);
		buf[n++] = v;
	}
	buf[n] = 0;
	return n;
}

static void print_bytes(const char *what, const char *p)
{
	printf("%s ", what);
	if (!p) { printf("NULL errno=%d\n", errno); return; }
	for (const unsigned char *q = (const unsigned char *)p; *q; q++) printf("%02x", *q);
	printf(" len=%zu\n", strlen(p));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "which")) {
		Dl_info info;
		void *volatile fns[] = { (void *)strdup, (void *)strndup, (void *)wcsdup };
		for (int i = 0; i < 3; i++)
			puts(dladdr(fns[i], &info) && info.dli_fname ? info.dli_fname : "unknown");
		return 0;
	}
	char line[10000], hex[9000];
	while (fgets(line, sizeof line, stdin)) {
		unsigned long n;
		if (sscanf(line, "s %8999s", hex) == 1) {
			unhex(hex);
			char *d = strdup((char *)buf);
			print_bytes("strdup", d);
			free(d);
		} else if (sscanf(line, "n %8999s %lu", hex, &n) == 2) {
			unhex(hex);
			char *d = strndup((char *)buf, n);
			print_bytes("strndup", d);
			free(d);
		} else if (sscanf(line, "w %8999s", hex) == 1) {
			size_t k = 0;
			for (char *t = strtok(hex, "."); t && k < 1023; t = strtok(0, "."))
				if (strcmp(t, "-")) wbuf[k++] = (wchar_t)strtoul(t, 0, 16);
			wbuf[k] = 0;
			wchar_t *d = wcsdup(wbuf);
			printf("wcsdup ");
			if (!d) printf("NULL errno=%d\n", errno);
			else {
				for (wchar_t *q = d; *q; q++) printf("%08x.", (unsigned)*q);
				printf(" len=%zu\n", wcslen(d));
			}
			free(d);
		}
	}
	return 0;
}
