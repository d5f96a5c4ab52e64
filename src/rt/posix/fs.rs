//! Files, descriptors and memory mappings: `openat` (behind the C
//! shims), `creat`, `readv` ... `fsync`, `mmap` ... `madvise`.

use core::ffi::{c_char, c_int, c_long, c_uint, c_ulong, c_void};

use super::{AT_FDCWD, PAGE_SIZE, arg, int_ret, nr};
use crate::errno::{Errno, set_errno, syscall_ret};
use crate::sys::{syscall1, syscall2, syscall3, syscall4, syscall6};

const O_WRONLY: c_int = 0o1;
const O_CREAT: c_int = 0o100;
const O_TRUNC: c_int = 0o1000;
/// musl passes `O_LARGEFILE` to `open` and `F_SETFL` on every target.
const O_LARGEFILE: c_int = 0o100000;
const AT_EMPTY_PATH: c_int = 0x1000;
const AT_EACCESS: c_int = 0x200;
const F_SETFL: c_int = 4;
const F_GETOWN: c_int = 9;
const F_GETOWN_EX: c_int = 16;
const F_OWNER_PGRP: c_int = 2;
const TIOCGWINSZ: usize = 0x5413;
const EINVAL: isize = -22;
const EBUSY: isize = -16;
const ENOSYS: isize = -38;
const EPERM: isize = -1;
const PATH_MAX: usize = 4096;

/// `open`/`openat` after the C shim has read the optional mode.
///
/// # Safety
/// `path` is a NUL-terminated string.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn __vicuna_openat(dirfd: c_int, path: *const c_char, flags: c_int, mode: c_uint) -> c_long {
    // SAFETY: the kernel reads the path the caller vouches for.
    let r = unsafe { syscall4(nr::OPENAT, arg(dirfd), path as usize, arg(flags | O_LARGEFILE), mode as usize) };
    syscall_ret(r) as c_long
}

/// `creat(2)`: `open(path, O_CREAT|O_WRONLY|O_TRUNC, mode)`.
///
/// # Safety
/// `path` is a NUL-terminated string.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn creat(path: *const c_char, mode: c_uint) -> c_int {
    // SAFETY: as `open`.
    unsafe { __vicuna_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode) as c_int }
}

