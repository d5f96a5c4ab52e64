/* abort, assert, raise and kill. The mode is argv[1]:
 *   plain    abort()                 blocked  abort() with SIGABRT blocked
 *   ignored  abort() with SIGABRT ignored
 *   assert   a failing assert (message on stderr, then SIGABRT)
 *   raise    raise(SIGTERM)          kill     kill(getpid(), SIGUSR1)
 * Signals are blocked/ignored with raw system calls (x86_64), so that the
 * program needs nothing beyond what vicuna provides. */
#include <assert.h>
#include <signal.h>
#include <stdlib.h>
#include "out.h"

static long sys4(long n, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return r;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "plain";
	put(mode); put("\n");
	if (same(mode, "blocked")) {
		unsigned long set = 1UL << (SIGABRT - 1);
		say("blocked", sys4(14 /* rt_sigprocmask */, 0 /* SIG_BLOCK */, (long)&set, 0, 8));
		abort();
	}
	if (same(mode, "ignored")) {
		unsigned long act[4] = { 1 /* SIG_IGN */, 0, 0, 0 };
		say("ignored", sys4(13 /* rt_sigaction */, SIGABRT, (long)act, 0, 8));
		abort();
	}
	if (same(mode, "assert")) {
		assert(argc == 1 && "one argument");
		put("not reached\n");
	}
	if (same(mode, "raise")) say("raise", raise(SIGTERM));
	if (same(mode, "kill")) say("kill", kill(getpid(), SIGUSR1));
	if (same(mode, "plain")) abort();
	put("not reached\n");
	return 0;
}
