//! POSIX system-call wrappers of the standalone runtime (issue 6, item 3):
//! files and descriptors, memory mappings, signals, processes, directory
//! streams, `sysconf`/`uname`, with musl 1.2.3's behaviour (its extra
//! checks, its `errno` values, its fixed-up results). The variadic entry
//! points (`open`, `openat`, `fcntl`, `ioctl`, `execl`) and the
//! `setjmp` family are in `src/rt/posix.c`; they call the `__vicuna_*`
//! functions here, which `scripts/build` keeps internal.
//!
//! x86_64 only for now: the system-call numbers and `struct stat`,
//! `struct k_sigaction` layouts below are x86_64's.

pub mod dir;
pub mod fs;
pub mod process;
pub mod signal;
pub mod sysconf;

use core::ffi::c_int;

/// x86_64 system-call numbers (arch/x86/entry/syscalls/syscall_64.tbl).
#[allow(missing_docs)]
pub mod nr {
    pub const READ: usize = 0;
    pub const FSTAT: usize = 5;
    pub const LSEEK: usize = 8;
    pub const MMAP: usize = 9;
    pub const MPROTECT: usize = 10;
    pub const MUNMAP: usize = 11;
    pub const RT_SIGACTION: usize = 13;
    pub const RT_SIGPROCMASK: usize = 14;
    pub const IOCTL: usize = 16;
    pub const PREAD64: usize = 17;
    pub const PWRITE64: usize = 18;
    pub const READV: usize = 19;
    pub const WRITEV: usize = 20;
    pub const ACCESS: usize = 21;
    pub const PIPE: usize = 22;
    pub const MADVISE: usize = 28;
    pub const DUP: usize = 32;
    pub const DUP2: usize = 33;
    pub const PAUSE: usize = 34;
    pub const NANOSLEEP: usize = 35;
    pub const SETITIMER: usize = 38;
    pub const FORK: usize = 57;
    pub const EXECVE: usize = 59;
    pub const WAIT4: usize = 61;
    pub const UNAME: usize = 63;
    pub const FCNTL: usize = 72;
    pub const FSYNC: usize = 74;
    pub const TRUNCATE: usize = 76;
    pub const FTRUNCATE: usize = 77;
    pub const GETCWD: usize = 79;
    pub const CHDIR: usize = 80;
    pub const RENAME: usize = 82;
    pub const MKDIR: usize = 83;
    pub const RMDIR: usize = 84;
    pub const UNLINK: usize = 87;
    pub const GETRLIMIT: usize = 97;
    pub const SYSINFO: usize = 99;
    pub const RT_SIGSUSPEND: usize = 130;
    pub const GETTID: usize = 186;
    pub const SCHED_GETAFFINITY: usize = 204;
    pub const GETDENTS64: usize = 217;
    pub const OPENAT: usize = 257;
    pub const NEWFSTATAT: usize = 262;
    pub const UNLINKAT: usize = 263;
    pub const FACCESSAT: usize = 269;
    pub const DUP3: usize = 292;
    pub const PIPE2: usize = 293;
    pub const FACCESSAT2: usize = 439;
}

/// `AT_FDCWD`.
pub const AT_FDCWD: c_int = -100;
/// musl's `PAGE_SIZE` on x86_64 (a constant there).
pub const PAGE_SIZE: usize = 4096;

/// A raw system-call result as C's `int` result: -1 with `errno` set on
/// failure.
#[inline]
pub fn int_ret(r: isize) -> c_int {
    crate::errno::syscall_ret(r) as c_int
}

/// Sign-extends a C `int` into a system-call argument.
#[inline]
pub fn arg(i: c_int) -> usize {
    i as isize as usize
}

// musl's layouts (abi/src/musl_types.rs): `struct sigaction` is 152 bytes,
// `DIR` 2072.
const _: () = assert!(size_of::<signal::Sigaction>() == 152);
const _: () = assert!(size_of::<dir::Dir>() == 2072);

#[cfg(test)]
mod tests {
    use super::fs::*;
    use super::process::*;
    use super::signal::*;
    use super::sysconf::sysconf;
    use crate::errno::{Errno, errno};

    #[test]
    fn sigsets_follow_musl() {
        let mut s = 0u64;
        // SAFETY: `s` stands in for the 8 bytes of a sigset_t these touch.
        unsafe {
            assert_eq!(sigfillset(&mut s), 0);
            assert_eq!(sigismember(&s, 32), 0);
            assert_eq!(sigismember(&s, 35), 1);
            assert_eq!(sigismember(&s, 65), 0);
            assert_eq!(sigemptyset(&mut s), 0);
            assert_eq!(sigaddset(&mut s, 64), 0);
            assert_eq!(s, 1 << 63);
            assert_eq!(sigaddset(&mut s, 33), -1);
            assert_eq!(errno(), Errno::EINVAL);
            assert_eq!(sigdelset(&mut s, 0), -1);
            assert_eq!(sigdelset(&mut s, 64), 0);
            assert_eq!(s, 0);
        }
    }

    #[test]
    fn sysconf_matches_the_kernel() {
        assert_eq!(sysconf(30), 4096); // _SC_PAGESIZE
        assert_eq!(sysconf(2), 100); // _SC_CLK_TCK
        assert_eq!(sysconf(0), 131072); // _SC_ARG_MAX
        let cpus = std::thread::available_parallelism().unwrap().get() as i64;
        assert_eq!(sysconf(84), cpus); // _SC_NPROCESSORS_ONLN (affinity)
        assert_eq!(sysconf(29), 200809); // _SC_VERSION
        assert_eq!(sysconf(41), -1); // a gap in musl's table
        assert_eq!(errno(), Errno::EINVAL);
        assert_eq!(sysconf(249), -1);
        assert!(sysconf(85) > 0);
        assert_eq!(getpagesize(), 4096);
    }

    #[test]
    fn descriptors_and_paths() {
        assert_eq!(dup3(1, 1, 0), -1);
        assert_eq!(errno(), Errno::EINVAL);
        assert_eq!(dup2(-1, 50), -1);
        assert_eq!(errno(), Errno::EBADF);
        let mut buf = [0i8; 4096];
        // SAFETY: `buf` is writable for its size.
        let p = unsafe { getcwd(buf.as_mut_ptr(), buf.len()) };
        assert_eq!(p, buf.as_mut_ptr());
        // SAFETY: getcwd wrote a NUL-terminated path.
        let cwd = unsafe { core::ffi::CStr::from_ptr(p) }.to_str().unwrap().to_owned();
        assert_eq!(std::path::PathBuf::from(cwd), std::env::current_dir().unwrap());
        // SAFETY: a zero size is rejected before the buffer is used.
        assert!(unsafe { getcwd(buf.as_mut_ptr(), 0) }.is_null());
        assert_eq!(errno(), Errno::EINVAL);
        let mut st = [0u64; 18];
        // SAFETY: `st` is as big as `struct stat` (144 bytes).
        unsafe {
            assert_eq!(fstat(-1, st.as_mut_ptr().cast()), -1);
            assert_eq!(errno(), Errno::EBADF);
            assert_eq!(stat(c"/".as_ptr(), st.as_mut_ptr().cast()), 0);
            assert_eq!(st[3] as u32 & 0o170000, 0o040000); // st_mode: a directory
        }
        // SAFETY: an empty name fails before anything runs.
        assert_eq!(unsafe { execvp(c"".as_ptr(), core::ptr::null()) }, -1);
        assert_eq!(errno(), Errno::ENOENT);
    }
}
