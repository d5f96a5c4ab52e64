//! The compare/copy string family: portable variants ([`generic`]) and the
//! variant tables of `strcmp strncmp strcasecmp strncasecmp strcpy stpcpy
//! strncpy stpncpy strcat strncat memccpy mempcpy bzero`. The x86_64
//! vector forms are in `x86_64/compare.rs`.
//!
//! Results follow musl 1.2.3 exactly: the compares return the difference
//! of the first differing (for the `case` forms: `tolower`ed) bytes as
//! unsigned char, and `tolower` folds ASCII letters only.

use core::ffi::{c_char, c_int, c_void};

use crate::{Level, Variant};

pub type StrcmpFn = unsafe extern "C" fn(*const c_char, *const c_char) -> c_int;
pub type StrncmpFn = unsafe extern "C" fn(*const c_char, *const c_char, usize) -> c_int;
pub type StrcpyFn = unsafe extern "C" fn(*mut c_char, *const c_char) -> *mut c_char;
pub type StrncpyFn = unsafe extern "C" fn(*mut c_char, *const c_char, usize) -> *mut c_char;
pub type MemccpyFn = unsafe extern "C" fn(*mut c_void, *const c_void, c_int, usize) -> *mut c_void;
pub type MempcpyFn = unsafe extern "C" fn(*mut c_void, *const c_void, usize) -> *mut c_void;
pub type BzeroFn = unsafe extern "C" fn(*mut c_void, usize);

/// Builds a variant table: generic, SSE2, AVX2, then the AVX-512 form named
/// by `$top` (`avx512` for 64-byte vectors, `evex256` for 32-byte vectors
/// with EVEX encodings, `none` to keep the AVX2 form on AVX-512 machines),
/// chosen per routine from `examples/compare_bench.rs` (see ARCHITECTURE.md).
macro_rules! table {
    ($ty:ty, $name:ident, none) => {{
        #[cfg(target_arch = "x86_64")]
        const T: &[Variant<$ty>] = &[
            Variant { name: "generic", level: Level::Generic, func: generic::$name },
            Variant { name: "sse2", level: Level::Sse2, func: super::x86_64::sse2::$name },
            Variant { name: "avx2", level: Level::Avx2, func: super::x86_64::avx2::$name },
        ];
        #[cfg(not(target_arch = "x86_64"))]
        const T: &[Variant<$ty>] = &[Variant { name: "generic", level: Level::Generic, func: generic::$name }];
        T
    }};
    ($ty:ty, $name:ident, $top:ident) => {{
        #[cfg(target_arch = "x86_64")]
        const T: &[Variant<$ty>] = &[
            Variant { name: "generic", level: Level::Generic, func: generic::$name },
            Variant { name: "sse2", level: Level::Sse2, func: super::x86_64::sse2::$name },
            Variant { name: "avx2", level: Level::Avx2, func: super::x86_64::avx2::$name },
            table!(@top $name, $top),
        ];
        #[cfg(not(target_arch = "x86_64"))]
        const T: &[Variant<$ty>] = &[Variant { name: "generic", level: Level::Generic, func: generic::$name }];
        T
    }};
    (@top $name:ident, avx512) => {
        Variant { name: "avx512", level: Level::Avx512, func: super::x86_64::avx512::$name }
    };
    (@top $name:ident, evex256) => {
        Variant { name: "evex256", level: Level::Avx512, func: super::x86_64::compare::evex256::$name }
    };
}

