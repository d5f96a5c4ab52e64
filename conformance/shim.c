/* Placed ahead of the renamed musl archive when the reference object is
 * linked, so that musl's code, which runs inside a glibc test process,
 * reports errors through the process's real errno (glibc's) instead of
 * musl's thread structure. See build.rs. */
#include <errno.h>

int *musl___errno_location(void)
{
	return &errno;
}

/* musl's weak alias of the same function. */
int *musl____errno_location(void)
{
	return &errno;
}
