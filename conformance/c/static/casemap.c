/* towlower and towupper over every code point 0..0x10FFFF (and a few
 * values beyond), printed wherever they change the argument. Run against
 * stock musl and statically linked with vicuna's libc.a ahead of musl's;
 * the outputs must be identical. (Not in conformance/c/ itself: under the
 * glibc overlay these would be glibc's functions, whose mapping differs.) */
#include <stdio.h>
#include <wctype.h>

int main(void)
{
	unsigned long changed = 0;
	for (wint_t c = 0; c < 0x110000; c++) {
		wint_t l = towlower(c), u = towupper(c);
		if (l != c || u != c) {
			printf("%x %x %x\n", c, l, u);
			changed++;
		}
	}
	wint_t beyond[] = { 0x110000, 0x7fffffff, 0x80000000, 0xffffffff };
	for (int i = 0; i < 4; i++)
		printf("beyond %x %x %x\n", beyond[i], towlower(beyond[i]), towupper(beyond[i]));
	printf("casemap: %lu code points change case\n", changed);
	return 0;
}
