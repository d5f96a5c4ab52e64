//! `strdup`, `strndup`, `wcsdup`: copies in memory from `malloc`.
//!
//! They call the exported `malloc` symbol, which stays interposable in
//! `libc.so` and the overlay (scripts/build's dynamic list), so a program
//! that brings its own allocator gets blocks its own `free` accepts.

use core::ffi::{c_char, c_void};

use crate::malloc::interposable::malloc;
use crate::string::mem::{memcpy, strlen};
use crate::string::search::strnlen;
use crate::string::wide::wcslen;
use vicuna_kernels::string::wide::WChar;

/// `strdup(3)`: NULL with `errno` ENOMEM when memory runs out.
///
/// # Safety
/// `s` points to a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strdup(s: *const c_char) -> *mut c_char {
    // SAFETY: `s` is NUL-terminated (caller); the copy of `len + 1` bytes
    // stays within both the string and the new block.
    unsafe {
        let len = strlen(s);
        let d = malloc(len + 1);
        if d.is_null() {
            return d.cast();
        }
        memcpy(d, s.cast(), len + 1).cast()
    }
}

/// `strndup(3)`: at most `n` bytes of `s`, always NUL-terminated.
///
/// # Safety
/// `s` points to a string, or an array of at least `n` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strndup(s: *const c_char, n: usize) -> *mut c_char {
    // SAFETY: `strnlen` reads at most `n` bytes (caller's contract); the
    // block holds `len + 1` bytes.
    unsafe {
        let len = strnlen(s, n);
        let d = malloc(len + 1) as *mut c_char;
        if d.is_null() {
            return d;
        }
        memcpy(d.cast(), s.cast(), len);
        *d.add(len) = 0;
        d
    }
}

/// `wcsdup(3)`.
///
/// # Safety
/// `s` points to a NUL-terminated wide string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcsdup(s: *const WChar) -> *mut WChar {
    // SAFETY: as in `strdup`, in units of `wchar_t`; the byte count cannot
    // overflow because the source string itself occupies it.
    unsafe {
        let bytes = (wcslen(s.cast()) + 1) * core::mem::size_of::<WChar>();
        let d = malloc(bytes);
        if d.is_null() {
            return d.cast();
        }
        memcpy(d, s as *const c_void, bytes).cast()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::malloc::interposable::free;

    #[test]
    fn copies() {
        // SAFETY: NUL-terminated inputs; every result is freed once.
        unsafe {
            let p = strdup(c"hello".as_ptr());
            assert_eq!(std::ffi::CStr::from_ptr(p).to_bytes(), b"hello");
            free(p.cast());
            let p = strndup(c"hello".as_ptr(), 3);
            assert_eq!(std::ffi::CStr::from_ptr(p).to_bytes(), b"hel");
            free(p.cast());
            let p = strndup(c"hi".as_ptr(), 10);
            assert_eq!(std::ffi::CStr::from_ptr(p).to_bytes(), b"hi");
            free(p.cast());
            // strndup of an unterminated array reads only `n` bytes.
            let raw = *b"abcd";
            let p = strndup(raw.as_ptr().cast(), 4);
            assert_eq!(std::ffi::CStr::from_ptr(p).to_bytes(), b"abcd");
            free(p.cast());
            let w: [WChar; 4] = [0x41, 0x1F600, -5, 0];
            let p = wcsdup(w.as_ptr());
            assert_eq!(std::slice::from_raw_parts(p, 4), &w);
            free(p.cast());
        }
    }
}
