/* Signals and non-local jumps: signal, sigaction (plain, SA_SIGINFO,
 * SA_RESETHAND, old actions), sigprocmask, the sigset_t operations,
 * sigsuspend, alarm, sleep, usleep, pause, setjmp/longjmp and
 * sigsetjmp/siglongjmp (with and without the mask, out of a handler). */
#include <signal.h>
#include <setjmp.h>
#include <sys/wait.h>
#include "posix.h"

static volatile int hits, last_sig, info_code, info_pid_ok, ctx_ok;

static void h(int sig) { hits++; last_sig = sig; }
static void hinfo(int sig, siginfo_t *si, void *ctx)
{
	hits++;
	last_sig = sig;
	info_code = si->si_code;
	info_pid_ok = si->si_pid == getpid() && si->si_signo == sig;
	ctx_ok = ctx != 0;
}

static volatile int in_handler_mask;
static int blocked(int sig);
static void hmask(int sig) { (void)sig; in_handler_mask = blocked(SIGUSR1) * 10 + blocked(SIGUSR2); }

static int blocked(int sig)
{
	sigset_t s;
	sigprocmask(SIG_BLOCK, 0, &s);
	return sigismember(&s, sig);
}

static sigjmp_buf sjb;
static jmp_buf jb;
static void jumper(int sig) { (void)sig; siglongjmp(sjb, 7); }

static volatile int depth;
__attribute__((noinline)) static void deep(int v) { void (*volatile again)(int) = deep; if (depth-- > 0) again(v); longjmp(jb, v); }

