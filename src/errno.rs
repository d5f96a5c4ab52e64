//! errno: the error numbers (Linux's, as musl's `<errno.h>` has them on
//! x86_64 and aarch64), decoding of raw system-call results, and access to
//! the calling thread's `errno`.

use core::ffi::c_int;

/// An error number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub c_int);

#[allow(missing_docs)]
impl Errno {
    pub const EPERM: Errno = Errno(1);
    pub const ENOENT: Errno = Errno(2);
    pub const ESRCH: Errno = Errno(3);
    pub const EINTR: Errno = Errno(4);
    pub const EIO: Errno = Errno(5);
    pub const ENXIO: Errno = Errno(6);
    pub const E2BIG: Errno = Errno(7);
    pub const ENOEXEC: Errno = Errno(8);
    pub const EBADF: Errno = Errno(9);
    pub const ECHILD: Errno = Errno(10);
    pub const EAGAIN: Errno = Errno(11);
    pub const ENOMEM: Errno = Errno(12);
    pub const EACCES: Errno = Errno(13);
    pub const EFAULT: Errno = Errno(14);
    pub const ENOTBLK: Errno = Errno(15);
    pub const EBUSY: Errno = Errno(16);
    pub const EEXIST: Errno = Errno(17);
    pub const EXDEV: Errno = Errno(18);
    pub const ENODEV: Errno = Errno(19);
    pub const ENOTDIR: Errno = Errno(20);
    pub const EISDIR: Errno = Errno(21);
    pub const EINVAL: Errno = Errno(22);
    pub const ENFILE: Errno = Errno(23);
    pub const EMFILE: Errno = Errno(24);
    pub const ENOTTY: Errno = Errno(25);
    pub const ETXTBSY: Errno = Errno(26);
    pub const EFBIG: Errno = Errno(27);
    pub const ENOSPC: Errno = Errno(28);
    pub const ESPIPE: Errno = Errno(29);
    pub const EROFS: Errno = Errno(30);
    pub const EMLINK: Errno = Errno(31);
    pub const EPIPE: Errno = Errno(32);
    pub const EDOM: Errno = Errno(33);
    pub const ERANGE: Errno = Errno(34);
    pub const EDEADLK: Errno = Errno(35);
    pub const ENAMETOOLONG: Errno = Errno(36);
    pub const ENOLCK: Errno = Errno(37);
    pub const ENOSYS: Errno = Errno(38);
    pub const ENOTEMPTY: Errno = Errno(39);
    pub const ELOOP: Errno = Errno(40);
    pub const ENOMSG: Errno = Errno(42);
    pub const EIDRM: Errno = Errno(43);
    pub const ENOSTR: Errno = Errno(60);
    pub const ENODATA: Errno = Errno(61);
    pub const ETIME: Errno = Errno(62);
    pub const ENOSR: Errno = Errno(63);
    pub const ENOLINK: Errno = Errno(67);
    pub const EPROTO: Errno = Errno(71);
    pub const EMULTIHOP: Errno = Errno(72);
    pub const EBADMSG: Errno = Errno(74);
    pub const EOVERFLOW: Errno = Errno(75);
    pub const EILSEQ: Errno = Errno(84);
    pub const EUSERS: Errno = Errno(87);
    pub const ENOTSOCK: Errno = Errno(88);
    pub const EDESTADDRREQ: Errno = Errno(89);
    pub const EMSGSIZE: Errno = Errno(90);
    pub const EPROTOTYPE: Errno = Errno(91);
    pub const ENOPROTOOPT: Errno = Errno(92);
    pub const EPROTONOSUPPORT: Errno = Errno(93);
    pub const ESOCKTNOSUPPORT: Errno = Errno(94);
    pub const EOPNOTSUPP: Errno = Errno(95);
    pub const EPFNOSUPPORT: Errno = Errno(96);
    pub const EAFNOSUPPORT: Errno = Errno(97);
    pub const EADDRINUSE: Errno = Errno(98);
    pub const EADDRNOTAVAIL: Errno = Errno(99);
    pub const ENETDOWN: Errno = Errno(100);
    pub const ENETUNREACH: Errno = Errno(101);
    pub const ENETRESET: Errno = Errno(102);
    pub const ECONNABORTED: Errno = Errno(103);
    pub const ECONNRESET: Errno = Errno(104);
    pub const ENOBUFS: Errno = Errno(105);
    pub const EISCONN: Errno = Errno(106);
    pub const ENOTCONN: Errno = Errno(107);
    pub const ESHUTDOWN: Errno = Errno(108);
    pub const ETOOMANYREFS: Errno = Errno(109);
    pub const ETIMEDOUT: Errno = Errno(110);
    pub const ECONNREFUSED: Errno = Errno(111);
    pub const EHOSTDOWN: Errno = Errno(112);
    pub const EHOSTUNREACH: Errno = Errno(113);
    pub const EALREADY: Errno = Errno(114);
    pub const EINPROGRESS: Errno = Errno(115);
    pub const ESTALE: Errno = Errno(116);
    pub const EDQUOT: Errno = Errno(122);
    pub const ECANCELED: Errno = Errno(125);
    pub const EOWNERDEAD: Errno = Errno(130);
    pub const ENOTRECOVERABLE: Errno = Errno(131);
    pub const EWOULDBLOCK: Errno = Errno::EAGAIN;
    pub const ENOTSUP: Errno = Errno::EOPNOTSUPP;
    pub const EDEADLOCK: Errno = Errno::EDEADLK;