/// Wrappers that pass their arguments to one system call unchanged and
/// return its result as `$ret`, -1 with `errno` on failure.
macro_rules! plain {
    ($($(#[$doc:meta])* fn $name:ident($($a:ident: $t:ty),*) -> $ret:ty = $sys:ident($nr:ident);)*) => {$(
        $(#[$doc])*
        ///
        /// # Safety
        /// Pointer arguments are valid as the system call uses them.
        #[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
        pub unsafe extern "C" fn $name($($a: $t),*) -> $ret {
            // SAFETY: the caller vouches for the pointers; the kernel
            // checks everything else.
            syscall_ret(unsafe { $sys(nr::$nr, $($a as isize as usize),*) }) as $ret
        }
    )*};
}

plain! {
    /// `readv(2)`.
    fn readv(fd: c_int, iov: *const c_void, n: c_int) -> isize = syscall3(READV);
    /// `writev(2)`.
    fn writev(fd: c_int, iov: *const c_void, n: c_int) -> isize = syscall3(WRITEV);
    /// `pread(2)`.
    fn pread(fd: c_int, buf: *mut c_void, n: usize, off: i64) -> isize = syscall4(PREAD64);
    /// `pwrite(2)`.
    fn pwrite(fd: c_int, buf: *const c_void, n: usize, off: i64) -> isize = syscall4(PWRITE64);
    /// `lseek(2)`.
    fn lseek(fd: c_int, off: i64, whence: c_int) -> i64 = syscall3(LSEEK);
    /// `dup(2)`.
    fn dup(fd: c_int) -> c_int = syscall1(DUP);
    /// `pipe(2)`.
    fn pipe(fds: *mut c_int) -> c_int = syscall1(PIPE);
    /// `pipe2(2)` (the kernel checks the flags).
    fn pipe2(fds: *mut c_int, flags: c_int) -> c_int = syscall2(PIPE2);
    /// `fstatat(2)`: x86_64's `struct stat` is the kernel's.
    fn fstatat(fd: c_int, path: *const c_char, st: *mut c_void, flags: c_int) -> c_int = syscall4(NEWFSTATAT);
    /// `access(2)`.
    fn access(path: *const c_char, mode: c_int) -> c_int = syscall2(ACCESS);
    /// `unlink(2)`.
    fn unlink(path: *const c_char) -> c_int = syscall1(UNLINK);
    /// `unlinkat(2)`.
    fn unlinkat(fd: c_int, path: *const c_char, flags: c_int) -> c_int = syscall3(UNLINKAT);
    /// `rename(2)`.
    fn rename(old: *const c_char, new: *const c_char) -> c_int = syscall2(RENAME);
    /// `mkdir(2)`.
    fn mkdir(path: *const c_char, mode: c_uint) -> c_int = syscall2(MKDIR);
    /// `rmdir(2)`.
    fn rmdir(path: *const c_char) -> c_int = syscall1(RMDIR);
    /// `chdir(2)`.
    fn chdir(path: *const c_char) -> c_int = syscall1(CHDIR);
    /// `truncate(2)`.
    fn truncate(path: *const c_char, len: i64) -> c_int = syscall2(TRUNCATE);
    /// `ftruncate(2)`.
    fn ftruncate(fd: c_int, len: i64) -> c_int = syscall2(FTRUNCATE);
    /// `fsync(2)`.
    fn fsync(fd: c_int) -> c_int = syscall1(FSYNC);
    /// `munmap(2)`.
    fn munmap(addr: *mut c_void, len: usize) -> c_int = syscall2(MUNMAP);
    /// `madvise(2)`.
    fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int = syscall3(MADVISE);
}

/// `dup2(2)`: retried while the kernel reports `EBUSY` (a race with
/// `open` in another thread), as musl.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn dup2(old: c_int, new: c_int) -> c_int {
    loop {
        // SAFETY: descriptors only.
        let r = unsafe { syscall2(nr::DUP2, arg(old), arg(new)) };
        if r != EBUSY {
            return int_ret(r);
        }
    }
}

/// `dup3(2)` as musl: `EINVAL` when both descriptors are the same; with
/// `O_CLOEXEC` the `dup3` system call, otherwise (any other flags are
/// ignored) `dup2`. Retried on `EBUSY` like `dup2`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn dup3(old: c_int, new: c_int, flags: c_int) -> c_int {
    const O_CLOEXEC: c_int = 0o2000000;
    if old == new {
        return int_ret(EINVAL);
    }
    if flags & O_CLOEXEC == 0 {
        return dup2(old, new);
    }
    loop {
        // SAFETY: descriptors only.
        let r = unsafe { syscall3(nr::DUP3, arg(old), arg(new), arg(flags)) };
        if r != EBUSY {
            return int_ret(r);
        }
    }
}

/// `fcntl` after the C shim has read the argument word. As musl:
/// `F_SETFL` adds `O_LARGEFILE`; `F_GETOWN` goes through `F_GETOWN_EX` so
/// that a process group comes back negative (and not as an error); when
/// the kernel lacks `F_GETOWN_EX` the raw `F_GETOWN` result is returned.
///
/// # Safety
/// `arg` is a valid pointer where the command takes one.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn __vicuna_fcntl(fd: c_int, cmd: c_int, mut a: c_ulong) -> c_long {
    if cmd == F_SETFL {
        a |= O_LARGEFILE as c_ulong;
    }
    if cmd == F_GETOWN {
        let mut ex = [0 as c_int; 2];
        // SAFETY: `ex` is a `struct f_owner_ex` (type, pid).
        let r = unsafe { syscall3(nr::FCNTL, arg(fd), F_GETOWN_EX as usize, ex.as_mut_ptr() as usize) };
        if r == EINVAL {
            // SAFETY: F_GETOWN takes no pointer.
            return unsafe { syscall3(nr::FCNTL, arg(fd), arg(cmd), a as usize) } as c_long;
        }
        if r != 0 {
            return syscall_ret(r) as c_long;
        }
        return if ex[0] == F_OWNER_PGRP { -ex[1] } else { ex[1] } as c_long;
    }
    // SAFETY: the caller vouches for a pointer argument.
    syscall_ret(unsafe { syscall3(nr::FCNTL, arg(fd), arg(cmd), a as usize) }) as c_long
}