int main(void)
{
	sigset_t s, old;
	struct sigaction sa, oa;

	/* sigset_t operations */
	res("sigemptyset", sigemptyset(&s));
	res("ismember 10", sigismember(&s, SIGUSR1));
	res("sigaddset 10", sigaddset(&s, SIGUSR1));
	res("ismember 10", sigismember(&s, SIGUSR1));
	res("sigaddset 0", sigaddset(&s, 0));
	res("sigaddset 32", sigaddset(&s, 32));
	res("sigaddset 34", sigaddset(&s, 34));
	res("sigaddset 35", sigaddset(&s, 35));
	res("sigaddset 64", sigaddset(&s, 64));
	res("sigaddset 65", sigaddset(&s, 65));
	res("ismember 64", sigismember(&s, 64));
	res("ismember 65", sigismember(&s, 65));
	res("ismember 0", sigismember(&s, 0));
	res("sigdelset 10", sigdelset(&s, SIGUSR1));
	res("ismember 10", sigismember(&s, SIGUSR1));
	res("sigdelset 33", sigdelset(&s, 33));
	res("sigfillset", sigfillset(&s));
	for (int i = 1; i <= 65; i++)
		if (!sigismember(&s, i)) say("not in full set", i);

	/* signal */
	res("signal", signal(SIGUSR1, h) == SIG_DFL ? 0 : -1);
	res("raise", raise(SIGUSR1));
	say("hits", hits);
	say("sig", last_sig);
	res("signal again returns h", signal(SIGUSR1, SIG_IGN) == h ? 0 : -1);
	res("raise ignored", raise(SIGUSR1));
	say("hits", hits);
	res("signal 0", signal(0, h) == SIG_ERR ? -1 : 0);
	res("signal 32", signal(32, h) == SIG_ERR ? -1 : 0);
	res("signal 65", signal(65, h) == SIG_ERR ? -1 : 0);
	res("signal SIGKILL", signal(SIGKILL, h) == SIG_ERR ? -1 : 0);

	/* sigaction */
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sa.sa_flags = SA_SIGINFO;
	sa.sa_sigaction = hinfo;
	res("sigaction siginfo", sigaction(SIGUSR1, &sa, &oa));
	res("old was SIG_IGN", oa.sa_handler == SIG_IGN ? 0 : -1);
	say("old flags", oa.sa_flags);
	hits = 0;
	res("raise", raise(SIGUSR1));
	say("hits", hits);
	say("si_code", info_code);
	say("si_pid/signo ok", info_pid_ok);
	say("ucontext", ctx_ok);
	res("query", sigaction(SIGUSR1, 0, &oa));
	say("flags", oa.sa_flags);
	say("mask has USR2", sigismember(&oa.sa_mask, SIGUSR2));
	say("handler", oa.sa_sigaction == hinfo);
	res("sigaction 0", sigaction(0, &sa, 0));
	res("sigaction 33", sigaction(33, 0, &oa));
	res("sigaction 65", sigaction(65, 0, &oa));
	res("sigaction SIGSTOP", sigaction(SIGSTOP, &sa, 0));
	res("sigaction SIGSTOP query", sigaction(SIGSTOP, 0, &oa));
	sa.sa_handler = h;
	sa.sa_flags = SA_RESETHAND;
	res("sigaction resethand", sigaction(SIGUSR2, &sa, 0));
	hits = 0;
	raise(SIGUSR2);
	say("hits", hits);
	res("query", sigaction(SIGUSR2, 0, &oa));
	say("reset to default", oa.sa_handler == SIG_DFL);

	/* the handler runs with its signal and sa_mask blocked; SA_NODEFER */
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sa.sa_handler = hmask;
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, 0);
	raise(SIGUSR1);
	say("in handler: USR1, USR2 blocked", in_handler_mask);
	say("after: USR1 blocked", blocked(SIGUSR1));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR1, &sa, 0);
	raise(SIGUSR1);
	say("SA_NODEFER: USR1, USR2 blocked", in_handler_mask);

	/* a signal from another process carries its pid */
	sa.sa_sigaction = hinfo;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, 0);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, 0);
	hits = 0;
	pid_t me = getpid(), c = fork();
	if (c == 0) { kill(me, SIGUSR1); _exit(0); }
	waitpid(c, 0, 0);
	sigprocmask(SIG_UNBLOCK, &s, 0);
	say("hits", hits);
	say("si_code SI_USER", info_code == SI_USER);
	say("si_pid is the child", !info_pid_ok);

	/* sigprocmask */
	signal(SIGUSR1, h);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	res("sigprocmask block", sigprocmask(SIG_BLOCK, &s, &old));
	say("old had USR1", sigismember(&old, SIGUSR1));
	say("blocked", blocked(SIGUSR1));
	hits = 0;
	raise(SIGUSR1);
	say("hits while blocked", hits);
	res("sigprocmask unblock", sigprocmask(SIG_UNBLOCK, &s, 0));
	say("hits after unblock", hits);
	res("sigprocmask bad how", sigprocmask(99, &s, 0));
	res("sigprocmask bad how no set", sigprocmask(99, 0, &old));
	sigfillset(&s);
	res("block all", sigprocmask(SIG_SETMASK, &s, 0));
	sigprocmask(SIG_SETMASK, 0, &old);
	say("KILL blockable", sigismember(&old, SIGKILL));
	say("STOP blockable", sigismember(&old, SIGSTOP));
	say("32 shown", sigismember(&old, 32));
	say("HUP", sigismember(&old, SIGHUP));
	sigemptyset(&s);
	sigprocmask(SIG_SETMASK, &s, 0);

	/* sigsuspend with a pending signal */
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, 0);
	hits = 0;
	raise(SIGUSR1);
	sigemptyset(&s);
	res("sigsuspend", sigsuspend(&s));
	say("hits", hits);
	say("still blocked", blocked(SIGUSR1));
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &s, 0);

	/* alarm, sleep, usleep, pause */
	res("alarm", alarm(100));
	res("alarm again", alarm(0));
	res("alarm none", alarm(0));
	res("sleep 0", sleep(0));
	res("usleep", usleep(1000));
	signal(SIGALRM, h);
	hits = 0;
	alarm(1);
	errno = 0;
	unsigned left = sleep(5);
	say("sleep errno", errno);
	say("sleep interrupted, 3 or 4 s left", left == 3 || left == 4);
	say("alarm hits", hits);
	alarm(1);
	res("pause", pause());
	say("alarm hits", hits);

	/* setjmp / longjmp */
	volatile int n = 0;
	int r = setjmp(jb);
	say("setjmp", r);
	if (n++ == 0) longjmp(jb, 0);
	if (n == 2) depth = 10, deep(42);
	say("n", n);

	/* sigsetjmp: the mask comes back only when saved */
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	n = 0;
	r = sigsetjmp(sjb, 1);
	say("sigsetjmp(1)", r);
	say("USR2 blocked", blocked(SIGUSR2));
	if (n++ == 0) {
		sigprocmask(SIG_BLOCK, &s, 0);
		siglongjmp(sjb, 3);
	}
	n = 0;
	r = sigsetjmp(sjb, 0);
	say("sigsetjmp(0)", r);
	say("USR2 blocked", blocked(SIGUSR2));
	if (n++ == 0) {
		sigprocmask(SIG_BLOCK, &s, 0);
		siglongjmp(sjb, 4);
	}
	sigprocmask(SIG_UNBLOCK, &s, 0);

	/* out of a handler: SIGUSR1 was blocked in it, and is not after */
	signal(SIGUSR1, jumper);
	r = sigsetjmp(sjb, 1);
	say("from handler", r);
	if (r == 0) raise(SIGUSR1);
	say("USR1 blocked", blocked(SIGUSR1));

	/* kill */
	res("kill bad signal", kill(getpid(), 65));
	res("kill 0", kill(getpid(), 0));
	return 0;
}
