/* Prints stock musl's strerror and strsignal texts, one per line, for
 * scripts/gen/messages.py. Built with musl-gcc. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
int main(void)
{
	for (int i = 0; i < 4096; i++) printf("E\t%d\t%s\n", i, strerror(i));
	for (int i = 0; i < 128; i++) printf("S\t%d\t%s\n", i, strsignal(i));
	return 0;
}
