//! The wide-character string routines of `<wchar.h>` (musl's `src/string`).
//!
//! Ten are dispatched to per-ISA kernels; the rest are built on those and on
//! `memcpy`/`memmove`. `wchar_t` is a 32-bit signed integer.
//!
//! `wcscmp`, `wcsncmp` and `wmemcmp` return musl's `*l - *r` whenever that
//! fits in an `int`, and `INT_MAX`/`INT_MIN` where it would overflow (musl's
//! value then has the wrong sign); see `vicuna_kernels::string::wide::wdiff`.
//!
//! The case-insensitive `wcscasecmp`, `wcsncasecmp` and their `_l` forms
//! use `towlower` (`crate::ctype`, musl's Unicode case mapping) and return
//! musl's `towlower(*l) - towlower(*r)`, computed in `wint_t` (unsigned)
//! and converted to `int`, exactly as musl does.
//!
//! Not here: `wcsdup` (needs the allocator).

use core::ffi::{c_int, c_void};

use vicuna_kernels::string::wide as k;
use vicuna_kernels::string::wide::WChar;

use super::mem::{memcpy, memmove};
use crate::ctype::towlower;

crate::dispatch::dispatched! {
    /// `wcslen(3)`.
    fn wcslen(s: *const WChar) -> usize = k::WCSLEN;
    /// `wcsnlen(3)`: reads at most `n` elements or up to the terminator.
    fn wcsnlen(s: *const WChar, n: usize) -> usize = k::WCSNLEN;
    /// `wcschr(3)`: `c == 0` finds the terminator.
    fn wcschr(s: *const WChar, c: WChar) -> *mut WChar = k::WCSCHR;
    /// `wcsrchr(3)`: `c == 0` finds the terminator.
    fn wcsrchr(s: *const WChar, c: WChar) -> *mut WChar = k::WCSRCHR;
    /// `wcscmp(3)`: signed comparison; see the module comment for the value.
    fn wcscmp(a: *const WChar, b: *const WChar) -> c_int = k::WCSCMP;
    /// `wcsncmp(3)`.
    fn wcsncmp(a: *const WChar, b: *const WChar, n: usize) -> c_int = k::WCSNCMP;
    /// `wmemchr(3)`.
    fn wmemchr(s: *const WChar, c: WChar, n: usize) -> *mut WChar = k::WMEMCHR;
    /// `wmemcmp(3)`.
    fn wmemcmp(a: *const WChar, b: *const WChar, n: usize) -> c_int = k::WMEMCMP;
    /// `wmemset(3)`.
    fn wmemset(d: *mut WChar, c: WChar, n: usize) -> *mut WChar = k::WMEMSET;
    /// `wcscpy(3)`.
    fn wcscpy(d: *mut WChar, s: *const WChar) -> *mut WChar = k::WCSCPY;
}

/// Bytes in `n` elements. `n` counts elements of an object, so the product
/// cannot exceed the address space; wrapping keeps panics out.
#[inline(always)]
const fn bytes(n: usize) -> usize {
    n.wrapping_mul(4)
}

/// `wmemcpy(3)`.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wmemcpy(d: *mut WChar, s: *const WChar, n: usize) -> *mut WChar {
    // SAFETY: forwarded caller contract, in bytes.
    unsafe { memcpy(d as *mut c_void, s as *const c_void, bytes(n)) };
    d
}

/// `wmemmove(3)`.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wmemmove(d: *mut WChar, s: *const WChar, n: usize) -> *mut WChar {
    // SAFETY: forwarded caller contract, in bytes.
    unsafe { memmove(d as *mut c_void, s as *const c_void, bytes(n)) };
    d
}

/// `wcpcpy(3)`: returns a pointer to the copied terminator.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcpcpy(d: *mut WChar, s: *const WChar) -> *mut WChar {
    // SAFETY: forwarded caller contract: `s` has `len + 1` elements and `d`
    // room for them.
    unsafe {
        let len = wcslen(s);
        memcpy(d as *mut c_void, s as *const c_void, bytes(len + 1));
        d.add(len)
    }
}

/// `wcscat(3)`.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcscat(d: *mut WChar, s: *const WChar) -> *mut WChar {
    // SAFETY: forwarded caller contract.
    unsafe { wcscpy(d.add(wcslen(d)), s) };
    d
}

/// `wcsncpy(3)`: copies up to `n` elements and zero-fills the rest of `n`.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcsncpy(d: *mut WChar, s: *const WChar, n: usize) -> *mut WChar {
    // SAFETY: forwarded caller contract: `k <= n` elements are read from `s`
    // and `n` written to `d`.
    unsafe {
        let k = wcsnlen(s, n);
        memcpy(d as *mut c_void, s as *const c_void, bytes(k));
        wmemset(d.add(k), 0, n - k);
    }
    d
}

/// `wcpncpy(3)`: as `wcsncpy`, returning `d + wcsnlen(s, n)`.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcpncpy(d: *mut WChar, s: *const WChar, n: usize) -> *mut WChar {
    // SAFETY: as in `wcsncpy`.
    unsafe {
        let k = wcsnlen(s, n);
        memcpy(d as *mut c_void, s as *const c_void, bytes(k));
        wmemset(d.add(k), 0, n - k);
        d.add(k)
    }
}

