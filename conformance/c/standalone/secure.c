/* Run set-user-id (the runner makes it so when it runs as root) with
 * descriptor 0 closed: start-up must notice the privilege (AT_SECURE,
 * secure_getenv) and open /dev/null on the closed standard descriptor. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include "out.h"

int main(void)
{
	char c;
	say("AT_SECURE", getauxval(AT_SECURE));
	say("uid != euid", getuid() != geteuid());
	say_str("getenv", getenv("STANDALONE_A"));
	say_str("secure_getenv", secure_getenv("STANDALONE_A"));
	errno = 0;
	say("read(0, 0 bytes)", read(0, &c, 0));
	say("errno", errno);
	return 0;
}