/// `ioctl` after the C shim has read the argument.
///
/// # Safety
/// `a` is valid as the request uses it.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn __vicuna_ioctl(fd: c_int, req: c_ulong, a: *mut c_void) -> c_long {
    // SAFETY: the caller vouches for the argument.
    syscall_ret(unsafe { syscall3(nr::IOCTL, arg(fd), req as usize, a as usize) }) as c_long
}

/// `stat(2)`: `fstatat(AT_FDCWD, path, st, 0)`.
///
/// # Safety
/// `path` is a NUL-terminated string; `st` points to a `struct stat`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn stat(path: *const c_char, st: *mut c_void) -> c_int {
    // SAFETY: as the caller's.
    unsafe { fstatat(AT_FDCWD, path, st, 0) }
}

/// `lstat(2)`: `fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW)`.
///
/// # Safety
/// As [`stat`].
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn lstat(path: *const c_char, st: *mut c_void) -> c_int {
    const AT_SYMLINK_NOFOLLOW: c_int = 0x100;
    // SAFETY: as the caller's.
    unsafe { fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW) }
}

/// `fstat(2)`: `EBADF` for a negative descriptor (which `AT_EMPTY_PATH`
/// would otherwise read as `AT_FDCWD`), else `fstatat(fd, "", st,
/// AT_EMPTY_PATH)`.
///
/// # Safety
/// `st` points to a `struct stat`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn fstat(fd: c_int, st: *mut c_void) -> c_int {
    if fd < 0 {
        return int_ret(-(Errno::EBADF.0 as isize));
    }
    // SAFETY: the empty path is a static string; the caller vouches for `st`.
    unsafe { fstatat(fd, c"".as_ptr(), st, AT_EMPTY_PATH) }
}

/// `faccessat(2)`. With flags, `faccessat2`; on a kernel without it only
/// `AT_EACCESS` is accepted (`EINVAL` otherwise) and only where real and
/// effective ids agree. (musl then forks a child that switches ids; this
/// runtime reports the kernel's `ENOSYS` instead.)
///
/// # Safety
/// `path` is a NUL-terminated string.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn faccessat(fd: c_int, path: *const c_char, mode: c_int, flags: c_int) -> c_int {
    use crate::rt::unistd::{getegid, geteuid, getgid, getuid};
    if flags != 0 {
        // SAFETY: the kernel reads the path the caller vouches for.
        let r = unsafe { syscall4(nr::FACCESSAT2, arg(fd), path as usize, arg(mode), arg(flags)) };
        if r != ENOSYS {
            return int_ret(r);
        }
        if flags & !AT_EACCESS != 0 {
            return int_ret(EINVAL);
        }
        if getuid() != geteuid() || getgid() != getegid() {
            return int_ret(ENOSYS);
        }
    }
    // SAFETY: as above.
    int_ret(unsafe { syscall3(nr::FACCESSAT, arg(fd), path as usize, arg(mode)) })
}

