//! The string and block copies: `strcpy stpcpy strncpy stpncpy strcat
//! strncat memccpy mempcpy bzero` (dispatched), and `bcopy explicit_bzero
//! strlcpy strlcat swab`, which reuse the dispatched routines.

use core::ffi::{c_char, c_int, c_void};

use vicuna_kernels::string::compare as k;

use super::mem::{memcpy, memmove, memset, strlen};

crate::dispatch::dispatched! {
    /// `strcpy(3)`.
    fn strcpy(d: *mut c_char, s: *const c_char) -> *mut c_char = k::STRCPY;
    /// `stpcpy(3)`: returns a pointer to the NUL written.
    fn stpcpy(d: *mut c_char, s: *const c_char) -> *mut c_char = k::STPCPY;
    /// `strncpy(3)`: copies up to `n` bytes, zero-fills the rest of the `n`.
    fn strncpy(d: *mut c_char, s: *const c_char, n: usize) -> *mut c_char = k::STRNCPY;
    /// `stpncpy(3)`: as `strncpy`; returns `d + min(strlen(s), n)`.
    fn stpncpy(d: *mut c_char, s: *const c_char, n: usize) -> *mut c_char = k::STPNCPY;
    /// `strcat(3)`.
    fn strcat(d: *mut c_char, s: *const c_char) -> *mut c_char = k::STRCAT;
    /// `strncat(3)`: appends at most `n` bytes, then a NUL.
    fn strncat(d: *mut c_char, s: *const c_char, n: usize) -> *mut c_char = k::STRNCAT;
    /// `memccpy(3)`: returns the byte after the copied `c`, or NULL.
    fn memccpy(d: *mut c_void, s: *const c_void, c: c_int, n: usize) -> *mut c_void = k::MEMCCPY;
    /// `mempcpy(3)`: returns `d + n`.
    fn mempcpy(d: *mut c_void, s: *const c_void, n: usize) -> *mut c_void = k::MEMPCPY;
    /// `bzero(3)`.
    fn bzero(d: *mut c_void, n: usize) -> () = k::BZERO;
}

/// `bcopy(3)`: `memmove` with the arguments swapped.
///
/// # Safety
/// As `memmove(d, s, n)`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn bcopy(s: *const c_void, d: *mut c_void, n: usize) {
    // SAFETY: forwarded caller contract.
    unsafe { memmove(d, s, n) };
}

/// `explicit_bzero(3)`: zeroes `n` bytes in a way the compiler may not
/// remove, even when the memory is never read again.
///
/// # Safety
/// As `memset(d, 0, n)`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn explicit_bzero(d: *mut c_void, n: usize) {
    // SAFETY: forwarded caller contract.
    unsafe { memset(d, 0, n) };
    // SAFETY: an empty assembly block that receives the pointer and, not
    // being `nomem`, may read any memory: the stores above must happen.
    unsafe { core::arch::asm!("/* {0} */", in(reg) d, options(nostack, preserves_flags)) };
}

/// `strlcpy(3)`: copies at most `n - 1` bytes and a NUL (nothing when
/// `n == 0`); returns `strlen(s)`.
///
/// # Safety
/// `s` is a string; `d` writable for `n` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strlcpy(d: *mut c_char, s: *const c_char, n: usize) -> usize {
    // SAFETY: `m < n` bytes of `s` exist (`m <= len`), and `d` has `n`.
    unsafe {
        let len = strlen(s);
        if n > 0 {
            let m = len.min(n - 1);
            memcpy(d.cast(), s.cast(), m);
            *d.add(m) = 0;
        }
        len
    }
}

/// `strlcat(3)`: appends to the string in `d` within a buffer of `n`
/// bytes; returns the length it tried to create. When `d` holds no NUL in
/// its first `n` bytes, nothing is written and the result is `n + strlen(s)`.
///
/// # Safety
/// `s` is a string; `d` writable for `n` bytes and a string or `n` bytes long.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strlcat(d: *mut c_char, s: *const c_char, n: usize) -> usize {
    // SAFETY: forwarded caller contract; `l < n` before the copy.
    unsafe {
        let l = vicuna_kernels::string::compare::generic::strnlen(d.cast(), n);
        if l == n {
            return l + strlen(s);
        }
        l + strlcpy(d.add(l), s, n - l)
    }
}

/// `swab(3)`: copies `n` bytes (rounded down to even; none when `n < 2`)
/// swapping each adjacent pair.
///
/// # Safety
/// `s` readable and `d` writable for `n` bytes; they do not overlap.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn swab(s: *const c_void, d: *mut c_void, n: isize) {
    if n < 2 {
        return;
    }
    let pairs = n as usize / 2;
    // SAFETY: the caller provides `n >= 2 * pairs` bytes in each buffer,
    // not overlapping.
    let (src, dst) = unsafe {
        (
            core::slice::from_raw_parts(s as *const [u8; 2], pairs),
            core::slice::from_raw_parts_mut(d as *mut [u8; 2], pairs),
        )
    };
    for (o, i) in dst.iter_mut().zip(src) {
        *o = [i[1], i[0]];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_copies() {
        let mut buf = [0x55u8; 16];
        let s = b"abcdef\0";
        // SAFETY: buffers as sized.
        unsafe {
            assert_eq!(strlcpy(buf.as_mut_ptr().cast(), s.as_ptr().cast(), 4), 6);
            assert_eq!(&buf[..5], b"abc\0\x55");
            assert_eq!(strlcpy(buf.as_mut_ptr().cast(), s.as_ptr().cast(), 0), 6);
            assert_eq!(buf[0], b'a');
            assert_eq!(strlcat(buf.as_mut_ptr().cast(), s.as_ptr().cast(), 8), 9);
            assert_eq!(&buf[..8], b"abcabcd\0");
            // No NUL within n: nothing written, n + strlen(s).
            assert_eq!(strlcat(buf.as_mut_ptr().cast(), s.as_ptr().cast(), 3), 9);
            assert_eq!(&buf[..8], b"abcabcd\0");
            let mut out = [0u8; 6];
            swab(b"12345".as_ptr().cast(), out.as_mut_ptr().cast(), 5);
            assert_eq!(&out, b"2143\0\0");
            swab(b"12".as_ptr().cast(), out.as_mut_ptr().cast(), -2);
            assert_eq!(&out, b"2143\0\0");
            bcopy(b"xyz".as_ptr().cast(), out.as_mut_ptr().cast(), 3);
            assert_eq!(&out, b"xyz3\0\0");
            explicit_bzero(out.as_mut_ptr().cast(), 4);
            assert_eq!(out, [0; 6]);
            let r = mempcpy(out.as_mut_ptr().cast(), b"hi".as_ptr().cast(), 2);
            assert_eq!(r, out.as_mut_ptr().add(2).cast());
            bzero(out.as_mut_ptr().cast(), 1);
            assert_eq!(&out[..2], b"\0i");
        }
        for r in ROUTINES {
            let chosen = (r.resolve)();
            assert!((r.variants)().contains(&chosen), "{}: {chosen}", r.name);
        }
    }
}