    /// Decodes a raw system-call result: values in `-4095..=-1` are
    /// `-errno`, everything else is a successful result.
    pub const fn from_ret(ret: isize) -> Result<usize, Errno> {
        if ret < 0 && ret >= -4095 { Err(Errno(-ret as c_int)) } else { Ok(ret as usize) }
    }
}

#[cfg(not(all(feature = "runtime", not(test))))]
unsafe extern "C" {
    /// The calling thread's `errno`. In the default products this comes
    /// from the C library vicuna runs beside (the host's when the overlay
    /// is preloaded, musl's when `libc.a` is linked ahead of musl's); the
    /// standalone runtime keeps it in its thread structure (`rt::thread`).
    fn __errno_location() -> *mut c_int;
}

/// The address of the calling thread's `errno`.
#[inline(always)]
fn location() -> *mut c_int {
    #[cfg(all(feature = "runtime", not(test)))]
    {
        crate::rt::thread::errno_location()
    }
    #[cfg(not(all(feature = "runtime", not(test))))]
    {
        // SAFETY: no arguments; the host's function has no preconditions.
        unsafe { __errno_location() }
    }
}

/// Sets the calling thread's `errno`.
pub fn set_errno(e: Errno) {
    // SAFETY: `location` is valid for the calling thread's whole life.
    unsafe { *location() = e.0 }
}

/// Reads the calling thread's `errno`.
pub fn errno() -> Errno {
    // SAFETY: as in `set_errno`.
    Errno(unsafe { *location() })
}

/// The C convention for a system-call wrapper returning `long`: the result,
/// or -1 with `errno` set.
pub fn syscall_ret(ret: isize) -> isize {
    match Errno::from_ret(ret) {
        Ok(v) => v as isize,
        Err(e) => {
            set_errno(e);
            -1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(Errno::from_ret(0), Ok(0));
        assert_eq!(Errno::from_ret(12345), Ok(12345));
        assert_eq!(Errno::from_ret(-1), Err(Errno::EPERM));
        assert_eq!(Errno::from_ret(-4095), Err(Errno(4095)));
        // mmap can return addresses that look negative: not errors.
        assert_eq!(Errno::from_ret(-4096), Ok(-4096isize as usize));
    }

    #[test]
    fn values_match_the_host() {
        // The host here is glibc on Linux: same numbers as musl.
        assert_eq!(Errno::EINVAL.0, 22);
        assert_eq!(Errno::ENOMEM.0, 12);
        assert_eq!(Errno::ERANGE.0, 34);
        assert_eq!(Errno::ENOTRECOVERABLE.0, 131);
    }

    #[test]
    fn errno_round_trip() {
        set_errno(Errno::ERANGE);
        assert_eq!(errno(), Errno::ERANGE);
        assert_eq!(std::io::Error::last_os_error().raw_os_error(), Some(34));
        assert_eq!(syscall_ret(-9), -1);
        assert_eq!(errno(), Errno::EBADF);
        assert_eq!(syscall_ret(7), 7);
    }
}
