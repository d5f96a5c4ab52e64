//! Processes: `fork`, `_Fork`, the `exec` family (`execl` is in the C
//! shim), `waitpid`, `wait`, `uname`, `getpagesize`.

use core::ffi::{c_char, c_int, c_void};

use super::{PAGE_SIZE, arg, int_ret, nr};
use crate::errno::{Errno, errno, set_errno};
use crate::sys::{syscall0, syscall3, syscall4};

unsafe extern "C" {
    /// The environment (src/rt/data.c).
    static __environ: *const *const c_char;
}

/// `_Fork(3)`: `fork(2)` with every signal blocked meanwhile (no handler
/// runs in the child before its thread structure is right); the child
/// records its own thread id.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
#[allow(non_snake_case)]
pub extern "C" fn _Fork() -> c_int {
    const SIG_BLOCK: usize = 0;
    const SIG_SETMASK: usize = 2;
    let all: u64 = !0;
    let mut old: u64 = 0;
    // SAFETY: 8-byte signal sets that outlive the calls.
    unsafe {
        syscall4(nr::RT_SIGPROCMASK, SIG_BLOCK, &all as *const u64 as usize, &mut old as *mut u64 as usize, 8)
    };
    // SAFETY: fork duplicates the process; nothing of ours is shared.
    let r = unsafe { syscall0(nr::FORK) };
    if r == 0 {
        #[cfg(all(feature = "runtime", not(test)))]
        // SAFETY: the child's (only) thread structure, now its own; gettid
        // has no arguments.
        unsafe {
            (*crate::rt::thread::current()).tid = syscall0(nr::GETTID) as c_int;
        }
    }
    // SAFETY: as above.
    unsafe { syscall4(nr::RT_SIGPROCMASK, SIG_SETMASK, &old as *const u64 as usize, 0, 8) };
    int_ret(r)
}

/// `fork(2)`: `_Fork` (this runtime has no `pthread_atfork` handlers and
/// no locks to reset yet).
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn fork() -> c_int {
    _Fork()
}

/// `execve(2)`.
///
/// # Safety
/// `path` is a NUL-terminated string, `argv` and `envp` null-terminated
/// arrays of them.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn execve(path: *const c_char, argv: *const *const c_char, envp: *const *const c_char)
    -> c_int {
    // SAFETY: the caller vouches for the strings and arrays.
    int_ret(unsafe { syscall3(nr::EXECVE, path as usize, argv as usize, envp as usize) })
}

/// `execv(3)`: `execve` with the current environment.
///
/// # Safety
/// As [`execve`].
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn execv(path: *const c_char, argv: *const *const c_char) -> c_int {
    // SAFETY: as the caller's; `__environ` is the process's environment.
    unsafe { execve(path, argv, __environ) }
}

/// The length of a NUL-terminated string, stopping at `max`.
///
/// # Safety
/// `s` is NUL-terminated or readable for `max` bytes.
unsafe fn strnlen(s: *const c_char, max: usize) -> usize {
    let mut n = 0;
    // SAFETY: reads stop at the NUL or at `max`.
    while n < max && unsafe { *s.add(n) } != 0 {
        n += 1;
    }
    n
}

/// `execvp(3)` with musl's search: an empty name is `ENOENT`; a name
/// with a `/` is run as is; otherwise each `PATH` element (default
/// `/usr/local/bin:/bin:/usr/bin`; an empty element is the current
/// directory) is tried in order. Elements of `PATH_MAX` bytes or more are
/// skipped, a name longer than `NAME_MAX` is `ENAMETOOLONG`. The search
/// goes on after `EACCES`, `ENOENT` and `ENOTDIR` and stops at any other
/// error; it fails with `EACCES` if any attempt did, else the last error.
///
/// # Safety
/// As [`execve`].
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn execvp(file: *const c_char, argv: *const *const c_char) -> c_int {
    const NAME_MAX: usize = 255;
    const PATH_MAX: usize = 4096;
    set_errno(Errno::ENOENT);
    // SAFETY: `file` is NUL-terminated (the caller's promise), and so is
    // `PATH`'s value from the environment.
    unsafe {
        if *file == 0 {
            return -1;
        }
        let full = strnlen(file, usize::MAX);
        if core::slice::from_raw_parts(file.cast::<u8>(), full).contains(&b'/') {
            return execve(file, argv, __environ);
        }
        let k = full.min(NAME_MAX + 1);
        let name = core::slice::from_raw_parts(file.cast::<u8>(), k);
        if k > NAME_MAX {
            set_errno(Errno::ENAMETOOLONG);
            return -1;
        }
        let mut path = crate::rt::env::find(__environ, c"PATH".as_ptr()).cast_const();
        if path.is_null() {
            path = c"/usr/local/bin:/bin:/usr/bin".as_ptr();
        }
        let l = strnlen(path, PATH_MAX - 1) + 1;
        let mut buf = [0u8; PATH_MAX + NAME_MAX + 2];
        let mut seen_eacces = false;
        let mut p = path.cast::<u8>();
        loop {
            let mut z = p;
            while *z != 0 && *z != b':' {
                z = z.add(1);
            }
            let len = z.offset_from(p) as usize;
            if len < l {
                core::ptr::copy_nonoverlapping(p, buf.as_mut_ptr(), len);
                let mut at = len;
                if len > 0 {
                    buf[at] = b'/';
                    at += 1;
                }
                buf[at..at + k].copy_from_slice(name);
                buf[at + k] = 0;
                execve(buf.as_ptr().cast(), argv, __environ);
                match errno() {
                    Errno::EACCES => seen_eacces = true,
                    Errno::ENOENT | Errno::ENOTDIR => {}
                    _ => return -1,
                }
            }
            if *z == 0 {
                break;
            }
            p = z.add(1);
        }
        if seen_eacces {
            set_errno(Errno::EACCES);
        }
    }
    -1
}

/// `waitpid(2)` (through `wait4`).
///
/// # Safety
/// `status` is null or points to an `int`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn waitpid(pid: c_int, status: *mut c_int, options: c_int) -> c_int {
    // SAFETY: the caller vouches for `status`.
    int_ret(unsafe { syscall4(nr::WAIT4, arg(pid), status as usize, arg(options), 0) })
}

/// `wait(2)`: `waitpid(-1, status, 0)`.
///
/// # Safety
/// As [`waitpid`].
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn wait(status: *mut c_int) -> c_int {
    // SAFETY: as the caller's.
    unsafe { waitpid(-1, status, 0) }
}

/// `uname(2)`: fills `struct utsname` (six 65-byte strings).
///
/// # Safety
/// `u` points to a `struct utsname`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn uname(u: *mut c_void) -> c_int {
    // SAFETY: the kernel's `new_utsname` is musl's `struct utsname`.
    int_ret(unsafe { crate::sys::syscall1(nr::UNAME, u as usize) })
}

/// `getpagesize(3)`: musl's `PAGE_SIZE`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn getpagesize() -> c_int {
    PAGE_SIZE as c_int
}
