/* The standalone runtime's POSIX entry points that stable Rust cannot
 * define: the variadic ones (open, openat, fcntl, ioctl, execl), which
 * read their optional argument here and call a Rust function with a fixed
 * signature (src/rt/posix/), and the x86_64 assembly of setjmp/longjmp and
 * the signal-return trampoline. Compiled into the staticlib by build.rs
 * for the `runtime` feature only.
 *
 * The Rust functions are named __vicuna_*: scripts/build treats that
 * prefix as internal (localized in libc.a, never exported). */
#include <stdarg.h>

#define O_CREAT 0100
#define O_TMPFILE 020200000
#define AT_FDCWD (-100)

long __vicuna_openat(int dirfd, const char *path, int flags, unsigned mode);
long __vicuna_fcntl(int fd, int cmd, unsigned long arg);
long __vicuna_ioctl(int fd, unsigned long req, void *arg);
extern char **__environ;
int execve(const char *path, char *const argv[], char *const envp[]);

/* The mode argument exists only when the flags create a file. */
static unsigned want_mode(int flags, va_list ap)
{
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		return va_arg(ap, unsigned);
	return 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	unsigned mode = want_mode(flags, ap);
	va_end(ap);
	return __vicuna_openat(AT_FDCWD, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	unsigned mode = want_mode(flags, ap);
	va_end(ap);
	return __vicuna_openat(dirfd, path, flags, mode);
}

/* Every fcntl command takes an int, a pointer or nothing: read one
 * word, as the kernel does (an absent argument reads as garbage that the
 * command ignores). */
int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	unsigned long arg = va_arg(ap, unsigned long);
	va_end(ap);
	return __vicuna_fcntl(fd, cmd, arg);
}

int ioctl(int fd, int req, ...)
{
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	return __vicuna_ioctl(fd, (unsigned)req, arg);
}

/* execl(path, arg0, ..., (char *)0): the list becomes an argv array on
 * the stack. */
int execl(const char *path, const char *arg0, ...)
{
	va_list ap;
	int n = 1;
	va_start(ap, arg0);
	while (va_arg(ap, const char *)) n++;
	va_end(ap);
	const char *argv[n + 1];
	argv[0] = arg0;
	va_start(ap, arg0);
	for (int i = 1; i <= n; i++) argv[i] = va_arg(ap, const char *);
	va_end(ap);
	return execve(path, (char *const *)argv, __environ);
}

#ifdef __x86_64__
/* jmp_buf (musl's struct __jmp_buf_tag, 200 bytes): __jb[8] holds rbx,
 * rbp, r12, r13, r14, r15, the caller's rsp and the return address;
 * __fl (offset 64) and __ss (offset 72, 128 bytes) serve sigsetjmp.
 *
 * sigsetjmp(env, save) with save != 0 keeps its caller's return address
 * in __fl and the caller's rbx in __ss[1] (the mask needs only __ss[0]),
 * calls setjmp with env in rbx, and on both returns (0 directly, or the
 * value from a longjmp, which restores rbx = env) passes to
 * __vicuna_sigsetjmp_tail: it saves the mask the first time and restores
 * it on the jump. So a plain longjmp to a sigjmp_buf restores the mask
 * too, as with musl. */
__asm__(
	".text\n"
	".global setjmp\n.type setjmp,@function\n"
	".global _setjmp\n.type _setjmp,@function\n"
	"setjmp:\n_setjmp:\n"
	"	mov %rbx,(%rdi)\n"
	"	mov %rbp,8(%rdi)\n"
	"	mov %r12,16(%rdi)\n"
	"	mov %r13,24(%rdi)\n"
	"	mov %r14,32(%rdi)\n"
	"	mov %r15,40(%rdi)\n"
	"	lea 8(%rsp),%rdx\n"
	"	mov %rdx,48(%rdi)\n"
	"	mov (%rsp),%rdx\n"
	"	mov %rdx,56(%rdi)\n"
	"	xor %eax,%eax\n"
	"	ret\n"
	".size setjmp,.-setjmp\n.size _setjmp,.-_setjmp\n"

	".global longjmp\n.type longjmp,@function\n"
	".global _longjmp\n.type _longjmp,@function\n"
	"longjmp:\n_longjmp:\n"
	"	mov %esi,%eax\n"
	"	test %eax,%eax\n"
	"	jnz 1f\n"
	"	inc %eax\n"
	"1:	mov (%rdi),%rbx\n"
	"	mov 8(%rdi),%rbp\n"
	"	mov 16(%rdi),%r12\n"
	"	mov 24(%rdi),%r13\n"
	"	mov 32(%rdi),%r14\n"
	"	mov 40(%rdi),%r15\n"
	"	mov 48(%rdi),%rsp\n"
	"	jmp *56(%rdi)\n"
	".size longjmp,.-longjmp\n.size _longjmp,.-_longjmp\n"

	".global sigsetjmp\n.type sigsetjmp,@function\n"
	".global __sigsetjmp\n.type __sigsetjmp,@function\n"
	"sigsetjmp:\n__sigsetjmp:\n"
	"	test %esi,%esi\n"
	"	jz setjmp\n"
	"	popq 64(%rdi)\n"
	"	mov %rbx,80(%rdi)\n"
	"	mov %rdi,%rbx\n"
	"	call setjmp\n"
	"	mov %rbx,%rdi\n"
	"	pushq 64(%rdi)\n"
	"	mov 80(%rdi),%rbx\n"
	"	mov %eax,%esi\n"
	"	jmp __vicuna_sigsetjmp_tail\n"
	".size sigsetjmp,.-sigsetjmp\n.size __sigsetjmp,.-__sigsetjmp\n"

	/* The signal-return trampoline (SA_RESTORER): the kernel's frame is
	 * on the stack when a handler returns here. */
	".hidden __vicuna_restore_rt\n.global __vicuna_restore_rt\n"
	".type __vicuna_restore_rt,@function\n"
	"__vicuna_restore_rt:\n"
	"	mov $15,%eax\n"
	"	syscall\n"
	".size __vicuna_restore_rt,.-__vicuna_restore_rt\n"
);
#endif

/* siglongjmp is longjmp (the mask comes back through sigsetjmp's tail). */
_Noreturn void longjmp(void *env, int val);
_Noreturn void siglongjmp(void *env, int val)
{
	longjmp(env, val);
}
