/* Hardening: argv[1] names a misuse; vicuna must abort (SIGABRT) with a
 * message on fd 2 rather than corrupt its heap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

static void *p_shared;
static void *remote_free(void *a) { (void)a; free(p_shared); return 0; }

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	char *p = malloc(64);
	char *keep = malloc(64); /* keeps the page in use */
	static char stackbuf[64];
	if (!strcmp(what, "double")) { free(p); free(p); }
	else if (!strcmp(what, "double-big")) { p = malloc(1 << 22); free(p); free(p); }
	else if (!strcmp(what, "interior")) free(p + 16);
	else if (!strcmp(what, "interior-late")) { free(malloc(64)); free(p + 16); } /* an aligned interior pointer on the fast path */
	else if (!strcmp(what, "static")) free(stackbuf);
	else if (!strcmp(what, "wild")) free((void *)0x12345670);
	else if (!strcmp(what, "double-remote")) {
		pthread_t t;
		p_shared = p;
		pthread_create(&t, 0, remote_free, 0); pthread_join(t, 0);
		pthread_create(&t, 0, remote_free, 0); pthread_join(t, 0);
		for (int i = 0; i < 100000; i++) free(malloc(64));
	}
	else if (!strcmp(what, "double-owner-remote")) {
		pthread_t t;
		p_shared = p;
		free(p);
		pthread_create(&t, 0, remote_free, 0); pthread_join(t, 0);
		for (int i = 0; i < 100000; i++) free(malloc(64));
	}
	else if (!strcmp(what, "write-after-free")) {
		free(p);
		memset(p, 0x41, 16); /* overwrites the free-list link */
		for (int i = 0; i < 100000; i++) malloc(64);
	}
	else if (!strcmp(what, "ok")) { free(p); free(keep); puts("fine"); return 0; }
	puts("survived");
	return 0;
}
