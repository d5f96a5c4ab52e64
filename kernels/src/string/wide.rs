//! Wide-character (`wchar_t`) string routines: the portable variants, the
//! function types and the variant tables. On x86_64 Linux `wchar_t` is a
//! 32-bit signed integer, so every comparison below is a signed 32-bit one.
//!
//! Results follow musl 1.2.3 with one deliberate difference: musl's
//! `wcscmp`, `wcsncmp` and `wmemcmp` return `*l - *r`, which overflows (and
//! can give the wrong sign) when the two characters are more than
//! `INT_MAX` apart. vicuna returns the saturating difference instead
//! ([`wdiff`]): identical to musl's value whenever musl's is right, and
//! `INT_MAX`/`INT_MIN` with the correct sign where musl's overflows.
//!
//! Alignment: a valid `wchar_t *` is 4-byte aligned. The SIMD variants rely
//! on that for their aligned, page-safe loads and fall back to these
//! portable loops (which read with unaligned loads and never read past the
//! element that decides the result) for a pointer that is not.

use core::ffi::c_int;

use crate::{Level, Variant};

/// C `wchar_t` on the Linux targets vicuna supports.
pub type WChar = i32;

pub type WcslenFn = unsafe extern "C" fn(*const WChar) -> usize;
pub type WcsnlenFn = unsafe extern "C" fn(*const WChar, usize) -> usize;
pub type WcschrFn = unsafe extern "C" fn(*const WChar, WChar) -> *mut WChar;
pub type WcscmpFn = unsafe extern "C" fn(*const WChar, *const WChar) -> c_int;
pub type WcsncmpFn = unsafe extern "C" fn(*const WChar, *const WChar, usize) -> c_int;
pub type WmemchrFn = unsafe extern "C" fn(*const WChar, WChar, usize) -> *mut WChar;
pub type WmemsetFn = unsafe extern "C" fn(*mut WChar, WChar, usize) -> *mut WChar;
pub type WcscpyFn = unsafe extern "C" fn(*mut WChar, *const WChar) -> *mut WChar;

/// The comparison result for two differing (or terminating) characters:
/// `a - b` when that fits in an `int` (musl's value), else `INT_MAX` or
/// `INT_MIN`, whose sign is the true one.
#[inline(always)]
pub const fn wdiff(a: WChar, b: WChar) -> c_int {
    a.saturating_sub(b)
}

/// Portable variants: one element per step, unaligned reads, never a read
/// beyond the element that decides the result. They are the fallback under
/// `VICUNA_CPU=generic`, on other architectures, and for misaligned
/// pointers in the SIMD variants.
pub mod generic {
    use core::ffi::c_int;
    use core::ptr::{read_unaligned as rd, write_unaligned as wr};

    use super::{WChar, wdiff};

    /// # Safety
    /// As C `wcslen`.
    pub unsafe extern "C" fn wcslen(s: *const WChar) -> usize {
        let mut i = 0;
        // SAFETY: every element up to the terminator is readable.
        while unsafe { rd(s.add(i)) } != 0 {
            i += 1;
        }
        i
    }

    /// # Safety
    /// As C `wcsnlen`: readable up to the terminator or `n` elements.
    pub unsafe extern "C" fn wcsnlen(s: *const WChar, n: usize) -> usize {
        let mut i = 0;
        // SAFETY: reads stop at the terminator or at `n`.
        while i < n && unsafe { rd(s.add(i)) } != 0 {
            i += 1;
        }
        i
    }

    /// # Safety
    /// As C `wcschr`. `c == 0` finds the terminator.
    pub unsafe extern "C" fn wcschr(s: *const WChar, c: WChar) -> *mut WChar {
        let mut p = s;
        loop {
            // SAFETY: reads stop at the terminator.
            let x = unsafe { rd(p) };
            if x == c {
                return p as *mut WChar;
            }
            if x == 0 {
                return core::ptr::null_mut();
            }
            // SAFETY: `p` was not the terminator.
            p = unsafe { p.add(1) };
        }
    }

    /// # Safety
    /// As C `wcsrchr`. `c == 0` finds the terminator.
    pub unsafe extern "C" fn wcsrchr(s: *const WChar, c: WChar) -> *mut WChar {
        let mut last = core::ptr::null_mut();
        let mut p = s;
        loop {
            // SAFETY: reads stop at the terminator.
            let x = unsafe { rd(p) };
            if x == c {
                last = p as *mut WChar;
            }
            if x == 0 {
                return last;
            }
            // SAFETY: `p` was not the terminator.
            p = unsafe { p.add(1) };
        }
    }

