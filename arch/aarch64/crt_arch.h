/* aarch64 process entry: clear the frame and link registers (end of the
 * frame chain), pass the original sp and the run-time address of _DYNAMIC
 * to _start_c, and align sp to 16. */
__asm__(
	".text\n"
	".global _start\n"
	".type _start,%function\n"
	"_start:\n"
	"	mov x29, #0\n"
	"	mov x30, #0\n"
	"	mov x0, sp\n"
	".weak _DYNAMIC\n"
	".hidden _DYNAMIC\n"
	"	adrp x1, _DYNAMIC\n"
	"	add x1, x1, #:lo12:_DYNAMIC\n"
	"	and sp, x0, #-16\n"
	"	b _start_c\n"
);

#define CRT_REL_RELATIVE 1027 /* R_AARCH64_RELATIVE */
