/* Static TLS of the main thread: initialised (.tdata) and zero (.tbss)
 * variables, a 64-byte aligned one, the thread pointer's self pointer,
 * errno inside the thread structure. Exits with 0. */
#include <errno.h>
#include <stdint.h>
#include "out.h"

__thread int t_init = 42;
__thread long t_arr[4] = { 1, 2, 3, -4 };
__thread char t_zero[100];
static __thread int t_static_zero;
__thread char t_aligned[64] __attribute__((aligned(64))) = "aligned";
#ifdef BIG
/* Bigger than any built-in area: forces a mapped block. */
__thread char t_big[20000] = { 7 };
__thread char t_page[16] __attribute__((aligned(4096))) = "page";
#endif

static void *tp(void)
{
	void *p;
	__asm__("mov %%fs:0,%0" : "=r"(p));
	return p;
}

int main(void)
{
	say("t_init", t_init);
	say("t_arr sum", t_arr[0] + t_arr[1] + t_arr[2] + t_arr[3]);
	int nz = 0;
	for (int i = 0; i < 100; i++) nz += t_zero[i] != 0;
	say("t_zero nonzero bytes", nz);
	say("t_static_zero", t_static_zero);
	say("t_aligned % 64", (uintptr_t)t_aligned % 64);
	say_str("t_aligned", t_aligned);
	t_init++;
	t_zero[99] = 5;
	t_static_zero = -1;
	say("after writes", t_init + t_zero[99] + t_static_zero);
	char *self = tp();
	say("%fs:0 points to itself", *(void **)self == self);
	say("tls below the thread pointer", (char *)&t_init < self && (char *)&t_aligned[63] < self);
	say("errno inside the thread structure", (char *)&errno > self && (char *)&errno < self + 4096);
#ifdef BIG
	say("t_big[0]", t_big[0]);
	int big_nz = 0;
	for (int i = 1; i < 20000; i++) big_nz += t_big[i] != 0;
	say("t_big nonzero tail", big_nz);
	say("t_page % 4096", (uintptr_t)t_page % 4096);
	say_str("t_page", t_page);
#endif
	return 0;
}
