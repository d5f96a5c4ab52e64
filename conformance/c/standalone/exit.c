/* Constructors, destructors, _init/_fini, atexit and __cxa_atexit order
 * (more than 32 handlers; a handler registering another), quick_exit,
 * _Exit and the exit status. The mode is argv[1]:
 *   return   main returns 7          call   exit(5) from a nested call
 *   quick    quick_exit(9)           _Exit  _Exit(11)
 *   many     33 at_quick_exit registrations: the 33rd fails
 *   nested   a handler calls exit(13): the remaining handlers, the
 *            destructors and _fini still run once, status 13
 * __cxa_finalize(0) is called first: it does nothing (handlers run at exit). */
#include <stdlib.h>
#include "out.h"

int __cxa_atexit(void (*)(void *), void *, void *);
void __cxa_finalize(void *);

static int init_ran;

__attribute__((used)) static void init_hook(void) { init_ran = 1; put("_init\n"); }
__attribute__((used)) static void fini_hook(void) { put("_fini\n"); }
__asm__(".section .init\n\tcall init_hook\n\t.section .fini\n\tcall fini_hook\n\t.text\n");

__attribute__((constructor(101))) static void c101(void) { say("ctor101 after _init", init_ran); }
__attribute__((constructor(102))) static void c102(void) { put("ctor102\n"); }
__attribute__((constructor)) static void c(void) { put("ctor\n"); }
__attribute__((destructor(101))) static void d101(void) { put("dtor101\n"); }
__attribute__((destructor)) static void d(void) { put("dtor\n"); }

static void numbered(void *p) { say("handler", (long)p); }
static void a(void) { put("atexit a\n"); }
static void b(void) { put("atexit b\n"); }
static void late(void) { put("atexit late (registered by a handler)\n"); }
static void registers(void) { put("atexit registers\n"); say("atexit(late)", atexit(late)); }
static void exits(void) { put("atexit exits\n"); exit(13); }
static void q1(void) { put("quick 1\n"); }
static void q2(void) { put("quick 2\n"); }

__attribute__((noinline)) static void nested(void) { exit(5); }

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "return";
	say("atexit(a)", atexit(a));
	for (long i = 0; i < 40; i++)
		if (__cxa_atexit(numbered, (void *)i, 0)) put("__cxa_atexit failed\n");
	say("atexit(registers)", atexit(registers));
	say("atexit(b)", atexit(b));
	if (same(mode, "nested")) say("atexit(exits)", atexit(exits));
	__cxa_finalize(0);
	say("at_quick_exit(q1)", at_quick_exit(q1));
	say("at_quick_exit(q2)", at_quick_exit(q2));
	put("main done\n");
	if (same(mode, "call")) nested();
	if (same(mode, "quick")) quick_exit(9);
	if (same(mode, "_Exit")) _Exit(11);
	if (same(mode, "many")) {
		int r = 0;
		for (int i = 0; i < 31; i++) r |= at_quick_exit(q1);
		say("31 more", r);
		say("33rd", at_quick_exit(q2));
		quick_exit(0);
	}
	return 7;
}
