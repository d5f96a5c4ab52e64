/* Processes and system information: fork/_Fork + waitpid/wait with exit
 * statuses and signals, the child's own pid/tid (errno works there),
 * execve/execv/execvp/execl of /bin/true and failures, uname, sysconf,
 * getpagesize. */
#include <sys/wait.h>
#include <sys/utsname.h>
#include <signal.h>
#include <stdlib.h>
#include "posix.h"

pid_t _Fork(void);
extern char **environ;

static void status(const char *what, int st)
{
	put(what);
	if (WIFEXITED(st)) { put(" exited "); put_long(WEXITSTATUS(st)); }
	else if (WIFSIGNALED(st)) { put(" killed "); put_long(WTERMSIG(st)); }
	else put(" other");
	put("\n");
}

int main(int argc, char **argv)
{
	int st;
	pid_t parent = getpid();

	if (argc > 1) {
		/* re-executed by execl below */
		say_str("re-exec arg", argv[1]);
		return 3;
	}

	/* fork: the child has its own pid; errno is per process and works */
	pid_t c = fork();
	if (c == 0) {
		int ok = getpid() != parent && getppid() == parent;
		errno = 0;
		close(-1);
		_exit(ok && errno == EBADF ? 21 : 1);
	}
	res("fork", c > 0 ? 0 : -1);
	res("waitpid", waitpid(c, &st, 0) == c ? 0 : -1);
	status("child", st);
	res("waitpid none left", waitpid(-1, &st, 0));
	res("waitpid WNOHANG none", waitpid(-1, &st, WNOHANG));

	c = _Fork();
	if (c == 0) { raise(SIGTERM); _exit(0); }
	res("wait", wait(&st) == c ? 0 : -1);
	status("_Fork child", st);

	c = fork();
	if (c == 0) { pause(); _exit(0); }
	res("waitpid WNOHANG running", waitpid(c, &st, WNOHANG));
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	status("killed child", st);
	res("waitpid bad options", waitpid(-1, &st, 0x12345));

	/* exec family */
	char *targv[] = { "true", 0 };
	c = fork();
	if (c == 0) { execve("/bin/true", targv, environ); _exit(99); }
	waitpid(c, &st, 0);
	status("execve /bin/true", st);
	c = fork();
	if (c == 0) { execv("/bin/false", targv); _exit(99); }
	waitpid(c, &st, 0);
	status("execv /bin/false", st);
	c = fork();
	if (c == 0) { execvp("true", targv); _exit(99); }
	waitpid(c, &st, 0);
	status("execvp true", st);
	c = fork();
	if (c == 0) { execl(argv[0], argv[0], "from execl", (char *)0); _exit(99); }
	waitpid(c, &st, 0);
	status("execl self", st);
	res("execve missing", execve("/nonexistent", targv, environ));
	res("execve dir", execve("/tmp", targv, environ));
	res("execv not executable", execv("/etc/passwd", targv));
	res("execvp missing", execvp("vicuna-no-such-program", targv));
	res("execvp empty", execvp("", targv));
	char long_name[300];
	for (int i = 0; i < 299; i++) long_name[i] = 'x';
	long_name[299] = 0;
	res("execvp long name", execvp(long_name, targv));
	res("execvp with slash", execvp("./vicuna-no-such-program", targv));

	/* uname */
	struct utsname u;
	res("uname", uname(&u));
	say_str("sysname", u.sysname);
	say("nodename set", u.nodename[0] != 0);
	say("release set", u.release[0] != 0);
	say("machine is x86_64", same(u.machine, "x86_64"));

	/* sysconf over musl's whole table (and beyond); available pages vary */
	for (int i = -2; i < 260; i++) {
		if (i == _SC_AVPHYS_PAGES) continue;
		errno = 0;
		long v = sysconf(i);
		put("sysconf ");
		put_long(i);
		put(" = ");
		put_long(v);
		if (errno) { put(" errno "); put_long(errno); }
		put("\n");
	}
	say("avphys pages > 0", sysconf(_SC_AVPHYS_PAGES) > 0);
	say("pagesize", sysconf(_SC_PAGESIZE));
	say("getpagesize", getpagesize());
	return 0;
}
