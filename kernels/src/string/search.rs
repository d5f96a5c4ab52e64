//! The byte-string search family: `memchr memrchr strnlen strchr
//! strchrnul strrchr strspn strcspn strpbrk strstr memmem` (dispatched) and
//! `strcasestr` (portable only). This file holds the portable variants, the
//! two-way matcher every `strstr`/`memmem` variant falls back to, and the
//! variant tables; the vector versions are in `x86_64/search.rs`.
//!
//! Page safety: a scan that may stop early (everything but `memrchr`) only
//! reads bytes in `[s, s+n)` or aligned words/vectors that share a page with
//! a byte the function is entitled to read, and never reads past the word or
//! vector holding the byte it stops on. So `memchr(s, 0, SIZE_MAX)` on a
//! string and `strnlen(s, big)` are as safe as `strlen(s)`.

use core::ffi::{c_char, c_int, c_void};
use core::ptr::read_unaligned as rd;

use crate::{Level, Variant};

pub type MemchrFn = unsafe extern "C" fn(*const c_void, c_int, usize) -> *mut c_void;
pub type StrnlenFn = unsafe extern "C" fn(*const c_char, usize) -> usize;
pub type StrchrFn = unsafe extern "C" fn(*const c_char, c_int) -> *mut c_char;
pub type StrspnFn = unsafe extern "C" fn(*const c_char, *const c_char) -> usize;
/// `strpbrk`, `strstr`, `strcasestr`: two strings in, a pointer into the first out.
pub type StrpbrkFn = unsafe extern "C" fn(*const c_char, *const c_char) -> *mut c_char;
pub type MemmemFn = unsafe extern "C" fn(*const c_void, usize, *const c_void, usize) -> *mut c_void;

/// Variant table: generic, SSE2, SSE4.2 (with `sse42`), AVX2 and AVX-512,
/// lowest level first.
macro_rules! search_table {
    ($ty:ty, $name:ident $(, $extra:ident)*) => {{
        #[cfg(target_arch = "x86_64")]
        const T: &[Variant<$ty>] = {
            use super::x86_64::search as xs;
            search_table!(@x86 $ty, $name, xs $(, $extra)*)
        };
        #[cfg(not(target_arch = "x86_64"))]
        const T: &[Variant<$ty>] = &[Variant { name: "generic", level: Level::Generic, func: $name }];
        T
    }};
    (@x86 $ty:ty, $name:ident, $xs:ident) => {
        &[
            Variant { name: "generic", level: Level::Generic, func: $name },
            Variant { name: "sse2", level: Level::Sse2, func: $xs::sse2::$name },
            Variant { name: "avx2", level: Level::Avx2, func: $xs::avx2::$name },
            Variant { name: "avx512", level: Level::Avx512, func: $xs::avx512::$name },
        ]
    };
    (@x86 $ty:ty, $name:ident, $xs:ident, sse42) => {
        &[
            Variant { name: "generic", level: Level::Generic, func: $name },
            Variant { name: "sse2", level: Level::Sse2, func: $xs::sse2::$name },
            Variant { name: "sse4.2", level: Level::Sse42, func: $xs::sse42::$name },
            Variant { name: "avx2", level: Level::Avx2, func: $xs::avx2::$name },
            Variant { name: "avx512", level: Level::Avx512, func: $xs::avx512::$name },
        ]
    };
}

pub const MEMCHR: &[Variant<MemchrFn>] = search_table!(MemchrFn, memchr);
pub const MEMRCHR: &[Variant<MemchrFn>] = search_table!(MemchrFn, memrchr);
pub const STRNLEN: &[Variant<StrnlenFn>] = search_table!(StrnlenFn, strnlen);
pub const STRCHR: &[Variant<StrchrFn>] = search_table!(StrchrFn, strchr);
pub const STRCHRNUL: &[Variant<StrchrFn>] = search_table!(StrchrFn, strchrnul);
pub const STRRCHR: &[Variant<StrchrFn>] = search_table!(StrchrFn, strrchr);
pub const STRSPN: &[Variant<StrspnFn>] = search_table!(StrspnFn, strspn, sse42);
pub const STRCSPN: &[Variant<StrspnFn>] = search_table!(StrspnFn, strcspn, sse42);
pub const STRPBRK: &[Variant<StrpbrkFn>] = search_table!(StrpbrkFn, strpbrk, sse42);
pub const STRSTR: &[Variant<StrpbrkFn>] = search_table!(StrpbrkFn, strstr);
pub const MEMMEM: &[Variant<MemmemFn>] = search_table!(MemmemFn, memmem);

