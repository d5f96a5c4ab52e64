//! The byte-string search family: `memchr memrchr strnlen strchr strchrnul
//! strrchr strspn strcspn strpbrk strstr memmem` dispatched, and `index`,
//! `rindex`, `strcasestr` as plain functions on top.

use core::ffi::{c_char, c_int, c_void};

use vicuna_kernels::string::search as k;

crate::dispatch::dispatched! {
    /// `memchr(3)`.
    fn memchr(s: *const c_void, c: c_int, n: usize) -> *mut c_void = k::MEMCHR;
    /// `memrchr(3)` (GNU).
    fn memrchr(s: *const c_void, c: c_int, n: usize) -> *mut c_void = k::MEMRCHR;
    /// `strnlen(3)`.
    fn strnlen(s: *const c_char, n: usize) -> usize = k::STRNLEN;
    /// `strchr(3)`: `c` converted to `char`; `strchr(s, 0)` finds the NUL.
    fn strchr(s: *const c_char, c: c_int) -> *mut c_char = k::STRCHR;
    /// `strchrnul(3)` (GNU).
    fn strchrnul(s: *const c_char, c: c_int) -> *mut c_char = k::STRCHRNUL;
    /// `strrchr(3)`.
    fn strrchr(s: *const c_char, c: c_int) -> *mut c_char = k::STRRCHR;
    /// `strspn(3)`.
    fn strspn(s: *const c_char, accept: *const c_char) -> usize = k::STRSPN;
    /// `strcspn(3)`.
    fn strcspn(s: *const c_char, reject: *const c_char) -> usize = k::STRCSPN;
    /// `strpbrk(3)`.
    fn strpbrk(s: *const c_char, accept: *const c_char) -> *mut c_char = k::STRPBRK;
    /// `strstr(3)`: linear time in the worst case.
    fn strstr(h: *const c_char, n: *const c_char) -> *mut c_char = k::STRSTR;
    /// `memmem(3)` (GNU): linear time in the worst case.
    fn memmem(h: *const c_void, hn: usize, n: *const c_void, nn: usize) -> *mut c_void = k::MEMMEM;
}

/// `index(3)` (legacy BSD): `strchr`.
///
/// # Safety
/// As C `strchr`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn index(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: same contract.
    unsafe { strchr(s, c) }
}

/// `rindex(3)` (legacy BSD): `strrchr`.
///
/// # Safety
/// As C `strrchr`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn rindex(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: same contract.
    unsafe { strrchr(s, c) }
}

/// `strcasestr(3)` (GNU): ASCII case-insensitive `strstr` (the C locale,
/// musl's only case mapping for bytes), in linear time by two-way.
///
/// # Safety
/// Both arguments are NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strcasestr(h: *const c_char, n: *const c_char) -> *mut c_char {
    // SAFETY: same contract.
    unsafe { k::strcasestr(h, n) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_points_reach_the_kernels() {
        let s = b"hello, world\0";
        let p = s.as_ptr() as *const c_char;
        // SAFETY: NUL-terminated strings and in-bounds sizes throughout.
        unsafe {
            assert_eq!(memchr(p.cast(), b'o' as c_int, 12) as usize - p as usize, 4);
            assert_eq!(memrchr(p.cast(), b'o' as c_int, 12) as usize - p as usize, 8);
            assert_eq!(strnlen(p, 5), 5);
            assert_eq!(strnlen(p, 100), 12);
            assert_eq!(strchr(p, b'w' as c_int) as usize - p as usize, 7);
            assert_eq!(index(p, 0) as usize - p as usize, 12);
            assert!(strchr(p, b'z' as c_int).is_null());
            assert_eq!(strchrnul(p, b'z' as c_int) as usize - p as usize, 12);
            assert_eq!(rindex(p, b'l' as c_int) as usize - p as usize, 10);
            assert_eq!(strspn(p, c"leh".as_ptr()), 4);
            assert_eq!(strcspn(p, c" ,".as_ptr()), 5);
            assert_eq!(strpbrk(p, c"wr".as_ptr()) as usize - p as usize, 7);
            assert_eq!(strstr(p, c"wor".as_ptr()) as usize - p as usize, 7);
            assert_eq!(strcasestr(p, c"WOR".as_ptr()) as usize - p as usize, 7);
            assert_eq!(memmem(p.cast(), 12, b"o, w".as_ptr().cast(), 4) as usize - p as usize, 4);
        }
        for r in ROUTINES {
            let chosen = (r.resolve)();
            assert!((r.variants)().contains(&chosen), "{}: {chosen}", r.name);
        }
    }
}
