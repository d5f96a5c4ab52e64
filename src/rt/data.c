/* The standalone runtime's data objects and link-time symbols: what
 * stable Rust cannot express (aliases of one object under several names,
 * weak undefined references). Compiled into the staticlib by build.rs only
 * for the `runtime` feature.
 *
 * The sizes and bindings are musl 1.2.3's (abi/musl-1.2.3-symbols.txt):
 * programs take COPY relocations against these objects, so they matter. */
#include <stdint.h>

/* One storage, four names: __environ is global, the others weak. */
char **__environ = 0;
extern char **environ __attribute__((weak, alias("__environ")));
extern char **_environ __attribute__((weak, alias("__environ")));
extern char **___environ __attribute__((weak, alias("__environ")));

/* Set by __libc_start_main from argv[0] (or AT_EXECFN). */
char *__progname = 0, *__progname_full = 0;
extern char *program_invocation_short_name __attribute__((weak, alias("__progname")));
extern char *program_invocation_name __attribute__((weak, alias("__progname_full")));

/* The stack-protector value (aarch64 code reads it directly; on x86_64 the
 * thread structure holds a copy at %fs:0x28). */
uintptr_t __stack_chk_guard = 0;

/* The program's constructor and destructor arrays. The static linker
 * defines these (hidden) in every executable; weak so that a link without
 * them still works (they read as empty). */
typedef void (*vicuna_fn)(void);
extern const vicuna_fn __init_array_start[] __attribute__((weak, visibility("hidden")));
extern const vicuna_fn __init_array_end[] __attribute__((weak, visibility("hidden")));
extern const vicuna_fn __fini_array_start[] __attribute__((weak, visibility("hidden")));
extern const vicuna_fn __fini_array_end[] __attribute__((weak, visibility("hidden")));

/* The program's dynamic section, at its run-time address (PC-relative):
 * with PT_DYNAMIC it gives a static PIE's load base. 0 in a program that
 * has none (a fixed-address static executable). */
extern char _DYNAMIC[] __attribute__((weak, visibility("hidden")));

__attribute__((visibility("hidden")))
char *__vicuna_rt_dynamic(void)
{
	return _DYNAMIC;
}

/* Bounds of both arrays: init start, init end, fini start, fini end. */
__attribute__((visibility("hidden")))
void __vicuna_rt_arrays(const vicuna_fn *out[4])
{
	out[0] = __init_array_start;
	out[1] = __init_array_end;
	out[2] = __fini_array_start;
	out[3] = __fini_array_end;
}