/// `wcsncat(3)`: appends up to `n` elements and always a terminator.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcsncat(d: *mut WChar, s: *const WChar, n: usize) -> *mut WChar {
    // SAFETY: forwarded caller contract: `d` has room for its string, `k`
    // more elements and a terminator.
    unsafe {
        let end = d.add(wcslen(d));
        let k = wcsnlen(s, n);
        memcpy(end as *mut c_void, s as *const c_void, bytes(k));
        *end.add(k) = 0;
    }
    d
}

/// The elements of a terminated wide string, without the terminator.
///
/// # Safety
/// `s` points to a terminated wide string that outlives the slice.
unsafe fn elements<'a>(s: *const WChar) -> &'a [WChar] {
    // SAFETY: forwarded caller contract.
    unsafe { core::slice::from_raw_parts(s, wcslen(s)) }
}

/// Length of the initial run of `s` whose elements `keep` accepts.
///
/// # Safety
/// `s` points to a terminated wide string.
#[inline(always)]
unsafe fn run_length(s: *const WChar, keep: impl Fn(WChar) -> bool) -> usize {
    let mut i = 0;
    loop {
        // SAFETY: reads stop at the terminator.
        let x = unsafe { *s.add(i) };
        if x == 0 || !keep(x) {
            return i;
        }
        i += 1;
    }
}

/// `wcsspn(3)`.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcsspn(s: *const WChar, accept: *const WChar) -> usize {
    // SAFETY: forwarded caller contract: both are terminated.
    unsafe {
        let set = elements(accept);
        run_length(s, |x| set.contains(&x))
    }
}

/// `wcscspn(3)`.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcscspn(s: *const WChar, reject: *const WChar) -> usize {
    // SAFETY: forwarded caller contract: both are terminated.
    unsafe {
        let set = elements(reject);
        match set {
            [] => wcslen(s),
            [c] => {
                let p = wcschr(s, *c);
                if p.is_null() { wcslen(s) } else { p.offset_from(s) as usize }
            }
            _ => run_length(s, |x| !set.contains(&x)),
        }
    }
}

/// `wcspbrk(3)`.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcspbrk(s: *const WChar, accept: *const WChar) -> *mut WChar {
    // SAFETY: forwarded caller contract; `p` is at or before the terminator.
    unsafe {
        let p = s.add(wcscspn(s, accept));
        if *p != 0 { p as *mut WChar } else { core::ptr::null_mut() }
    }
}

/// `wcstok(3)`: `*save` holds the position after the last token (null once
/// the string is exhausted).
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcstok(s: *mut WChar, sep: *const WChar, save: *mut *mut WChar) -> *mut WChar {
    // SAFETY: forwarded caller contract: `s` (or `*save` when `s` is null)
    // is null or a writable terminated string, `sep` is terminated.
    unsafe {
        let mut s = s;
        if s.is_null() {
            s = *save;
            if s.is_null() {
                return core::ptr::null_mut();
            }
        }
        s = s.add(wcsspn(s, sep));
        if *s == 0 {
            *save = core::ptr::null_mut();
            return core::ptr::null_mut();
        }
        let end = s.add(wcscspn(s, sep));
        if *end != 0 {
            *end = 0;
            *save = end.add(1);
        } else {
            *save = core::ptr::null_mut();
        }
        s
    }
}

/// `wcsstr(3)`: the first occurrence of `needle` in `hay`; `hay` itself
/// for an empty needle. Linear time (two-way string matching).
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcsstr(hay: *const WChar, needle: *const WChar) -> *mut WChar {
    // SAFETY: forwarded caller contract: both are terminated strings.
    unsafe {
        let x = elements(needle);
        let Some(&first) = x.first() else {
            return hay as *mut WChar;
        };
        // Skip to the first possible start.
        let h = wcschr(hay, first);
        if h.is_null() || x.len() == 1 {
            return h;
        }
        two_way(h, x)
    }
}

/// `wcswcs`: the historical name of `wcsstr`.
///
/// # Safety
/// As `wcsstr`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcswcs(hay: *const WChar, needle: *const WChar) -> *mut WChar {
    // SAFETY: forwarded caller contract.
    unsafe { wcsstr(hay, needle) }
}

/// `wcsncasecmp(3)`: compares at most `n` elements after `towlower`.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcsncasecmp(l: *const WChar, r: *const WChar, n: usize) -> c_int {
    if n == 0 {
        return 0;
    }
    let lower = |c: WChar| towlower(c as u32);
    let mut i = 0;
    loop {
        // SAFETY: reads stop at either terminator, the first difference
        // after case folding, or element `n - 1` (caller contract).
        let (x, y) = unsafe { (*l.add(i), *r.add(i)) };
        if x == 0 || y == 0 || i == n - 1 || (x != y && lower(x) != lower(y)) {
            return lower(x).wrapping_sub(lower(y)) as c_int;
        }
        i += 1;
    }
}

