//! Raw Linux system calls (inline assembly per architecture) and the few
//! safe wrappers the rest of the library needs.

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(target_arch = "aarch64")]
pub use aarch64::*;
#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
pub use x86_64::*;

use crate::errno::Errno;

/// `SIGABRT`.
pub const SIGABRT: usize = 6;
/// `SIG_UNBLOCK` for `rt_sigprocmask`.
const SIG_UNBLOCK: usize = 1;

/// `write(2)`.
pub fn write(fd: i32, buf: &[u8]) -> Result<usize, Errno> {
    // SAFETY: `buf` is readable for `buf.len()` bytes; the kernel only reads it.
    Errno::from_ret(unsafe { syscall3(nr::WRITE, fd as usize, buf.as_ptr() as usize, buf.len()) })
}

/// Writes all of `buf`, retrying short writes and `EINTR`; gives up on any
/// other error (diagnostics and panic messages are best effort).
pub fn write_all(fd: i32, mut buf: &[u8]) {
    while !buf.is_empty() {
        match write(fd, buf) {
            Ok(0) => return,
            Ok(n) => buf = &buf[n.min(buf.len())..],
            Err(Errno::EINTR) => {}
            Err(_) => return,
        }
    }
}

/// `getpid(2)`.
pub fn getpid() -> i32 {
    // SAFETY: no arguments, no memory effects.
    unsafe { syscall0(nr::GETPID) as i32 }
}

/// `gettid(2)`.
pub fn gettid() -> i32 {
    // SAFETY: no arguments, no memory effects.
    unsafe { syscall0(nr::GETTID) as i32 }
}

/// `exit_group(2)`: ends every thread of the process.
pub fn exit_group(code: i32) -> ! {
    loop {
        // SAFETY: exit_group does not return; the loop only satisfies `!`.
        unsafe { syscall1(nr::EXIT_GROUP, code as usize) };
    }
}

/// `abort(3)` with musl's semantics: raise `SIGABRT` (a handler may run and
/// return; the signal may be blocked or ignored), then block every signal,
/// restore `SIGABRT`'s default action, send it again and unblock it, so the
/// process ends by `SIGABRT` whatever the program did to that signal. Should
/// even that fail: crash, then `SIGKILL`, then `exit_group(127)`. This is
/// also the panic handler's way out: a libc never unwinds.
pub fn abort() -> ! {
    let abrt: u64 = 1 << (SIGABRT - 1);
    let all: u64 = !0;
    // Kernel `struct sigaction` with every field zero: SIG_DFL, no flags.
    let dfl = [0usize; 4];
    // SAFETY: plain signal syscalls; the sets and `dfl` outlive the calls
    // and have the sizes the kernel expects (an 8-byte mask, a 4-word
    // sigaction that is laid out the same on x86_64 and aarch64).
    unsafe {
        raise_blocking_app_signals(SIGABRT);
        syscall4(nr::RT_SIGPROCMASK, SIG_BLOCK, &all as *const u64 as usize, 0, 8);
        syscall4(nr::RT_SIGACTION, SIGABRT, dfl.as_ptr() as usize, 0, 8);
        syscall3(nr::TGKILL, getpid() as usize, gettid() as usize, SIGABRT);
        syscall4(nr::RT_SIGPROCMASK, SIG_UNBLOCK, &abrt as *const u64 as usize, 0, 8);
    }
    crash();
    // SAFETY: as above.
    unsafe { syscall3(nr::TGKILL, getpid() as usize, gettid() as usize, SIGKILL) };
    exit_group(127)
}

/// `SIGKILL`.
pub const SIGKILL: usize = 9;
/// `SIG_BLOCK`, `SIG_SETMASK` for `rt_sigprocmask`.
const SIG_BLOCK: usize = 0;
const SIG_SETMASK: usize = 2;
/// Every signal but the three musl reserves for itself (32, 33, 34: timer,
/// cancellation, synccall): what `raise` blocks around the kill.
const APP_SIGNALS: u64 = 0xffff_fffc_7fff_ffff;

/// Sends `sig` to the calling thread with the application's signals
/// blocked, then restores the mask (so a handler, or the default action,
/// takes effect when the mask is restored, as with musl's `raise`).
/// Returns the raw result of the kill.
///
/// # Safety
/// Runs signal handlers the program installed.
pub unsafe fn raise_blocking_app_signals(sig: usize) -> isize {
    let mut old: u64 = 0;
    // SAFETY: masks are 8 bytes, as the kernel expects; they outlive the calls.
    unsafe {
        syscall4(nr::RT_SIGPROCMASK, SIG_BLOCK, &APP_SIGNALS as *const u64 as usize,
                 &mut old as *mut u64 as usize, 8);
        let r = syscall3(nr::TGKILL, getpid() as usize, gettid() as usize, sig);
        syscall4(nr::RT_SIGPROCMASK, SIG_SETMASK, &old as *const u64 as usize, 0, 8);
        r
    }
}

/// Ends the process at once with a fault (musl's `a_crash`): `hlt` is
/// privileged, so user mode gets `SIGSEGV`.
pub fn crash() {
    // SAFETY: faults by design; touches no memory.
    #[cfg(target_arch = "x86_64")]
    unsafe { core::arch::asm!("hlt", options(nostack, nomem)) };
    // SAFETY: a store to address 0 faults (the zero page is never mapped),
    // giving SIGSEGV like musl's generic `a_crash`.
    #[cfg(target_arch = "aarch64")]
    unsafe { core::arch::asm!("strb wzr, [{0}]", in(reg) 0usize, options(nostack)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_reports_ebadf() {
        assert_eq!(write(-1, b"x"), Err(Errno::EBADF));
    }

    #[test]
    fn write_to_a_pipe() {
        let mut fds = [0i32; 2];
        // SAFETY: `fds` has room for two descriptors.
        assert_eq!(unsafe { libc_pipe(fds.as_mut_ptr()) }, 0);
        assert_eq!(write(fds[1], b"hello"), Ok(5));
        let mut buf = [0u8; 8];
        // SAFETY: `buf` is writable for 8 bytes.
        let got = unsafe { syscall3(nr::READ, fds[0] as usize, buf.as_mut_ptr() as usize, 8) };
        assert_eq!(got, 5);
        assert_eq!(&buf[..5], b"hello");
    }

    #[test]
    fn pids() {
        assert_eq!(getpid(), std::process::id() as i32);
        assert!(gettid() > 0);
    }

    unsafe extern "C" {
        #[link_name = "pipe"]
        fn libc_pipe(fds: *mut i32) -> i32;
    }
}
