/* Exercises the start files: argc/argv/envp, a constructor from
 * .init_array, a destructor, atexit, and main's return value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;
static int constructed;

__attribute__((constructor)) static void ctor(void) { constructed = 42; }
__attribute__((destructor)) static void dtor(void) { printf("destructor ran\n"); fflush(stdout); }
static void at_exit(void) { printf("atexit ran\n"); }

int main(int argc, char **argv)
{
	atexit(at_exit);
	printf("argc=%d", argc);
	for (int i = 1; i < argc; i++) printf(" argv[%d]=%s", i, argv[i]);
	printf("\nconstructed=%d\n", constructed);
	const char *v = getenv("CRT_TEST");
	printf("CRT_TEST=%s\n", v ? v : "(unset)");
	printf("environ ok=%d\n", environ != 0 && environ[0] != 0);
	return 7;
}