/// `wcscasecmp(3)`.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcscasecmp(l: *const WChar, r: *const WChar) -> c_int {
    // SAFETY: forwarded caller contract; the strings end before `usize::MAX`.
    unsafe { wcsncasecmp(l, r, usize::MAX) }
}

/// `wcscasecmp_l(3)`: case mapping does not depend on the locale.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcscasecmp_l(l: *const WChar, r: *const WChar, _locale: *mut c_void) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { wcscasecmp(l, r) }
}

/// `wcsncasecmp_l(3)`: case mapping does not depend on the locale.
///
/// # Safety
/// As the C function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn wcsncasecmp_l(l: *const WChar, r: *const WChar, n: usize, _locale: *mut c_void) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { wcsncasecmp(l, r, n) }
}

/// The haystack of a search, whose length is discovered only as far as the
/// search needs it, so a match near the start of a long string costs
/// nothing for the rest.
struct Haystack {
    p: *const WChar,
    /// Elements known to be before the terminator.
    known: usize,
    /// Whether `known` is the full length.
    complete: bool,
}

impl Haystack {
    /// Whether the first `need` elements lie before the terminator; learns
    /// the length at least that far (in steps of at least 256 elements).
    ///
    /// # Safety
    /// `self.p` points to a terminated wide string.
    unsafe fn has(&mut self, need: usize) -> bool {
        if need <= self.known {
            return true;
        }
        if self.complete {
            return false;
        }
        let ask = (need - self.known).max(256);
        // SAFETY: `known` elements are before the terminator; `wcsnlen`
        // reads at most up to the terminator.
        let got = unsafe { wcsnlen(self.p.add(self.known), ask) };
        self.known += got;
        self.complete = got < ask;
        need <= self.known
    }

    /// The known part.
    ///
    /// # Safety
    /// `self.p` points to a terminated wide string that outlives the slice.
    unsafe fn known<'a>(&self) -> &'a [WChar] {
        // SAFETY: the first `known` elements are readable.
        unsafe { core::slice::from_raw_parts(self.p, self.known) }
    }
}

/// The maximal suffix of `x` under the order `greater` (a strict "ranks
/// above"), as (start, period of that suffix).
fn maximal_suffix(x: &[WChar], greater: impl Fn(WChar, WChar) -> bool) -> (usize, usize) {
    // `best` starts the largest suffix so far; the suffix at `cand` is being
    // compared with it at offset `k`; `period` is `best`'s period so far.
    let (mut best, mut cand, mut k, mut period) = (0, 1, 0, 1);
    while cand + k < x.len() {
        let (a, b) = (x[cand + k], x[best + k]);
        if a == b {
            if k + 1 == period {
                cand += period;
                k = 0;
            } else {
                k += 1;
            }
        } else if greater(a, b) {
            best = cand;
            cand = best + 1;
            k = 0;
            period = 1;
        } else {
            cand += k + 1;
            k = 0;
            period = cand - best;
        }
    }
    (best, period)
}

/// Two-way string matching (Crochemore and Perrin) of `x` (two or more
/// elements) in the terminated string at `h`.
///
/// # Safety
/// `h` points to a terminated wide string.
unsafe fn two_way(h: *const WChar, x: &[WChar]) -> *mut WChar {
    let m = x.len();
    // Critical factorization x = x[..ell] x[ell..]: the later of the two
    // maximal suffixes, with its period.
    let (s1, p1) = maximal_suffix(x, |a, b| a > b);
    let (s2, p2) = maximal_suffix(x, |a, b| a < b);
    let (ell, period) = if s1 >= s2 { (s1, p1) } else { (s2, p2) };
    // Is `period` the period of the whole needle? Then a partial match can
    // be remembered across shifts; otherwise shift by a safe large amount.
    let periodic = period + ell <= m && x[..ell] == x[period..period + ell];
    let mut hay = Haystack { p: h, known: 0, complete: false };
    let mut j = 0;
    let mut memory = 0;
    loop {
        // SAFETY: `h` is terminated (caller contract).
        if !unsafe { hay.has(j + m) } {
            return core::ptr::null_mut();
        }
        // SAFETY: as above; the slice is only used in this iteration.
        let w = &unsafe { hay.known() }[j..j + m];
        // Right part, left to right.
        let mut i = if periodic { ell.max(memory) } else { ell };
        while i < m && x[i] == w[i] {
            i += 1;
        }
        if i < m {
            j += i - ell + 1;
            memory = 0;
            continue;
        }
        // Left part, right to left, down to what is remembered.
        let floor = if periodic { memory } else { 0 };
        let mut i = ell;
        while i > floor && x[i - 1] == w[i - 1] {
            i -= 1;
        }
        if i <= floor {
            // SAFETY: `j` is within the haystack.
            return unsafe { h.add(j) } as *mut WChar;
        }
        if periodic {
            j += period;
            memory = m - period;
        } else {
            j += ell.max(m - ell) + 1;
        }
    }
}

#[cfg(test)]
mod tests;
