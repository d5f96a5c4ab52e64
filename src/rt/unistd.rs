//! The first system-call wrappers: plain calls, -1 with `errno` on failure
//! as POSIX documents. (Variadic ones such as `open` and `fcntl` need C
//! shims and come next.)

use core::ffi::{c_int, c_void};

use crate::errno::syscall_ret;
use crate::sys::{self, nr};

/// The kernel's `pid_t`, `uid_t`, `gid_t`.
type Pid = c_int;
type Uid = u32;
type Gid = u32;

/// `read(2)`.
///
/// # Safety
/// `buf` is writable for `count` bytes.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn read(fd: c_int, buf: *mut c_void, count: usize) -> isize {
    // SAFETY: the caller vouches for the buffer.
    syscall_ret(unsafe { sys::syscall3(nr::READ, fd as isize as usize, buf as usize, count) })
}

/// `write(2)`.
///
/// # Safety
/// `buf` is readable for `count` bytes.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn write(fd: c_int, buf: *const c_void, count: usize) -> isize {
    // SAFETY: the caller vouches for the buffer.
    syscall_ret(unsafe { sys::syscall3(nr::WRITE, fd as isize as usize, buf as usize, count) })
}

/// `close(2)`. As musl (and POSIX 2024): `EINTR` counts as closed, since
/// Linux has released the descriptor by then.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn close(fd: c_int) -> c_int {
    const EINTR: isize = -4;
    // SAFETY: closing a descriptor touches no memory of ours.
    let r = match unsafe { sys::syscall1(nr::CLOSE, fd as isize as usize) } {
        EINTR => 0,
        r => r,
    };
    syscall_ret(r) as c_int
}

/// Defines wrappers for system calls that take nothing and cannot fail.
macro_rules! getters {
    ($($(#[$doc:meta])* fn $name:ident() -> $ty:ty = $nr:ident;)*) => {$(
        $(#[$doc])*
        #[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
        pub extern "C" fn $name() -> $ty {
            // SAFETY: no arguments, no memory effects.
            unsafe { sys::syscall0(nr::$nr) as $ty }
        }
    )*};
}

getters! {
    /// `getpid(2)`.
    fn getpid() -> Pid = GETPID;
    /// `getppid(2)`.
    fn getppid() -> Pid = GETPPID;
    /// `getuid(2)`.
    fn getuid() -> Uid = GETUID;
    /// `geteuid(2)`.
    fn geteuid() -> Uid = GETEUID;
    /// `getgid(2)`.
    fn getgid() -> Gid = GETGID;
    /// `getegid(2)`.
    fn getegid() -> Gid = GETEGID;
}

/// `_exit(2)`: as `_Exit`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn _exit(code: c_int) -> ! {
    sys::exit_group(code)
}

/// `kill(2)`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn kill(pid: Pid, sig: c_int) -> c_int {
    // SAFETY: sends a signal; touches no memory of ours.
    syscall_ret(unsafe { sys::syscall2(nr::KILL, pid as isize as usize, sig as isize as usize) }) as c_int
}

/// `raise(3)`: sends `sig` to the calling thread with the application's
/// signals blocked meanwhile, so that it is delivered (handler or default
/// action) when the mask is restored, before `raise` returns.
///
/// # Safety
/// Runs whatever handler the program installed for `sig`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn raise(sig: c_int) -> c_int {
    // SAFETY: the caller accepts the handler running.
    syscall_ret(unsafe { sys::raise_blocking_app_signals(sig as isize as usize) }) as c_int
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errno::{Errno, errno};

    #[test]
    fn failures_set_errno() {
        // SAFETY: invalid descriptors; the buffers are valid anyway.
        unsafe {
            assert_eq!(write(-1, b"x".as_ptr().cast(), 1), -1);
            assert_eq!(errno(), Errno::EBADF);
            let mut b = [0u8; 4];
            assert_eq!(read(-1, b.as_mut_ptr().cast(), 4), -1);
            assert_eq!(errno(), Errno::EBADF);
        }
        assert_eq!(close(-1), -1);
        assert_eq!(errno(), Errno::EBADF);
        assert_eq!(kill(0x3fff_ffff, 0), -1);
        assert_eq!(errno(), Errno::ESRCH);
        // SAFETY: an invalid signal number runs no handler.
        assert_eq!(unsafe { raise(1000) }, -1);
        assert_eq!(errno(), Errno::EINVAL);
        // SAFETY: signal 0 only checks.
        assert_eq!(unsafe { raise(0) }, 0);
    }

    #[test]
    fn ids_match_the_host() {
        assert_eq!(getpid(), std::process::id() as i32);
        // SAFETY: plain getters of the host libc.
        unsafe {
            assert_eq!(getppid(), host::getppid());
            assert_eq!(getuid(), host::getuid());
            assert_eq!(geteuid(), host::geteuid());
            assert_eq!(getgid(), host::getgid());
            assert_eq!(getegid(), host::getegid());
        }
        assert_eq!(kill(getpid(), 0), 0);
    }

    mod host {
        unsafe extern "C" {
            pub fn getppid() -> i32;
            pub fn getuid() -> u32;
            pub fn geteuid() -> u32;
            pub fn getgid() -> u32;
            pub fn getegid() -> u32;
        }
    }

    #[test]
    fn pipe_round_trip() {
        let mut fds = [0i32; 2];
        // SAFETY: room for two descriptors.
        assert_eq!(unsafe { pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: valid buffers and descriptors.
        unsafe {
            assert_eq!(write(fds[1], b"abc".as_ptr().cast(), 3), 3);
            let mut b = [0u8; 8];
            assert_eq!(read(fds[0], b.as_mut_ptr().cast(), 8), 3);
            assert_eq!(&b[..3], b"abc");
        }
        assert_eq!(close(fds[0]), 0);
        assert_eq!(close(fds[1]), 0);
        assert_eq!(close(fds[1]), -1);
    }

    unsafe extern "C" {
        fn pipe(fds: *mut i32) -> i32;
    }
}
