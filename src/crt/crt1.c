/* crt1.o and (built with -fPIC) Scrt1.o: the program entry point that
 * musl-style C programs are linked with. It hands argc/argv to
 * __libc_start_main with the signature musl's crt1 uses, so the same object
 * works with vicuna's start-up and with musl's. */
#include "crt_arch.h"

int main();
void _init(void) __attribute__((weak));
void _fini(void) __attribute__((weak));
_Noreturn int __libc_start_main(int (*)(), int, char **,
	void (*)(void), void (*)(void), void (*)(void));

__attribute__((visibility("hidden"), used))
void _start_c(long *p, void *dynamic)
{
	(void)dynamic;
	int argc = p[0];
	char **argv = (void *)(p + 1);
	__libc_start_main(main, argc, argv, _init, _fini, 0);
}