const W: usize = 8;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const ONES: u64 = 0x0101_0101_0101_0101;

/// Marks exactly the zero bytes of `w` with their top bit (no false marks,
/// so the highest mark is exact too).
#[inline(always)]
const fn zeros(w: u64) -> u64 {
    !(((w & LOW7).wrapping_add(LOW7)) | w | LOW7)
}

#[inline(always)]
const fn splat(c: u8) -> u64 {
    (c as u64).wrapping_mul(ONES)
}

/// Index of the first byte equal to `c` in `[s, s + n)`, reading
/// sequentially in aligned words (see the module comment on page safety).
///
/// # Safety
/// `s` readable up to the first `c` or for `n` bytes, whichever is first.
#[inline(always)]
pub(crate) unsafe fn find_byte(s: *const u8, c: u8, n: usize) -> Option<usize> {
    let cc = splat(c);
    let mut i = 0;
    // SAFETY: single bytes are inside `[s, s + n)` and read in order; each
    // aligned word starts at a byte inside the range not yet known to be
    // past a match, so it shares a page with a readable byte.
    unsafe {
        while i < n && !(s as usize + i).is_multiple_of(W) {
            if *s.add(i) == c {
                return Some(i);
            }
            i += 1;
        }
        while i < n {
            let m = zeros(*(s.add(i) as *const u64) ^ cc);
            if m != 0 {
                let k = i + (m.trailing_zeros() / 8) as usize;
                return if k < n { Some(k) } else { None };
            }
            i += W;
        }
    }
    None
}

/// Pointer to the first byte of `s` that is 0 or `c`.
///
/// # Safety
/// `s` is a NUL-terminated string.
#[inline(always)]
unsafe fn find_byte_or_nul(s: *const u8, c: u8) -> *const u8 {
    let cc = splat(c);
    let off = s as usize % W;
    let mut p = (s as usize - off) as *const u64;
    // SAFETY: aligned words never cross a page; each one holds a byte of
    // the string up to and including its NUL. Marks for bytes before `s`
    // are shifted out.
    unsafe {
        let w = *p;
        let m = (zeros(w) | zeros(w ^ cc)) >> (off * 8);
        if m != 0 {
            return s.add((m.trailing_zeros() / 8) as usize);
        }
        loop {
            p = p.add(1);
            let w = *p;
            let m = zeros(w) | zeros(w ^ cc);
            if m != 0 {
                return (p as *const u8).add((m.trailing_zeros() / 8) as usize);
            }
        }
    }
}

/// # Safety
/// As C `memchr`.
pub unsafe extern "C" fn memchr(s: *const c_void, c: c_int, n: usize) -> *mut c_void {
    // SAFETY: forwarded caller contract.
    match unsafe { find_byte(s.cast(), c as u8, n) } {
        Some(i) => s.cast::<u8>().wrapping_add(i) as *mut c_void,
        None => core::ptr::null_mut(),
    }
}

/// # Safety
/// As GNU `memrchr`: `s` readable for `n` bytes.
pub unsafe extern "C" fn memrchr(s: *const c_void, c: c_int, n: usize) -> *mut c_void {
    let s = s as *const u8;
    let cc = splat(c as u8);
    let mut n = n;
    // SAFETY: every read lies in `[s, s + n)`.
    unsafe {
        while n > 0 && !(s as usize + n).is_multiple_of(W) {
            n -= 1;
            if *s.add(n) == c as u8 {
                return s.add(n) as *mut c_void;
            }
        }
        while n >= W {
            n -= W;
            let m = zeros(rd(s.add(n) as *const u64) ^ cc);
            if m != 0 {
                return s.add(n + (63 - m.leading_zeros() as usize) / 8) as *mut c_void;
            }
        }
        while n > 0 {
            n -= 1;
            if *s.add(n) == c as u8 {
                return s.add(n) as *mut c_void;
            }
        }
    }
    core::ptr::null_mut()
}