// Measured on this project's AMD EPYC (AVX-512) test VM (ARCHITECTURE.md):
// 64-byte vectors win for the compares and, since the one-pass copy
// (`copy_string`), for strcpy/stpcpy/strncpy/stpncpy (132 B: 3.5 vs 4.1 ns,
// ties at 4100 B). strcat/strncat keep the AVX2 form: with 64-byte vectors
// the `strlen` of a destination just written by the previous call's
// unaligned 64-byte stores stalls (44 vs 11 ns at 132 B in
// scripts/bench-strings).
pub const STRCMP: &[Variant<StrcmpFn>] = table!(StrcmpFn, strcmp, avx512);
pub const STRNCMP: &[Variant<StrncmpFn>] = table!(StrncmpFn, strncmp, avx512);
pub const STRCASECMP: &[Variant<StrcmpFn>] = table!(StrcmpFn, strcasecmp, avx512);
pub const STRNCASECMP: &[Variant<StrncmpFn>] = table!(StrncmpFn, strncasecmp, avx512);
pub const STRCPY: &[Variant<StrcpyFn>] = table!(StrcpyFn, strcpy, avx512);
pub const STPCPY: &[Variant<StrcpyFn>] = table!(StrcpyFn, stpcpy, avx512);
pub const STRNCPY: &[Variant<StrncpyFn>] = table!(StrncpyFn, strncpy, avx512);
pub const STPNCPY: &[Variant<StrncpyFn>] = table!(StrncpyFn, stpncpy, avx512);
pub const STRCAT: &[Variant<StrcpyFn>] = table!(StrcpyFn, strcat, none);
pub const STRNCAT: &[Variant<StrncpyFn>] = table!(StrncpyFn, strncat, none);
pub const MEMCCPY: &[Variant<MemccpyFn>] = table!(MemccpyFn, memccpy, avx512);
pub const MEMPCPY: &[Variant<MempcpyFn>] = table!(MempcpyFn, mempcpy, avx512);
pub const BZERO: &[Variant<BzeroFn>] = table!(BzeroFn, bzero, avx512);

/// Every x86_64 variant of every table above, for tests and benchmarks
/// (`examples/compare_bench.rs`): both AVX-512 forms are listed.
#[cfg(target_arch = "x86_64")]
pub mod all {
    use super::*;
    use crate::string::x86_64::{avx2, avx512, compare::evex256, sse2};

    macro_rules! all {
        ($ty:ty, $name:ident) => {{
            const T: &[Variant<$ty>] = &[
                Variant { name: "generic", level: Level::Generic, func: generic::$name },
                Variant { name: "sse2", level: Level::Sse2, func: sse2::$name },
                Variant { name: "avx2", level: Level::Avx2, func: avx2::$name },
                Variant { name: "evex256", level: Level::Avx512, func: evex256::$name },
                Variant { name: "avx512", level: Level::Avx512, func: avx512::$name },
            ];
            T
        }};
    }
    pub const STRCMP: &[Variant<StrcmpFn>] = all!(StrcmpFn, strcmp);
    pub const STRNCMP: &[Variant<StrncmpFn>] = all!(StrncmpFn, strncmp);
    pub const STRCASECMP: &[Variant<StrcmpFn>] = all!(StrcmpFn, strcasecmp);
    pub const STRNCASECMP: &[Variant<StrncmpFn>] = all!(StrncmpFn, strncasecmp);
    pub const STRCPY: &[Variant<StrcpyFn>] = all!(StrcpyFn, strcpy);
    pub const STPCPY: &[Variant<StrcpyFn>] = all!(StrcpyFn, stpcpy);
    pub const STRNCPY: &[Variant<StrncpyFn>] = all!(StrncpyFn, strncpy);
    pub const STPNCPY: &[Variant<StrncpyFn>] = all!(StrncpyFn, stpncpy);
    pub const STRCAT: &[Variant<StrcpyFn>] = all!(StrcpyFn, strcat);
    pub const STRNCAT: &[Variant<StrncpyFn>] = all!(StrncpyFn, strncat);
    pub const MEMCCPY: &[Variant<MemccpyFn>] = all!(MemccpyFn, memccpy);
    pub const MEMPCPY: &[Variant<MempcpyFn>] = all!(MempcpyFn, mempcpy);
    pub const BZERO: &[Variant<BzeroFn>] = all!(BzeroFn, bzero);
}

/// Portable variants: aligned word-at-a-time scans where both strings
/// share an alignment, byte loops elsewhere, and the portable `memcpy`,
/// `memset` and `strlen` for bulk work.
pub mod generic {
    use core::ffi::{c_char, c_int, c_void};

    use crate::string::generic as g;

    const W: usize = 8;
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;

    /// Nonzero iff some byte of `w` is zero.
    #[inline(always)]
    const fn has_zero(w: u64) -> bool {
        w.wrapping_sub(LOW) & !w & HIGH != 0
    }

