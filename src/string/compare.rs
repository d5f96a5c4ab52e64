//! The string compares: `strcmp strncmp strcasecmp strncasecmp`
//! (dispatched), their `_l` forms and `strverscmp`.
//!
//! As in musl 1.2.3, results are the difference of the first differing
//! bytes as unsigned char (after ASCII-only `tolower` for the `case` forms),
//! and the `_l` forms ignore their locale: musl's `tolower` folds ASCII
//! letters only in every locale it has.

use core::ffi::{c_char, c_int, c_void};

use vicuna_kernels::string::compare as k;

crate::dispatch::dispatched! {
    /// `strcmp(3)`.
    fn strcmp(a: *const c_char, b: *const c_char) -> c_int = k::STRCMP;
    /// `strncmp(3)`.
    fn strncmp(a: *const c_char, b: *const c_char, n: usize) -> c_int = k::STRNCMP;
    /// `strcasecmp(3)`.
    fn strcasecmp(a: *const c_char, b: *const c_char) -> c_int = k::STRCASECMP;
    /// `strncasecmp(3)`.
    fn strncasecmp(a: *const c_char, b: *const c_char, n: usize) -> c_int = k::STRNCASECMP;
}

/// `locale_t`: an opaque pointer these functions never look at.
pub type LocaleT = *mut c_void;

/// `__strcasecmp_l`: `strcasecmp`; the locale is ignored.
///
/// # Safety
/// As `strcasecmp`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn __strcasecmp_l(a: *const c_char, b: *const c_char, _loc: LocaleT) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { strcasecmp(a, b) }
}

/// `strcasecmp_l(3)`: `strcasecmp`; the locale is ignored.
///
/// # Safety
/// As `strcasecmp`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strcasecmp_l(a: *const c_char, b: *const c_char, _loc: LocaleT) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { strcasecmp(a, b) }
}

/// `__strncasecmp_l`: `strncasecmp`; the locale is ignored.
///
/// # Safety
/// As `strncasecmp`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn __strncasecmp_l(a: *const c_char, b: *const c_char, n: usize, _loc: LocaleT) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { strncasecmp(a, b, n) }
}

/// `strncasecmp_l(3)`: `strncasecmp`; the locale is ignored.
///
/// # Safety
/// As `strncasecmp`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strncasecmp_l(a: *const c_char, b: *const c_char, n: usize, _loc: LocaleT) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { strncasecmp(a, b, n) }
}

/// `strverscmp(3)` as musl 1.2.3 defines it: strings compare bytewise
/// except inside digit runs. After the longest common prefix, if neither
/// string's current digit run (the digits ending the prefix plus what
/// follows) begins with `0`, the longer run of digits is greater; if the
/// common part of the run is all zeros, digits sort below non-digits;
/// otherwise the first differing bytes decide, as unsigned char.
///
/// # Safety
/// `a` and `b` are NUL-terminated strings.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strverscmp(a: *const c_char, b: *const c_char) -> c_int {
    let (l, r) = (a as *const u8, b as *const u8);
    // SAFETY: index `i` of either string is read only while every earlier
    // index held equal non-NUL bytes (the prefix scan), or, for `j > i`,
    // only while both strings held digits at every index before `j`; `dp`
    // never exceeds `i`. So no read passes a NUL.
    let at = |p: *const u8, i: usize| unsafe { *p.add(i) };
    let digit = |c: u8| c.is_ascii_digit();
    let (mut i, mut dp, mut zeros) = (0usize, 0usize, true);
    loop {
        let c = at(l, i);
        if c != at(r, i) {
            break;
        }
        if c == 0 {
            return 0;
        }
        if !digit(c) {
            dp = i + 1;
            zeros = true;
        } else if c != b'0' {
            zeros = false;
        }
        i += 1;
    }
    let (x, y) = (at(l, i), at(r, i));
    if at(l, dp) != b'0' && at(r, dp) != b'0' {
        // Neither run has a leading zero: the longer run of digits wins.
        let mut j = i;
        while digit(at(l, j)) {
            if !digit(at(r, j)) {
                return 1;
            }
            j += 1;
        }
        if digit(at(r, j)) {
            return -1;
        }
    } else if zeros && dp < i && (digit(x) || digit(y)) {
        // An all-zero common run: digits order below every other byte.
        return x.wrapping_sub(b'0') as c_int - y.wrapping_sub(b'0') as c_int;
    }
    x as c_int - y as c_int
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vers(a: &[u8], b: &[u8]) -> c_int {
        let (a, b) = ([a, b"\0"].concat(), [b, b"\0"].concat());
        // SAFETY: both NUL-terminated.
        unsafe { strverscmp(a.as_ptr().cast(), b.as_ptr().cast()) }
    }

    #[test]
    fn strverscmp_orders_versions() {
        let sorted: [&[u8]; 10] = [b"000", b"00", b"01", b"010", b"09", b"0", b"1", b"9", b"10", b"100"];
        for (i, x) in sorted.iter().enumerate() {
            for (j, y) in sorted.iter().enumerate() {
                assert_eq!(vers(x, y).signum(), (i as i32 - j as i32).signum(), "{:?} {:?}", x, y);
            }
        }
        assert!(vers(b"foo-1.9", b"foo-1.10") < 0);
        assert!(vers(b"a10b", b"a9b") > 0);
        assert_eq!(vers(b"abc", b"abc"), 0);
        assert_eq!(vers(b"abd", b"abc"), 1);
        assert_eq!(vers(b"ab\xff", b"ab"), 0xff);
        // All-zero prefix: digits below non-digits, by (c - '0') as unsigned char.
        assert_eq!(vers(b"x00a", b"x001"), (b'a' - b'0') as c_int - 1);
    }

    #[test]
    fn dispatched_compares_and_locale_forms() {
        let (a, b) = (b"Hello, World\0", b"hello, world!\0");
        // SAFETY: NUL-terminated strings.
        unsafe {
            assert_eq!(strcmp(a.as_ptr().cast(), b.as_ptr().cast()), b'H' as c_int - b'h' as c_int);
            assert_eq!(strncmp(a.as_ptr().cast(), b.as_ptr().cast(), 0), 0);
            assert_eq!(strcasecmp(a.as_ptr().cast(), b.as_ptr().cast()), -(b'!' as c_int));
            assert_eq!(strncasecmp(a.as_ptr().cast(), b.as_ptr().cast(), 12), 0);
            let loc = core::ptr::null_mut();
            assert_eq!(strcasecmp_l(a.as_ptr().cast(), b.as_ptr().cast(), loc), -(b'!' as c_int));
            assert_eq!(__strcasecmp_l(a.as_ptr().cast(), b.as_ptr().cast(), loc), -(b'!' as c_int));
            assert_eq!(strncasecmp_l(a.as_ptr().cast(), b.as_ptr().cast(), 13, loc), -(b'!' as c_int));
            assert_eq!(__strncasecmp_l(a.as_ptr().cast(), b.as_ptr().cast(), 12, loc), 0);
        }
        for r in ROUTINES {
            let chosen = (r.resolve)();
            assert!((r.variants)().contains(&chosen), "{}: {chosen}", r.name);
        }
    }
}
