//! Directory streams: `opendir`, `readdir`, `closedir` (musl's design: a
//! `calloc`ed `DIR` with a 2 KiB `getdents64` buffer).

use core::ffi::{c_char, c_int, c_void};

use super::{AT_FDCWD, arg, nr};
use crate::errno::{Errno, set_errno};
use crate::sys::syscall3;

/// The opaque `DIR` (the same size and field order as musl's).
#[repr(C)]
pub struct Dir {
    tell: i64,
    fd: c_int,
    buf_pos: c_int,
    buf_end: c_int,
    lock: c_int,
    buf: [u64; 256],
}

/// The head of the kernel's `struct linux_dirent64`, which is musl's
/// `struct dirent`.
#[repr(C)]
struct Dirent {
    d_ino: u64,
    d_off: i64,
    d_reclen: u16,
}

/// `opendir(3)`: opens with `O_RDONLY|O_DIRECTORY|O_CLOEXEC`; `ENOMEM`
/// (the descriptor closed again) when no memory is left.
///
/// # Safety
/// `name` is a NUL-terminated string.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn opendir(name: *const c_char) -> *mut Dir {
    const FLAGS: c_int = 0o200000 | 0o2000000;
    // SAFETY: the caller vouches for `name`.
    let fd = unsafe { super::fs::__vicuna_openat(AT_FDCWD, name, FLAGS, 0) } as c_int;
    if fd < 0 {
        return core::ptr::null_mut();
    }
    let dir = crate::malloc::calloc(1, size_of::<Dir>()).cast::<Dir>();
    if dir.is_null() {
        crate::rt::unistd::close(fd);
        return core::ptr::null_mut();
    }
    // SAFETY: a fresh zeroed `Dir`.
    unsafe { (*dir).fd = fd };
    dir
}

/// `readdir(3)`: the next entry, or null at the end (`errno` untouched)
/// or on an error (`errno` set; `ENOENT`, a removed directory, reads as
/// the end).
///
/// # Safety
/// `dir` came from `opendir` and is open.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn readdir(dir: *mut Dir) -> *mut c_void {
    // SAFETY: the caller vouches for the stream.
    let d = unsafe { &mut *dir };
    if d.buf_pos >= d.buf_end {
        // SAFETY: the buffer is writable for its size.
        let len = unsafe { syscall3(nr::GETDENTS64, arg(d.fd), d.buf.as_mut_ptr() as usize, size_of_val(&d.buf)) };
        if len <= 0 {
            if len < 0 && len != -(Errno::ENOENT.0 as isize) {
                set_errno(Errno(-len as c_int));
            }
            return core::ptr::null_mut();
        }
        d.buf_end = len as c_int;
        d.buf_pos = 0;
    }
    // SAFETY: the kernel wrote whole, 8-aligned records up to `buf_end`.
    unsafe {
        let de = d.buf.as_mut_ptr().cast::<u8>().add(d.buf_pos as usize).cast::<Dirent>();
        d.buf_pos += (*de).d_reclen as c_int;
        d.tell = (*de).d_off;
        de.cast()
    }
}

/// `closedir(3)`: closes the descriptor (its result is the result) and
/// frees the stream.
///
/// # Safety
/// `dir` came from `opendir` and is not used again.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn closedir(dir: *mut Dir) -> c_int {
    // SAFETY: the caller vouches for the stream.
    let r = crate::rt::unistd::close(unsafe { (*dir).fd });
    // SAFETY: allocated by `opendir` with calloc.
    unsafe { crate::malloc::free(dir.cast()) };
    r
}