/// # Safety
/// As C `strnlen`.
pub unsafe extern "C" fn strnlen(s: *const c_char, n: usize) -> usize {
    // SAFETY: forwarded caller contract.
    unsafe { find_byte(s.cast(), 0, n) }.unwrap_or(n)
}

/// # Safety
/// As C `strchr`.
pub unsafe extern "C" fn strchr(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: forwarded caller contract; the result points into the string.
    unsafe {
        let p = find_byte_or_nul(s.cast(), c as u8);
        if *p == c as u8 { p as *mut c_char } else { core::ptr::null_mut() }
    }
}

/// # Safety
/// As GNU `strchrnul`.
pub unsafe extern "C" fn strchrnul(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: forwarded caller contract.
    unsafe { find_byte_or_nul(s.cast(), c as u8) as *mut c_char }
}

/// # Safety
/// As C `strrchr`.
pub unsafe extern "C" fn strrchr(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: forwarded caller contract: the string and its NUL are readable.
    unsafe {
        let n = super::generic::strlen(s) + 1;
        memrchr(s.cast(), c, n).cast()
    }
}

/// A set of bytes as a 256-bit map.
struct ByteSet([u64; 4]);

impl ByteSet {
    /// The bytes of the NUL-terminated `set`, plus NUL when `with_nul`.
    ///
    /// # Safety
    /// `set` is a NUL-terminated string.
    #[inline(always)]
    unsafe fn new(set: *const u8, with_nul: bool) -> ByteSet {
        let mut m = [with_nul as u64, 0, 0, 0];
        let mut p = set;
        // SAFETY: reads the string up to its NUL.
        unsafe {
            while *p != 0 {
                m[(*p >> 6) as usize] |= 1 << (*p & 63);
                p = p.add(1);
            }
        }
        ByteSet(m)
    }
    #[inline(always)]
    fn has(&self, b: u8) -> bool {
        self.0[(b >> 6) as usize] & (1 << (b & 63)) != 0
    }
}

/// # Safety
/// As C `strspn`.
pub unsafe extern "C" fn strspn(s: *const c_char, accept: *const c_char) -> usize {
    let (s, a) = (s as *const u8, accept as *const u8);
    // SAFETY: both are NUL-terminated strings, read up to their NULs (NUL
    // is never in the set, so the scan stops there).
    unsafe {
        if *a == 0 {
            return 0;
        }
        let set = ByteSet::new(a, false);
        let mut i = 0;
        while set.has(*s.add(i)) {
            i += 1;
        }
        i
    }
}

/// # Safety
/// As C `strcspn`.
pub unsafe extern "C" fn strcspn(s: *const c_char, reject: *const c_char) -> usize {
    let (s, r) = (s as *const u8, reject as *const u8);
    // SAFETY: both are NUL-terminated strings; NUL is in the set, so the
    // scan stops at the terminator at the latest.
    unsafe {
        if *r == 0 || *r.add(1) == 0 {
            return find_byte_or_nul(s, *r) as usize - s as usize;
        }
        let set = ByteSet::new(r, true);
        let mut i = 0;
        while !set.has(*s.add(i)) {
            i += 1;
        }
        i
    }
}

/// # Safety
/// As C `strpbrk`.
pub unsafe extern "C" fn strpbrk(s: *const c_char, accept: *const c_char) -> *mut c_char {
    // SAFETY: forwarded caller contract; `i` indexes the string or its NUL.
    unsafe {
        let p = s.add(strcspn(s, accept));
        if *p == 0 { core::ptr::null_mut() } else { p as *mut c_char }
    }
}

// ---------------------------------------------------------------------------
// Two-way string matching (Crochemore and Perrin): linear time, constant
// space. Written over a `Hay` so that `strstr` can discover the haystack's
// end lazily, and over a byte map so that `strcasestr` can reuse it.

/// A haystack that may not know its length yet.
pub(crate) trait Hay {
    /// The haystack's first byte.
    fn ptr(&self) -> *const u8;
    /// Whether `[0, end)` is all haystack (finding out if need be).
    fn has(&mut self, end: usize) -> bool;
}

