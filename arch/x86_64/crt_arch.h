/* x86_64 process entry. The kernel starts _start with %rsp pointing at
 * argc; the ABI wants %rbp cleared (end of frame chain) and a 16-byte
 * aligned stack at the call. _start_c gets the original stack pointer and
 * the run-time address of _DYNAMIC (used by rcrt1's self-relocation). */
__asm__(
	".text\n"
	".global _start\n"
	".type _start,@function\n"
	"_start:\n"
	"	xor %rbp,%rbp\n"
	"	mov %rsp,%rdi\n"
	".weak _DYNAMIC\n"
	".hidden _DYNAMIC\n"
	"	lea _DYNAMIC(%rip),%rsi\n"
	"	andq $-16,%rsp\n"
	"	call _start_c\n"
	"	hlt\n"
);

/* The relocation type a static PIE needs applied before anything else. */
#define CRT_REL_RELATIVE 8 /* R_X86_64_RELATIVE */