    /// # Safety
    /// As C `wcscmp`.
    pub unsafe extern "C" fn wcscmp(a: *const WChar, b: *const WChar) -> c_int {
        let mut i = 0;
        loop {
            // SAFETY: reads stop at the first difference or terminator.
            let (x, y) = unsafe { (rd(a.add(i)), rd(b.add(i))) };
            if x != y || x == 0 {
                return wdiff(x, y);
            }
            i += 1;
        }
    }

    /// # Safety
    /// As C `wcsncmp`.
    pub unsafe extern "C" fn wcsncmp(a: *const WChar, b: *const WChar, n: usize) -> c_int {
        for i in 0..n {
            // SAFETY: reads stop at `n`, the first difference or terminator.
            let (x, y) = unsafe { (rd(a.add(i)), rd(b.add(i))) };
            if x != y || x == 0 {
                return wdiff(x, y);
            }
        }
        0
    }

    /// # Safety
    /// As C `wmemcmp`: both readable for `n` elements.
    pub unsafe extern "C" fn wmemcmp(a: *const WChar, b: *const WChar, n: usize) -> c_int {
        for i in 0..n {
            // SAFETY: `i < n`.
            let (x, y) = unsafe { (rd(a.add(i)), rd(b.add(i))) };
            if x != y {
                return wdiff(x, y);
            }
        }
        0
    }

    /// # Safety
    /// As C `wmemchr`: readable for `n` elements (or up to the match).
    pub unsafe extern "C" fn wmemchr(s: *const WChar, c: WChar, n: usize) -> *mut WChar {
        for i in 0..n {
            // SAFETY: `i < n`.
            if unsafe { rd(s.add(i)) } == c {
                // SAFETY: within the buffer.
                return unsafe { s.add(i) } as *mut WChar;
            }
        }
        core::ptr::null_mut()
    }

    /// # Safety
    /// As C `wmemset`: writable for `n` elements.
    pub unsafe extern "C" fn wmemset(d: *mut WChar, c: WChar, n: usize) -> *mut WChar {
        for i in 0..n {
            // SAFETY: `i < n`.
            unsafe { wr(d.add(i), c) };
        }
        d
    }

    /// # Safety
    /// As C `wcscpy`: `s` terminated, `d` writable for its length plus one,
    /// no overlap.
    pub unsafe extern "C" fn wcscpy(d: *mut WChar, s: *const WChar) -> *mut WChar {
        let mut i = 0;
        loop {
            // SAFETY: reads and writes stop at the terminator.
            let x = unsafe { rd(s.add(i)) };
            unsafe { wr(d.add(i), x) };
            if x == 0 {
                return d;
            }
            i += 1;
        }
    }
}

/// Builds a variant table: the portable variant, then one per x86_64 ISA.
macro_rules! wide_table {
    ($ty:ty, $name:ident) => {{
        #[cfg(target_arch = "x86_64")]
        const T: &[Variant<$ty>] = &[
            Variant { name: "generic", level: Level::Generic, func: generic::$name },
            Variant { name: "sse2", level: Level::Sse2, func: super::x86_64::wide::sse2::$name },
            Variant { name: "avx2", level: Level::Avx2, func: super::x86_64::wide::avx2::$name },
            Variant { name: "avx512", level: Level::Avx512, func: super::x86_64::wide::avx512::$name },
        ];
        #[cfg(not(target_arch = "x86_64"))]
        const T: &[Variant<$ty>] =
            &[Variant { name: "generic", level: Level::Generic, func: generic::$name }];
        T
    }};
}

pub const WCSLEN: &[Variant<WcslenFn>] = wide_table!(WcslenFn, wcslen);
pub const WCSNLEN: &[Variant<WcsnlenFn>] = wide_table!(WcsnlenFn, wcsnlen);
pub const WCSCHR: &[Variant<WcschrFn>] = wide_table!(WcschrFn, wcschr);
pub const WCSRCHR: &[Variant<WcschrFn>] = wide_table!(WcschrFn, wcsrchr);
pub const WCSCMP: &[Variant<WcscmpFn>] = wide_table!(WcscmpFn, wcscmp);
pub const WCSNCMP: &[Variant<WcsncmpFn>] = wide_table!(WcsncmpFn, wcsncmp);
pub const WMEMCHR: &[Variant<WmemchrFn>] = wide_table!(WmemchrFn, wmemchr);
pub const WMEMCMP: &[Variant<WcsncmpFn>] = wide_table!(WcsncmpFn, wmemcmp);
pub const WMEMSET: &[Variant<WmemsetFn>] = wide_table!(WmemsetFn, wmemset);
pub const WCSCPY: &[Variant<WcscpyFn>] = wide_table!(WcscpyFn, wcscpy);