/// A haystack of known length.
pub(crate) struct MemHay {
    pub p: *const u8,
    pub n: usize,
}

impl Hay for MemHay {
    #[inline(always)]
    fn ptr(&self) -> *const u8 {
        self.p
    }
    #[inline(always)]
    fn has(&mut self, end: usize) -> bool {
        end <= self.n
    }
}

/// A NUL-terminated haystack whose length is found a stretch at a time,
/// never reading past its terminator's word.
pub(crate) struct StrHay {
    p: *const u8,
    known: usize,
    ended: bool,
}

impl StrHay {
    /// # Safety
    /// `p` is a NUL-terminated string that outlives the value.
    pub(crate) unsafe fn new(p: *const u8) -> StrHay {
        StrHay { p, known: 0, ended: false }
    }
}

impl Hay for StrHay {
    #[inline(always)]
    fn ptr(&self) -> *const u8 {
        self.p
    }
    #[inline]
    fn has(&mut self, end: usize) -> bool {
        if end <= self.known {
            return true;
        }
        if self.ended {
            return false;
        }
        let want = (end - self.known).max(256).max(self.known / 2);
        // SAFETY: `[0, known)` holds no NUL, so the string continues at
        // `known`; `find_byte` reads it up to its NUL at the latest.
        match unsafe { find_byte(self.p.add(self.known), 0, want) } {
            Some(k) => {
                self.known += k;
                self.ended = true;
            }
            None => self.known += want,
        }
        end <= self.known
    }
}

/// The critical factorization's maximal suffix under one order:
/// returns (index of the last byte of the left part, or -1; its period).
fn max_suffix(x: &[u8], fold: impl Fn(u8) -> u8, reverse: bool) -> (isize, usize) {
    let m = x.len();
    let (mut ms, mut j, mut k, mut p) = (-1isize, 0usize, 1usize, 1usize);
    while j + k < m {
        let a = fold(x[j + k]);
        let b = fold(x[(ms + k as isize) as usize]);
        if a == b {
            if k == p {
                j += p;
                k = 1;
            } else {
                k += 1;
            }
        } else if (a < b) != reverse {
            j += k;
            k = 1;
            p = (j as isize - ms) as usize;
        } else {
            ms = j as isize;
            j += 1;
            k = 1;
            p = 1;
        }
    }
    (ms, p)
}

/// First position in `hay` where `needle` occurs (bytes compared after
/// `fold`), by the two-way algorithm. `needle` must not be empty.
pub(crate) fn two_way<H: Hay>(hay: &mut H, needle: &[u8], fold: impl Fn(u8) -> u8 + Copy) -> Option<usize> {
    let m = needle.len();
    let x = |i: usize| fold(needle[i]);
    let (ms1, p1) = max_suffix(needle, fold, false);
    let (ms2, p2) = max_suffix(needle, fold, true);
    let (ell, per) = if ms1 > ms2 { (ms1, p1) } else { (ms2, p2) };
    let left = (ell + 1) as usize;
    let y = hay.ptr();
    // SAFETY (for `at`): callers only pass `j + i < j + m`, after
    // `hay.has(j + m)` returned true.
    let at = |i: usize| fold(unsafe { *y.add(i) });
    let periodic = left + per <= m && (0..left).all(|i| x(i) == x(i + per));
    let mut j = 0usize;
    if periodic {
        // The left part is periodic with the needle's period: remember how
        // much of the needle's prefix is known to match after a full shift.
        let mut memory = 0usize;
        while hay.has(j + m) {
            let mut i = left.max(memory);
            while i < m && x(i) == at(i + j) {
                i += 1;
            }
            if i < m {
                j += i + 1 - left;
                memory = 0;
                continue;
            }
            let mut i = left;
            while i > memory && x(i - 1) == at(i - 1 + j) {
                i -= 1;
            }
            if i <= memory {
                return Some(j);
            }
            j += per;
            memory = m - per;
        }
    } else {
        let shift = left.max(m - left) + 1;
        while hay.has(j + m) {
            let mut i = left;
            while i < m && x(i) == at(i + j) {
                i += 1;
            }
            if i < m {
                j += i + 1 - left;
                continue;
            }
            let mut i = left;
            while i > 0 && x(i - 1) == at(i - 1 + j) {
                i -= 1;
            }
            if i == 0 {
                return Some(j);
            }
            j += shift;
        }
    }
    None
}

