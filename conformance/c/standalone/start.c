/* Start-up and the environment: argc/argv/envp, environ and its aliases,
 * program names, getenv/secure_getenv, getauxval, errno from failing
 * system calls, ids, signals to self, the string routines. Exits with 3. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>
#include "out.h"

extern char **__environ, **_environ, **___environ;
extern char *__progname, *__progname_full;

int main(int argc, char **argv, char **envp)
{
	say("argc", argc);
	for (int i = 0; i < argc; i++) { put("argv[]="); put(i ? argv[i] : "(name)"); put("\n"); }
	say("argv[argc] is null", argv[argc] == 0);
	say("envp == environ", envp == environ);
	say("aliases agree", __environ == environ && _environ == environ && ___environ == environ);
	int n = 0, ours = 0;
	for (char **e = environ; *e; e++, n++)
		if (starts(*e, "STANDALONE_")) { ours++; put("env: "); put(*e); put("\n"); }
	say("env entries > 0", n > 0);
	say("env ours", ours);

	say_str("getenv(STANDALONE_A)", getenv("STANDALONE_A"));
	say_str("getenv(STANDALONE_EMPTY)", getenv("STANDALONE_EMPTY"));
	say_str("getenv(STANDALONE_MISSING)", getenv("STANDALONE_MISSING"));
	say_str("getenv(STANDALONE_)", getenv("STANDALONE_"));
	say_str("getenv(empty)", getenv(""));
	say_str("getenv(STANDALONE_A=1)", getenv("STANDALONE_A=1"));
	char *entry = 0;
	for (char **e = environ; *e; e++) if (starts(*e, "STANDALONE_A=")) entry = *e;
	say("getenv points into environ", entry && getenv("STANDALONE_A") == entry + 13);
	say("secure_getenv == getenv", secure_getenv("STANDALONE_A") == getenv("STANDALONE_A"));

	say_str("__progname", __progname);
	say_str("program_invocation_short_name", program_invocation_short_name);
	say("program_invocation_name == argv[0]", program_invocation_name == argv[0]);
	say("__progname_full == argv[0]", __progname_full == argv[0]);

	say("AT_PAGESZ", getauxval(AT_PAGESZ));
	unsigned char *rnd = (unsigned char *)getauxval(AT_RANDOM);
	say("AT_RANDOM set", rnd != 0);
	say("AT_SECURE", getauxval(AT_SECURE));
	say("AT_PHNUM > 0", getauxval(AT_PHNUM) > 0);
	say("AT_UID == getuid", getauxval(AT_UID) == getuid());
	errno = 0;
	unsigned long missing = getauxval(12345);
	say("getauxval(12345)", missing);
	say("errno == ENOENT", errno == ENOENT);
	errno = 0;
	getauxval(AT_PAGESZ);
	say("found leaves errno", errno);

	say("write(-1)", write(-1, "x", 1));
	say("errno == EBADF", errno == EBADF);
	errno = 0;
	char buf[4];
	say("read(-1)", read(-1, buf, sizeof buf));
	say("errno == EBADF", errno == EBADF);
	errno = 0;
	say("close(-1)", close(-1));
	say("errno == EBADF", errno == EBADF);
	say("write(1, 0 bytes)", write(1, "", 0));
	say("success leaves errno", errno == EBADF);

	say("getpid > 1", getpid() > 1);
	say("getppid > 0", getppid() > 0);
	say("getppid != getpid", getppid() != getpid());
	say("uid == euid", getuid() == geteuid());
	say("gid == egid", getgid() == getegid());
	say("kill(self, 0)", kill(getpid(), 0));
	errno = 0;
	say("kill(nobody, 0)", kill(0x3fffffff, 0));
	say("errno == ESRCH", errno == ESRCH);
	say("raise(0)", raise(0));
	errno = 0;
	say("raise(1000)", raise(1000));
	say("errno == EINVAL", errno == EINVAL);

	char a[64], b[64];
	memset(a, 'x', sizeof a);
	memcpy(b, "hello, standalone world", 24);
	memmove(b + 1, b, 10);
	say("strlen", strlen(b));
	say_str("memmove", b);
	say("memcmp", memcmp(a, "xxxy", 4) < 0);
	say("memset", a[63] == 'x');
	return 3;
}