    /// musl's `tolower` on one byte: ASCII letters only.
    #[inline(always)]
    pub(crate) const fn fold(c: u8) -> u8 {
        if c.wrapping_sub(b'A') < 26 { c | 0x20 } else { c }
    }

    /// # Safety
    /// As C `strcmp`.
    pub unsafe extern "C" fn strcmp(a: *const c_char, b: *const c_char) -> c_int {
        let (mut a, mut b) = (a as *const u8, b as *const u8);
        // SAFETY: bytes are read in order and only while all earlier ones
        // were equal and non-NUL; the word loop reads aligned words, which
        // share a page with their first byte, a byte of both strings.
        unsafe {
            if (a as usize ^ b as usize) & (W - 1) == 0 {
                while a as usize & (W - 1) != 0 {
                    if *a == 0 || *a != *b {
                        return *a as c_int - *b as c_int;
                    }
                    a = a.add(1);
                    b = b.add(1);
                }
                loop {
                    let (x, y) = (*(a as *const u64), *(b as *const u64));
                    if has_zero(x) || x != y {
                        break;
                    }
                    a = a.add(W);
                    b = b.add(W);
                }
            }
            while *a != 0 && *a == *b {
                a = a.add(1);
                b = b.add(1);
            }
            *a as c_int - *b as c_int
        }
    }

    /// The shared byte loop of the `n` and `case` compares.
    ///
    /// # Safety
    /// As C `strncmp`.
    #[inline(always)]
    unsafe fn compare_n<const CASE: bool>(a: *const u8, b: *const u8, n: usize) -> c_int {
        let f = |c: u8| if CASE { fold(c) } else { c };
        let mut i = 0;
        // SAFETY: index `i < n` is read only after every earlier index held
        // equal, non-NUL bytes, so it lies in both strings.
        unsafe {
            while i < n {
                let (x, y) = (*a.add(i), *b.add(i));
                if x == 0 || f(x) != f(y) {
                    return f(x) as c_int - f(y) as c_int;
                }
                i += 1;
            }
        }
        0
    }

    /// # Safety
    /// As C `strncmp`.
    pub unsafe extern "C" fn strncmp(a: *const c_char, b: *const c_char, n: usize) -> c_int {
        // SAFETY: forwarded caller contract.
        unsafe { compare_n::<false>(a.cast(), b.cast(), n) }
    }

    /// # Safety
    /// As C `strcasecmp`.
    pub unsafe extern "C" fn strcasecmp(a: *const c_char, b: *const c_char) -> c_int {
        // SAFETY: forwarded caller contract; the scan stops at `a`'s NUL.
        unsafe { compare_n::<true>(a.cast(), b.cast(), usize::MAX) }
    }

    /// # Safety
    /// As C `strncasecmp`.
    pub unsafe extern "C" fn strncasecmp(a: *const c_char, b: *const c_char, n: usize) -> c_int {
        // SAFETY: forwarded caller contract.
        unsafe { compare_n::<true>(a.cast(), b.cast(), n) }
    }

    /// Copies the string with its NUL; returns its length.
    ///
    /// # Safety
    /// As C `strcpy`.
    #[inline(always)]
    unsafe fn copy_str(d: *mut u8, s: *const u8) -> usize {
        let mut i = 0;
        // SAFETY: a source byte or aligned word is read only after every
        // earlier byte was non-NUL (an aligned word shares a page with its
        // first byte); a word is stored only when it holds no NUL, so the
        // destination extends beyond it.
        unsafe {
            if (d as usize ^ s as usize) & (W - 1) == 0 {
                while (s as usize + i) & (W - 1) != 0 {
                    let c = *s.add(i);
                    *d.add(i) = c;
                    if c == 0 {
                        return i;
                    }
                    i += 1;
                }
                loop {
                    let x = *(s.add(i) as *const u64);
                    if has_zero(x) {
                        break;
                    }
                    *(d.add(i) as *mut u64) = x;
                    i += W;
                }
            }
            loop {
                let c = *s.add(i);
                *d.add(i) = c;
                if c == 0 {
                    return i;
                }
                i += 1;
            }
        }
    }

