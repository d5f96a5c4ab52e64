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

/// Raises `SIGABRT` in the calling thread, with its default action if a
/// handler returns, and exits with status 127 if even that fails. This is
/// the panic handler's way out: a libc never unwinds.
pub fn abort() -> ! {
    let set: u64 = 1 << (SIGABRT - 1);
    // Kernel `struct sigaction` with every field zero: SIG_DFL, no flags.
    let dfl = [0usize; 4];
    // SAFETY: plain signal syscalls; `set` and `dfl` outlive the calls and
    // have the sizes the kernel expects (an 8-byte mask, a 4-word sigaction
    // that is laid out the same on x86_64 and aarch64).
    unsafe {
        syscall4(nr::RT_SIGPROCMASK, SIG_UNBLOCK, &set as *const u64 as usize, 0, 8);
        syscall3(nr::TGKILL, getpid() as usize, gettid() as usize, SIGABRT);
        syscall4(nr::RT_SIGACTION, SIGABRT, dfl.as_ptr() as usize, 0, 8);
        syscall3(nr::TGKILL, getpid() as usize, gettid() as usize, SIGABRT);
    }
    exit_group(127)
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
