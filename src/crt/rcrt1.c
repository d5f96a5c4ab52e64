/* rcrt1.o: entry point of static PIE programs. No dynamic linker runs for
 * them, so the program relocates itself before anything can read an
 * absolute address: the code up to the relocation loop uses only
 * PC-relative addressing (hidden symbols, no GOT) and touches no
 * relocated data. Only relative relocations occur in a static PIE. */
#include <stddef.h>
#include <stdint.h>
#include "crt_arch.h"

#define AT_PHDR 3
#define AT_PHNUM 5
#define PT_DYNAMIC 2
#define DT_NULL 0
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_REL 17
#define DT_RELSZ 18
#define DT_RELRSZ 35
#define DT_RELR 36

typedef struct {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} phdr64;

int main();
void _init(void) __attribute__((weak));
void _fini(void) __attribute__((weak));
_Noreturn int __libc_start_main(int (*)(), int, char **,
	void (*)(void), void (*)(void), void (*)(void));

/* Runs after relocation; kept out of line so that no load of a relocated
 * address (main, _init, _fini come from the GOT) is hoisted above it. */
__attribute__((noinline, visibility("hidden")))
_Noreturn void __vicuna_crt_start(long *p)
{
	__libc_start_main(main, p[0], (char **)(p + 1), _init, _fini, 0);
}

__attribute__((visibility("hidden"), used))
void _start_c(long *p, size_t *dynv)
{
	size_t argc = p[0];
	char **argv = (char **)(p + 1);
	char **envp = argv + argc + 1;
	size_t i = 0;
	while (envp[i]) i++;
	size_t *auxv = (size_t *)(envp + i + 1);

	size_t phdr = 0, phnum = 0;
	for (i = 0; auxv[i]; i += 2) {
		if (auxv[i] == AT_PHDR) phdr = auxv[i + 1];
		if (auxv[i] == AT_PHNUM) phnum = auxv[i + 1];
	}
	/* Load base: where PT_DYNAMIC landed minus where it was linked. */
	size_t base = 0;
	for (i = 0; i < phnum; i++) {
		const phdr64 *ph = (const phdr64 *)phdr + i;
		if (ph->p_type == PT_DYNAMIC) base = (size_t)dynv - ph->p_vaddr;
	}

	size_t rel = 0, relsz = 0, rela = 0, relasz = 0, relr = 0, relrsz = 0;
	for (i = 0; dynv && dynv[i] != DT_NULL; i += 2) {
		size_t v = dynv[i + 1];
		switch (dynv[i]) {
		case DT_REL: rel = v; break;
		case DT_RELSZ: relsz = v; break;
		case DT_RELA: rela = v; break;
		case DT_RELASZ: relasz = v; break;
		case DT_RELR: relr = v; break;
		case DT_RELRSZ: relrsz = v; break;
		}
	}
	for (size_t *r = (size_t *)(base + rela); relasz; r += 3, relasz -= 3 * sizeof(size_t))
		if ((r[1] & 0xffffffff) == CRT_REL_RELATIVE)
			*(size_t *)(base + r[0]) = base + r[2];
	for (size_t *r = (size_t *)(base + rel); relsz; r += 2, relsz -= 2 * sizeof(size_t))
		if ((r[1] & 0xffffffff) == CRT_REL_RELATIVE)
			*(size_t *)(base + r[0]) += base;
	/* RELR: an address entry relocates one word and sets the cursor; a
	 * bitmap entry (low bit set) relocates the words its bits select. */
	size_t *where = 0;
	for (size_t *r = (size_t *)(base + relr); relrsz; r++, relrsz -= sizeof(size_t)) {
		size_t e = *r;
		if (!(e & 1)) {
			where = (size_t *)(base + e);
			*where++ += base;
		} else {
			for (size_t k = 0; (e >>= 1); k++)
				if (e & 1) where[k] += base;
			where += 8 * sizeof(size_t) - 1;
		}
	}
	__asm__ __volatile__("" ::: "memory");
	__vicuna_crt_start(p);
}