#[inline(always)]
fn same(b: u8) -> u8 {
    b
}

/// ASCII case folding, as `tolower` in the C locale.
#[inline(always)]
fn lower(b: u8) -> u8 {
    b.to_ascii_lowercase()
}

/// The length of a NUL-terminated string, as a slice.
///
/// # Safety
/// `s` is a NUL-terminated string that outlives the slice.
#[inline(always)]
pub(crate) unsafe fn c_str<'a>(s: *const u8) -> &'a [u8] {
    // SAFETY: the string and its length, read up to its NUL.
    unsafe { core::slice::from_raw_parts(s, super::generic::strlen(s.cast())) }
}

/// `strstr` on a haystack known to start at `h`, needle of two or more
/// bytes: two-way from the start.
///
/// # Safety
/// Both NUL-terminated.
pub(crate) unsafe fn strstr_two_way(h: *const u8, needle: &[u8]) -> *mut c_char {
    // SAFETY: forwarded caller contract.
    let mut hay = unsafe { StrHay::new(h) };
    match two_way(&mut hay, needle, same) {
        Some(i) => h.wrapping_add(i) as *mut c_char,
        None => core::ptr::null_mut(),
    }
}

/// # Safety
/// As C `strstr`.
pub unsafe extern "C" fn strstr(h: *const c_char, n: *const c_char) -> *mut c_char {
    let (h, n) = (h as *const u8, n as *const u8);
    // SAFETY: both are NUL-terminated strings.
    unsafe {
        if *n == 0 {
            return h as *mut c_char;
        }
        if *n.add(1) == 0 {
            return strchr(h.cast(), *n as c_int);
        }
        strstr_two_way(h, c_str(n))
    }
}

/// # Safety
/// As GNU `strcasestr` in the C locale (ASCII case folding). As musl's, an
/// empty needle matches at the start of a non-empty haystack only.
pub unsafe extern "C" fn strcasestr(h: *const c_char, n: *const c_char) -> *mut c_char {
    let h = h as *const u8;
    // SAFETY: both are NUL-terminated strings.
    unsafe {
        let needle = c_str(n.cast());
        if needle.is_empty() {
            return if *h == 0 { core::ptr::null_mut() } else { h as *mut c_char };
        }
        let mut hay = StrHay::new(h);
        match two_way(&mut hay, needle, lower) {
            Some(i) => h.add(i) as *mut c_char,
            None => core::ptr::null_mut(),
        }
    }
}

/// # Safety
/// As GNU `memmem`.
pub unsafe extern "C" fn memmem(h: *const c_void, n: usize, nd: *const c_void, m: usize) -> *mut c_void {
    if m == 0 {
        return h as *mut c_void;
    }
    if m > n {
        return core::ptr::null_mut();
    }
    // SAFETY: `nd` readable for `m` bytes, `h` for `n`.
    unsafe {
        if m == 1 {
            return memchr(h, *(nd as *const u8) as c_int, n);
        }
        let needle = core::slice::from_raw_parts(nd as *const u8, m);
        let mut hay = MemHay { p: h.cast(), n };
        match two_way(&mut hay, needle, same) {
            Some(i) => (h as *const u8).add(i) as *mut c_void,
            None => core::ptr::null_mut(),
        }
    }
}

/// Whether `a` and `b` agree on their first `n` bytes (word at a time).
///
/// # Safety
/// Both readable for `n` bytes.
#[inline(always)]
pub(crate) unsafe fn bytes_equal(a: *const u8, b: *const u8, n: usize) -> bool {
    let mut i = 0;
    // SAFETY: every read lies in `[0, n)`.
    unsafe {
        while i + W <= n {
            if rd(a.add(i) as *const u64) != rd(b.add(i) as *const u64) {
                return false;
            }
            i += W;
        }
        while i < n {
            if *a.add(i) != *b.add(i) {
                return false;
            }
            i += 1;
        }
    }
    true
}
