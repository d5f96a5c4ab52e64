/* Says which shared object provides each routine this program calls:
 * with the overlay preloaded, it must be libvicuna-preload.so. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static void where(const char *name, void *fn)
{
	Dl_info info;
	if (!dladdr(fn, &info) || !info.dli_fname) {
		printf("%s: unknown\n", name);
		return;
	}
	const char *base = strrchr(info.dli_fname, '/');
	printf("%s: %s\n", name, base ? base + 1 : info.dli_fname);
}

int main(void)
{
	/* Addresses as this program's own references resolve them. */
	void *volatile fns[] = { (void *)memcpy, (void *)memmove, (void *)memset,
		(void *)memcmp, (void *)bcmp, (void *)strlen };
	const char *names[] = { "memcpy", "memmove", "memset", "memcmp", "bcmp", "strlen" };
	for (int i = 0; i < 6; i++) where(names[i], fns[i]);
	char buf[16];
	memcpy(buf, "dispatched", 11);
	return strlen(buf) == 10 ? 0 : 1;
}