    /// # Safety
    /// As C `strcpy`.
    pub unsafe extern "C" fn strcpy(d: *mut c_char, s: *const c_char) -> *mut c_char {
        // SAFETY: forwarded caller contract.
        unsafe { copy_str(d.cast(), s.cast()) };
        d
    }

    /// # Safety
    /// As C `stpcpy`.
    pub unsafe extern "C" fn stpcpy(d: *mut c_char, s: *const c_char) -> *mut c_char {
        // SAFETY: forwarded caller contract; the NUL went to `d + len`.
        unsafe { d.add(copy_str(d.cast(), s.cast())) }
    }

    /// `strnlen` with aligned words.
    ///
    /// # Safety
    /// `s` readable up to its NUL or for `n` bytes.
    pub unsafe fn strnlen(s: *const u8, n: usize) -> usize {
        let mut i = 0;
        // SAFETY: bytes below `n` are read in order until the NUL; an
        // aligned word is read only when its first byte is such a byte, and
        // it shares that byte's page.
        unsafe {
            while i < n && (s as usize + i) & (W - 1) != 0 {
                if *s.add(i) == 0 {
                    return i;
                }
                i += 1;
            }
            while n - i >= W && !has_zero(*(s.add(i) as *const u64)) {
                i += W;
            }
            while i < n && *s.add(i) != 0 {
                i += 1;
            }
        }
        i
    }

    /// # Safety
    /// As C `stpncpy`.
    pub unsafe extern "C" fn stpncpy(d: *mut c_char, s: *const c_char, n: usize) -> *mut c_char {
        // SAFETY: forwarded caller contract; `len <= n`.
        unsafe {
            let len = strnlen(s.cast(), n);
            g::memcpy(d.cast(), s.cast(), len);
            g::memset(d.add(len).cast(), 0, n - len);
            d.add(len)
        }
    }

    /// # Safety
    /// As C `strncpy`.
    pub unsafe extern "C" fn strncpy(d: *mut c_char, s: *const c_char, n: usize) -> *mut c_char {
        // SAFETY: forwarded caller contract.
        unsafe { stpncpy(d, s, n) };
        d
    }

    /// # Safety
    /// As C `strcat`.
    pub unsafe extern "C" fn strcat(d: *mut c_char, s: *const c_char) -> *mut c_char {
        // SAFETY: forwarded caller contract.
        unsafe { copy_str(d.add(g::strlen(d)).cast(), s.cast()) };
        d
    }

    /// # Safety
    /// As C `strncat`.
    pub unsafe extern "C" fn strncat(d: *mut c_char, s: *const c_char, n: usize) -> *mut c_char {
        // SAFETY: forwarded caller contract: `d` has room for the result.
        unsafe {
            let end = d.add(g::strlen(d));
            let len = strnlen(s.cast(), n);
            g::memcpy(end.cast(), s.cast(), len);
            *end.add(len) = 0;
        }
        d
    }

    /// # Safety
    /// As C `memccpy`.
    pub unsafe extern "C" fn memccpy(d: *mut c_void, s: *const c_void, c: c_int, n: usize) -> *mut c_void {
        let (d, s, c) = (d as *mut u8, s as *const u8, c as u8);
        let mut i = 0;
        // SAFETY: indexes below `n`, read up to the first `c`.
        unsafe {
            while i < n {
                let x = *s.add(i);
                *d.add(i) = x;
                if x == c {
                    return d.add(i + 1).cast();
                }
                i += 1;
            }
        }
        core::ptr::null_mut()
    }

    /// # Safety
    /// As C `mempcpy`.
    pub unsafe extern "C" fn mempcpy(d: *mut c_void, s: *const c_void, n: usize) -> *mut c_void {
        // SAFETY: forwarded caller contract.
        unsafe { g::memcpy(d, s, n).cast::<u8>().add(n).cast() }
    }

    /// # Safety
    /// As C `bzero`.
    pub unsafe extern "C" fn bzero(d: *mut c_void, n: usize) {
        // SAFETY: forwarded caller contract.
        unsafe { g::memset(d, 0, n) };
    }
}

#[cfg(test)]
mod tests;
