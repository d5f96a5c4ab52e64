/* Built with -fstack-protector-all: the canary at %fs:0x28 is set, stable,
 * equal to __stack_chk_guard, with its second byte zero (as musl). With an
 * argument, "fail" calls __stack_chk_fail and "smash" overruns a buffer:
 * both end the process by SIGSEGV, as musl. */
#include <stdint.h>
#include "out.h"

extern uintptr_t __stack_chk_guard;
void __stack_chk_fail(void);

static uintptr_t canary(void)
{
	uintptr_t c;
	__asm__ volatile("mov %%fs:0x28,%0" : "=r"(c));
	return c;
}

static int deep(int n)
{
	char buf[64];
	memset(buf, n, sizeof buf);
	return n ? deep(n - 1) + buf[3] : 0;
}

__attribute__((noinline)) static void smash(const char *arg)
{
	char buf[8];
	volatile char *p = buf;
	for (int i = 0; i < 64; i++) p[i] = arg[0];
}

int main(int argc, char **argv)
{
	uintptr_t c = canary();
	say("canary set", c != 0);
	say("deep", deep(20));
	say("canary stable", canary() == c);
	say("canary == __stack_chk_guard", c == __stack_chk_guard);
	say("canary byte 1", (c >> 8) & 0xff);
	if (argc > 1 && same(argv[1], "fail")) __stack_chk_fail();
	if (argc > 1 && same(argv[1], "smash")) smash(argv[1]);
	put("not reached with an argument\n");
	return 0;
}