/// `getcwd(3)`: `EINVAL` for a zero size; `ENOENT` when the kernel's
/// answer is not an absolute path (an unreachable directory). With a null
/// `buf` the result is `malloc`ed, sized to fit (at most `PATH_MAX`).
///
/// # Safety
/// `buf` is null or writable for `size` bytes.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn getcwd(buf: *mut c_char, size: usize) -> *mut c_char {
    let mut tmp = [0u8; PATH_MAX];
    let (b, n) = if buf.is_null() {
        (tmp.as_mut_ptr(), PATH_MAX)
    } else if size == 0 {
        set_errno(Errno::EINVAL);
        return core::ptr::null_mut();
    } else {
        (buf.cast::<u8>(), size)
    };
    // SAFETY: `b` is writable for `n` bytes.
    let r = syscall_ret(unsafe { syscall2(nr::GETCWD, b as usize, n) });
    if r < 0 {
        return core::ptr::null_mut();
    }
    // SAFETY: the kernel wrote at least one byte (r > 0 includes the NUL).
    if r == 0 || unsafe { *b } != b'/' {
        set_errno(Errno::ENOENT);
        return core::ptr::null_mut();
    }
    if !buf.is_null() {
        return buf;
    }
    let len = r as usize; // with the NUL
    let p = crate::malloc::malloc(len).cast::<u8>();
    if !p.is_null() {
        // SAFETY: `p` has `len` bytes; `tmp` holds `len` written bytes.
        unsafe { core::ptr::copy_nonoverlapping(tmp.as_ptr(), p, len) };
    }
    p.cast()
}

/// `isatty(3)`: 1 when `TIOCGWINSZ` succeeds, else 0 with `errno` set.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn isatty(fd: c_int) -> c_int {
    let mut ws = [0u16; 4];
    // SAFETY: `ws` is a `struct winsize`.
    let r = syscall_ret(unsafe { syscall3(nr::IOCTL, arg(fd), TIOCGWINSZ, ws.as_mut_ptr() as usize) });
    (r == 0) as c_int
}

const MAP_FAILED: *mut c_void = !0usize as *mut c_void;

/// `mmap(2)`. As musl: an offset that is not a page multiple is `EINVAL`
/// and a length of `PTRDIFF_MAX` or more `ENOMEM` before the kernel is
/// asked, and the kernel's `EPERM` for an anonymous, non-fixed mapping
/// without an address becomes `ENOMEM`.
///
/// # Safety
/// A `MAP_FIXED` mapping replaces whatever was at `addr`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn mmap(addr: *mut c_void, len: usize, prot: c_int, flags: c_int, fd: c_int, off: i64)
    -> *mut c_void {
    const MAP_FIXED: c_int = 0x10;
    const MAP_ANON: c_int = 0x20;
    if off as u64 & (PAGE_SIZE as u64 - 1) != 0 {
        set_errno(Errno::EINVAL);
        return MAP_FAILED;
    }
    if len >= isize::MAX as usize {
        set_errno(Errno::ENOMEM);
        return MAP_FAILED;
    }
    // SAFETY: the caller accepts the mapping's effects.
    let mut r = unsafe { syscall6(nr::MMAP, addr as usize, len, arg(prot), arg(flags), arg(fd), off as usize) };
    if r == EPERM && addr.is_null() && flags & MAP_ANON != 0 && flags & MAP_FIXED == 0 {
        r = -(Errno::ENOMEM.0 as isize);
    }
    syscall_ret(r) as *mut c_void
}

/// `mprotect(2)`. As musl, the range is widened to whole pages first, so
/// an unaligned `addr` is accepted.
///
/// # Safety
/// Changing protections can make live memory inaccessible.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn mprotect(addr: *mut c_void, len: usize, prot: c_int) -> c_int {
    let start = addr as usize & !(PAGE_SIZE - 1);
    let end = (addr as usize).wrapping_add(len).wrapping_add(PAGE_SIZE - 1) & !(PAGE_SIZE - 1);
    // SAFETY: the caller accepts the new protection.
    int_ret(unsafe { syscall3(nr::MPROTECT, start, end.wrapping_sub(start), arg(prot)) })
}

