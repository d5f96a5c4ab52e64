//! Vector algorithms of the compare/copy string family (`strcmp`,
//! `strncmp`, `strcasecmp`, `strncasecmp`, `strcpy`, `stpcpy`, `strncpy`,
//! `stpncpy`, `strcat`, `strncat`, `memccpy`, `mempcpy`, `bzero`), written
//! once over [`CompareVector`] and instantiated per ISA by
//! [`entry_points`] (invoked from `sse2.rs`, `avx2.rs`, `avx512.rs`, and
//! here for the 256-bit EVEX form, [`evex256`]).
//!
//! Page safety. One-string scans use aligned loads only (an aligned vector
//! never straddles a page). Two-string compares align the first string and
//! load the second unaligned; before a load of the second string would cross
//! into its next page, one vector is compared *ending exactly at its page
//! end* (both strings shifted back by the same amount, the already-checked
//! bytes masked off). Only when that vector holds no NUL and no difference
//! (and, for the `n` forms, the limit lies beyond it) does the string go on
//! into the next page, so the crossing load is then safe.

use core::arch::x86_64::*;

use super::Vector;
use super::avx2::Ymm;
use super::avx512::Zmm;
use super::sse2::Xmm;

const PAGE: usize = 4096;

/// Operations beyond [`Vector`] that the compare family needs.
pub(crate) trait CompareVector: Vector {
    /// Zero in each byte where `self` is zero or differs from `other`,
    /// nonzero elsewhere.
    unsafe fn eq_nz(self, other: Self) -> Self;
    /// ASCII `A`..=`Z` turned to lower case, every other byte unchanged
    /// (musl's `tolower` in every locale it has).
    unsafe fn to_lower(self) -> Self;
    /// Whether any of the four pairs has a byte where `a` is zero or
    /// differs from `b`.
    #[inline(always)]
    unsafe fn any_stop4(a: [Self; 4], b: [Self; 4]) -> bool {
        // SAFETY: register operations only.
        unsafe {
            let e = [0, 1, 2, 3].map(|k| a[k].eq_nz(b[k]));
            Self::min(Self::min(e[0], e[1]), Self::min(e[2], e[3])).zero_mask() != 0
        }
    }
}

// SAFETY (all three impls): register-only SSE2 / AVX2 / AVX-512BW
// instructions; the methods are inlined only into `#[target_feature]` entry
// points of a level that has them, which dispatch reaches only on such CPUs.
impl CompareVector for Xmm {
    #[inline(always)]
    unsafe fn eq_nz(self, other: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Xmm(_mm_min_epu8(self.0, _mm_cmpeq_epi8(self.0, other.0))) }
    }
    #[inline(always)]
    unsafe fn to_lower(self) -> Self {
        // SAFETY: see the impl comment.
        unsafe {
            let t = _mm_sub_epi8(self.0, _mm_set1_epi8(b'A' as i8));
            let upper = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(25)), t);
            Xmm(_mm_or_si128(self.0, _mm_and_si128(upper, _mm_set1_epi8(0x20))))
        }
    }
}

impl CompareVector for Ymm {
    #[inline(always)]
    unsafe fn eq_nz(self, other: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Ymm(_mm256_min_epu8(self.0, _mm256_cmpeq_epi8(self.0, other.0))) }
    }
    #[inline(always)]
    unsafe fn to_lower(self) -> Self {
        // SAFETY: see the impl comment.
        unsafe {
            let t = _mm256_sub_epi8(self.0, _mm256_set1_epi8(b'A' as i8));
            let upper = _mm256_cmpeq_epi8(_mm256_min_epu8(t, _mm256_set1_epi8(25)), t);
            Ymm(_mm256_or_si256(self.0, _mm256_and_si256(upper, _mm256_set1_epi8(0x20))))
        }
    }
}

impl CompareVector for Zmm {
    #[inline(always)]
    unsafe fn eq_nz(self, other: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Zmm(_mm512_maskz_mov_epi8(_mm512_cmpeq_epi8_mask(self.0, other.0), self.0)) }
    }
    #[inline(always)]
    unsafe fn to_lower(self) -> Self {
        // SAFETY: see the impl comment.
        unsafe {
            let t = _mm512_sub_epi8(self.0, _mm512_set1_epi8(b'A' as i8));
            let upper = _mm512_cmplt_epu8_mask(t, _mm512_set1_epi8(26));
            Zmm(_mm512_mask_add_epi8(self.0, upper, self.0, _mm512_set1_epi8(0x20)))
        }
    }
    #[inline(always)]
    unsafe fn any_stop4(a: [Self; 4], b: [Self; 4]) -> bool {
        // A difference shows in the or of the xors, a NUL in the minimum of
        // `a`: fewer (double-pumped) ZMM operations than four masked moves.
        // SAFETY: see the impl comment.
        unsafe {
            let x = [0, 1, 2, 3].map(|k| _mm512_xor_si512(a[k].0, b[k].0));
            let o = _mm512_or_si512(_mm512_ternarylogic_epi64::<0xfe>(x[0], x[1], x[2]), x[3]);
            let m = _mm512_min_epu8(_mm512_min_epu8(a[0].0, a[1].0), _mm512_min_epu8(a[2].0, a[3].0));
            (_mm512_test_epi64_mask(o, o) as u64 | _mm512_testn_epi8_mask(m, m)) != 0
        }
    }
}

/// musl's `tolower` on one byte.
#[inline(always)]
const fn fold(c: u8) -> u8 {
    if c.wrapping_sub(b'A') < 26 { c | 0x20 } else { c }
}

/// The low `k` bits (all of them when `k >= 64`).
#[inline(always)]
const fn below(k: usize) -> u64 {
    if k >= 64 { !0 } else { (1u64 << k) - 1 }
}

/// Bytes that end a compare: a NUL in `a`, or a (case-folded) difference.
#[inline(always)]
unsafe fn stops<V: CompareVector, const CASE: bool>(a: V, b: V) -> u64 {
    // SAFETY: register operations only.
    unsafe { if CASE { a.to_lower().eq_nz(b.to_lower()) } else { a.eq_nz(b) }.zero_mask() }
}

/// The result at the first stopping index `i`: the difference of the two
/// bytes as unsigned char (case-folded for the `case` forms), as musl.
///
/// # Safety
/// Both readable at `i`.
#[inline(always)]
unsafe fn result<const CASE: bool>(a: *const u8, b: *const u8, i: usize) -> i32 {
    // SAFETY: the caller vouches for index `i`.
    let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
    if CASE { fold(x) as i32 - fold(y) as i32 } else { x as i32 - y as i32 }
}

/// `strcmp` (`CASE = false`, `BOUNDED = false`), `strncmp`, `strcasecmp`
/// and `strncasecmp`: the result at the first index below `n` (unbounded
/// when `!BOUNDED`) where `a` has a NUL or the strings differ, else 0.
///
/// # Safety
/// As the C functions: each string readable up to its NUL or `n` bytes.
#[inline(always)]
pub(crate) unsafe fn str_compare<V: CompareVector, const CASE: bool, const BOUNDED: bool>(
    a: *const u8,
    b: *const u8,
    n: usize,
) -> i32 {
    let w = V::BYTES;
    let lim = if BOUNDED { n } else { usize::MAX };
    if BOUNDED && lim == 0 {
        return 0;
    }
    // `a + head` is `w`-aligned; `head` is in `1..=w` (`w + 1..=2w` after a
    // second head vector).
    let mut head = w - (a as usize & (w - 1));
    // SAFETY: every position `j` below is read only after all positions
    // before it were found equal, non-NUL and below `lim`, so position `j`
    // itself lies in both strings; a load is made only where each of its
    // bytes shares a page with such a position:
    // - the head vectors: neither pointer is within `w` (`2w`) bytes of a
    //   page end;
    // - `a + i` is `w`-aligned in the loop, so its loads stay in the page of
    //   position `i` (groups of four only with `ra >= 4w`);
    // - `b + i` loads stay in its page while `rb >= w` (`>= 4w` for groups);
    //   for the `n` forms they may pass `n`, but not that page;
    // - the shifted vector at `i - k` ends at `b`'s page end and, for `a`,
    //   lies in the aligned block just below `a + i`, which holds position
    //   `i - 1` (`i >= 1`); the crossing load that follows it is made only
    //   once position `i + rb` (the next page's first byte of `b`) is known
    //   to lie in both strings.
    unsafe {
        if (a as usize & (PAGE - 1)) <= PAGE - w && (b as usize & (PAGE - 1)) <= PAGE - w {
            // The head vectors test the first stop against `lim` instead
            // of masking: a stop at or past `lim` means none below it.
            let m = stops::<V, CASE>(V::load(a), V::load(b));
            if m != 0 {
                let j = m.trailing_zeros() as usize;
                return if BOUNDED && j >= lim { 0 } else { result::<CASE>(a, b, j) };
            }
            if BOUNDED && lim <= w {
                return 0;
            }
            // A second unaligned vector while both stay in their pages.
            if (a as usize & (PAGE - 1)) <= PAGE - 2 * w && (b as usize & (PAGE - 1)) <= PAGE - 2 * w {
                let m = stops::<V, CASE>(V::load(a.add(w)), V::load(b.add(w)));
                if m != 0 {
                    let j = w + m.trailing_zeros() as usize;
                    return if BOUNDED && j >= lim { 0 } else { result::<CASE>(a, b, j) };
                }
                if BOUNDED && lim <= 2 * w {
                    return 0;
                }
                head += w;
                // A third vector, `a`'s aligned one at `head`, while `b`'s
                // stays in its page: short strings end here without the
                // loop's set-up.
                if ((b as usize + head) & (PAGE - 1)) <= PAGE - w {
                    let m = stops::<V, CASE>(V::load_aligned(a.add(head)), V::load(b.add(head)));
                    if m != 0 {
                        let j = head + m.trailing_zeros() as usize;
                        return if BOUNDED && j >= lim { 0 } else { result::<CASE>(a, b, j) };
                    }
                    head += w;
                }
            }
        } else {
            let mut j = 0;
            while j < head {
                if BOUNDED && j == lim {
                    return 0;
                }
                let (x, y) = (*a.add(j), *b.add(j));
                if x == 0 || if CASE { fold(x) != fold(y) } else { x != y } {
                    return result::<CASE>(a, b, j);
                }
                j += 1;
            }
        }
        let mut i = head;
        loop {
            if BOUNDED && i >= lim {
                return 0;
            }
            let left = if BOUNDED { lim - i } else { usize::MAX };
            let ra = PAGE - ((a as usize + i) & (PAGE - 1));
            let rb = PAGE - ((b as usize + i) & (PAGE - 1));
            let room = ra.min(rb);
            if room >= 4 * w {
                // Groups of four vectors while both strings stay inside
                // their current pages. For the `n` forms a group may reach
                // past `n` (never past the page): stops there are ignored.
                let end = i + (room & !(4 * w - 1));
                loop {
                    let fold = |v: V| if CASE { v.to_lower() } else { v };
                    let va = [0, 1, 2, 3].map(|k| fold(V::load_aligned(a.add(i + k * w))));
                    let vb = [0, 1, 2, 3].map(|k| fold(V::load(b.add(i + k * w))));
                    if V::any_stop4(va, vb) {
                        let [e0, e1, e2, e3] = [0, 1, 2, 3].map(|k| va[k].eq_nz(vb[k]));
                        let (m0, m1, m2) = (e0.zero_mask(), e1.zero_mask(), e2.zero_mask());
                        let at = if m0 != 0 {
                            m0.trailing_zeros() as usize
                        } else if m1 != 0 {
                            w + m1.trailing_zeros() as usize
                        } else if m2 != 0 {
                            2 * w + m2.trailing_zeros() as usize
                        } else {
                            3 * w + e3.zero_mask().trailing_zeros() as usize
                        };
                        if BOUNDED && at >= lim - i {
                            return 0;
                        }
                        return result::<CASE>(a, b, i + at);
                    }
                    i += 4 * w;
                    if BOUNDED && i >= lim {
                        return 0;
                    }
                    if i == end {
                        break;
                    }
                }
                continue;
            }
            if rb < w {
                let k = w - rb;
                let m = (stops::<V, CASE>(
                    V::load(a.wrapping_add(i).wrapping_sub(k)),
                    V::load(b.wrapping_add(i).wrapping_sub(k)),
                ) >> k)
                    & below(left);
                if m != 0 {
                    return result::<CASE>(a, b, i + m.trailing_zeros() as usize);
                }
                if BOUNDED && left <= rb {
                    return 0;
                }
            }
            let m = stops::<V, CASE>(V::load_aligned(a.add(i)), V::load(b.add(i))) & below(left);
            if m != 0 {
                return result::<CASE>(a, b, i + m.trailing_zeros() as usize);
            }
            i += w;
        }
    }
}

/// Writes bytes `[t - BYTES, t)` of `s` to `d` (`[0, t)` when `t <
/// BYTES`); returns `t`.
///
/// # Safety
/// `s` readable and `d` writable for `t` bytes.
#[inline(always)]
unsafe fn finish<V: Vector>(d: *mut u8, s: *const u8, t: usize) -> usize {
    let w = V::BYTES;
    // SAFETY: both accesses lie within `[0, t)`.
    unsafe {
        if t >= w {
            V::load(s.add(t - w)).store(d.add(t - w));
        } else {
            V::copy_below(d, s, t);
        }
    }
    t
}

/// Four aligned vectors at `s + j`.
///
/// # Safety
/// `s + j` is `4 * BYTES`-aligned and the group is readable.
#[inline(always)]
unsafe fn load4<V: Vector>(s: *const u8, j: usize) -> [V; 4] {
    let w = V::BYTES;
    // SAFETY: forwarded caller contract.
    unsafe {
        [
            V::load_aligned(s.add(j)),
            V::load_aligned(s.add(j + w)),
            V::load_aligned(s.add(j + 2 * w)),
            V::load_aligned(s.add(j + 3 * w)),
        ]
    }
}

/// Stores four vectors at `d + j`.
///
/// # Safety
/// `d + j` writable for `4 * BYTES` bytes.
#[inline(always)]
unsafe fn store4<V: Vector>(d: *mut u8, j: usize, g: [V; 4]) {
    let w = V::BYTES;
    // SAFETY: forwarded caller contract.
    unsafe {
        g[0].store(d.add(j));
        g[1].store(d.add(j + w));
        g[2].store(d.add(j + 2 * w));
        g[3].store(d.add(j + 3 * w));
    }
}

/// Whether any of four vectors holds a zero byte.
#[inline(always)]
unsafe fn has_nul<V: Vector>(g: [V; 4]) -> bool {
    // SAFETY: register operations only.
    unsafe { V::min(V::min(g[0], g[1]), V::min(g[2], g[3])).zero_mask() != 0 }
}

/// Copies the string at `s` to `d` in one pass and returns the number of
/// bytes written: with `BOUNDED = false` the string and its NUL (length +
/// 1); with `BOUNDED = true` its first `min(strlen(s), n)` bytes, no NUL;
/// with `FIND = true` (`memccpy`, bounded, `n >= 1`) the bytes up to and
/// including the first `c`, or all `n` when no `c` comes before.
/// The source is read with aligned loads (after at most one unaligned head
/// load that cannot cross a page); each vector is stored only once it is
/// known to hold no stop (a NUL, or for the bounded form the limit `n`),
/// and the last store ends exactly at the last byte to write. The main loop
/// loads the next group of four vectors before it stores the current one,
/// so its loads never wait behind stores that alias them in the low 12
/// address bits (the case of `strcat` onto a buffer 2 KiB apart).
///
/// # Safety
/// As C `strcpy` (`BOUNDED = false`) or the copy step of `stpncpy`: `s`
/// readable up to its NUL or for `n` bytes, `d` writable for the result.
#[inline(always)]
pub(crate) unsafe fn copy_string<V: Vector, const BOUNDED: bool, const FIND: bool>(
    d: *mut u8,
    s: *const u8,
    c: u8,
    n: usize,
) -> usize {
    let w = V::BYTES;
    if BOUNDED && n == 0 {
        return 0;
    }
    // The position where the bound stops the copy: `n` (nothing written
    // there), or for `memccpy` `n - 1` (the last byte, written).
    let last = if FIND { n - 1 } else { n };
    // Bytes to write when the first stop is at position `z` (`z <= last`).
    let count = |z: usize| if BOUNDED && !FIND { z } else { z + 1 };
    // Stop bits for positions at or past `last`, for a vector at `i`.
    let limit = |i: usize| -> u64 { if BOUNDED && last - i < w { !0u64 << (last - i) } else { 0 } };
    // SAFETY: register operations only.
    let cv = unsafe { V::splat(c) };
    // Stop bits of one vector: NULs, or for `memccpy` bytes equal to `c`.
    let stops = |v: V| -> u64 {
        // SAFETY: register operations only.
        unsafe { if FIND { !v.ne_mask(cv) & below(w) } else { v.zero_mask() } }
    };
    // SAFETY (whole body): loads as in `strlen` (aligned, or an unaligned
    // head that ends in the same page), and for the bounded form none
    // starts at or past `n`; a vector is stored at `d + i` only when its
    // `w` positions are all before the first stop, so they are bytes to
    // write; `finish(t)` is called with all of `[0, t - w)` (or more)
    // already written and writes `[t - w, t)` (or `[0, t)` when `t < w`),
    // all bytes of the string below the stop.
    unsafe {
        let off = s as usize & (w - 1);
        if (s as usize & (PAGE - 1)) <= PAGE - w {
            let v = V::load(s);
            let m = stops(v) | limit(0);
            if m != 0 {
                return finish::<V>(d, s, count(m.trailing_zeros() as usize));
            }
            v.store(d);
        } else {
            // `off > 0` here: an aligned pointer is never within `w` of the end.
            let m = ((stops(V::load_aligned(s.wrapping_sub(off))) >> off) | limit(0)) & below(w - off);
            if m != 0 {
                return finish::<V>(d, s, count(m.trailing_zeros() as usize));
            }
            V::copy_below(d, s, w - off);
        }
        // From here on `i <= n` (bounded): every position below `i` was
        // checked to be before the stop.
        let mut i = w - off;
        while (s as usize + i) & (4 * w - 1) != 0 {
            if BOUNDED && i >= last {
                return finish::<V>(d, s, count(last));
            }
            let v = V::load_aligned(s.add(i));
            let m = stops(v) | limit(i);
            if m != 0 {
                return finish::<V>(d, s, count(i + m.trailing_zeros() as usize));
            }
            v.store(d.add(i));
            i += w;
        }
        if !BOUNDED || last - i >= 4 * w {
            // A group at `j` that holds a NUL: store the vectors before it
            // and finish.
            macro_rules! settle {
                ($j:expr, $g:expr) => {{
                let (j, g): (usize, [V; 4]) = ($j, $g);
                let [v0, v1, v2, v3] = g;
                let m = stops(v0);
                if m != 0 {
                    return finish::<V>(d, s, count(j + m.trailing_zeros() as usize));
                }
                v0.store(d.add(j));
                let m = stops(v1);
                if m != 0 {
                    return finish::<V>(d, s, count(j + w + m.trailing_zeros() as usize));
                }
                v1.store(d.add(j + w));
                let m = stops(v2);
                if m != 0 {
                    return finish::<V>(d, s, count(j + 2 * w + m.trailing_zeros() as usize));
                }
                v2.store(d.add(j + 2 * w));
                return finish::<V>(d, s, count(j + 3 * w + stops(v3).trailing_zeros() as usize));
                }};
            }
            let has_stop = |g: [V; 4]| {
                if FIND {
                    (stops(g[0]) | stops(g[1]) | stops(g[2]) | stops(g[3])) != 0
                } else {
                    has_nul::<V>(g)
                }
            };
            // Two groups per turn, each loaded while the one before is
            // still to be stored. A group at `i` without a NUL makes
            // position `i + 4w` a string byte, and the whole (4w-aligned)
            // next group shares its page.
            let mut g = load4::<V>(s, i);
            loop {
                if has_stop(g) {
                    settle!(i, g);
                }
                if BOUNDED && last - i < 8 * w {
                    store4::<V>(d, i, g);
                    i += 4 * w;
                    break;
                }
                let h = load4::<V>(s, i + 4 * w);
                store4::<V>(d, i, g);
                i += 4 * w;
                if has_stop(h) {
                    settle!(i, h);
                }
                if BOUNDED && last - i < 8 * w {
                    store4::<V>(d, i, h);
                    i += 4 * w;
                    break;
                }
                g = load4::<V>(s, i + 4 * w);
                store4::<V>(d, i, h);
                i += 4 * w;
            }
        }
        // Bounded only: fewer than four vectors to the limit.
        loop {
            if i >= last {
                return finish::<V>(d, s, count(last));
            }
            let v = V::load_aligned(s.add(i));
            let m = stops(v) | limit(i);
            if m != 0 {
                return finish::<V>(d, s, count(i + m.trailing_zeros() as usize));
            }
            v.store(d.add(i));
            i += w;
        }
    }
}

/// Copies the string at `s` with its NUL to `d`; returns its length.
///
/// # Safety
/// As C `strcpy`.
#[inline(always)]
pub(crate) unsafe fn str_copy<V: Vector>(d: *mut u8, s: *const u8) -> usize {
    // SAFETY: forwarded caller contract.
    unsafe { copy_string::<V, false, false>(d, s, 0, 0) - 1 }
}

/// `stpncpy`: copies up to `n` bytes of `s`, zero-fills the rest of the
/// `n`; returns a pointer to the first NUL written, or `d + n`.
///
/// # Safety
/// As C `stpncpy`.
#[inline(always)]
pub(crate) unsafe fn stpncpy<V: Vector>(d: *mut u8, s: *const u8, n: usize) -> *mut u8 {
    // SAFETY: forwarded caller contract; `len <= n`.
    unsafe {
        let len = copy_string::<V, true, false>(d, s, 0, n);
        super::algo::set_with::<V, false>(d.add(len), 0, n - len);
        d.add(len)
    }
}

/// `strncat`.
///
/// # Safety
/// As C `strncat`.
#[inline(always)]
pub(crate) unsafe fn strncat<V: Vector>(d: *mut u8, s: *const u8, n: usize) {
    // SAFETY: forwarded caller contract: `d` has room for the result.
    unsafe {
        let end = d.add(super::algo::strlen::<V>(d));
        let len = copy_string::<V, true, false>(end, s, 0, n);
        *end.add(len) = 0;
    }
}

/// `memccpy`.
///
/// # Safety
/// As C `memccpy`.
#[inline(always)]
pub(crate) unsafe fn memccpy<V: Vector>(d: *mut u8, s: *const u8, c: u8, n: usize) -> *mut u8 {
    if n == 0 {
        return core::ptr::null_mut();
    }
    // SAFETY: forwarded caller contract; `1 <= t <= n` bytes were copied,
    // the last of them `c` exactly when it was found.
    unsafe {
        let t = copy_string::<V, true, true>(d, s, c, n);
        if *s.add(t - 1) == c { d.add(t) } else { core::ptr::null_mut() }
    }
}

/// Entry points of the compare/copy family for one ISA module, compiled
/// with that module's target features. Paths are absolute so that it can
/// be invoked beside `super::entry_points!` in the same module.
macro_rules! entry_points {
    ($features:literal, $V:ty) => {
        /// # Safety
        /// As C `strcmp`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strcmp(a: *const core::ffi::c_char, b: *const core::ffi::c_char) -> core::ffi::c_int {
            // SAFETY: forwarded caller contract.
            unsafe { $crate::string::x86_64::compare::str_compare::<$V, false, false>(a.cast(), b.cast(), 0) }
        }

        /// # Safety
        /// As C `strncmp`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strncmp(
            a: *const core::ffi::c_char,
            b: *const core::ffi::c_char,
            n: usize,
        ) -> core::ffi::c_int {
            // SAFETY: forwarded caller contract.
            unsafe { $crate::string::x86_64::compare::str_compare::<$V, false, true>(a.cast(), b.cast(), n) }
        }

        /// # Safety
        /// As C `strcasecmp`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strcasecmp(
            a: *const core::ffi::c_char,
            b: *const core::ffi::c_char,
        ) -> core::ffi::c_int {
            // SAFETY: forwarded caller contract.
            unsafe { $crate::string::x86_64::compare::str_compare::<$V, true, false>(a.cast(), b.cast(), 0) }
        }

        /// # Safety
        /// As C `strncasecmp`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strncasecmp(
            a: *const core::ffi::c_char,
            b: *const core::ffi::c_char,
            n: usize,
        ) -> core::ffi::c_int {
            // SAFETY: forwarded caller contract.
            unsafe { $crate::string::x86_64::compare::str_compare::<$V, true, true>(a.cast(), b.cast(), n) }
        }

        /// # Safety
        /// As C `strcpy`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strcpy(
            d: *mut core::ffi::c_char,
            s: *const core::ffi::c_char,
        ) -> *mut core::ffi::c_char {
            // SAFETY: forwarded caller contract.
            unsafe { $crate::string::x86_64::compare::str_copy::<$V>(d.cast(), s.cast()) };
            d
        }

        /// # Safety
        /// As C `stpcpy`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn stpcpy(
            d: *mut core::ffi::c_char,
            s: *const core::ffi::c_char,
        ) -> *mut core::ffi::c_char {
            // SAFETY: forwarded caller contract; `len` bytes were written before the NUL.
            unsafe { d.add($crate::string::x86_64::compare::str_copy::<$V>(d.cast(), s.cast())) }
        }

        /// # Safety
        /// As C `strncpy`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strncpy(
            d: *mut core::ffi::c_char,
            s: *const core::ffi::c_char,
            n: usize,
        ) -> *mut core::ffi::c_char {
            // SAFETY: forwarded caller contract.
            unsafe { $crate::string::x86_64::compare::stpncpy::<$V>(d.cast(), s.cast(), n) };
            d
        }

        /// # Safety
        /// As C `stpncpy`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn stpncpy(
            d: *mut core::ffi::c_char,
            s: *const core::ffi::c_char,
            n: usize,
        ) -> *mut core::ffi::c_char {
            // SAFETY: forwarded caller contract.
            unsafe { $crate::string::x86_64::compare::stpncpy::<$V>(d.cast(), s.cast(), n).cast() }
        }

        /// # Safety
        /// As C `strcat`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strcat(
            d: *mut core::ffi::c_char,
            s: *const core::ffi::c_char,
        ) -> *mut core::ffi::c_char {
            // SAFETY: forwarded caller contract: `d` is a string with room for `s`.
            unsafe {
                let end = d.add($crate::string::x86_64::algo::strlen::<$V>(d.cast()));
                $crate::string::x86_64::compare::str_copy::<$V>(end.cast(), s.cast());
            }
            d
        }

        /// # Safety
        /// As C `strncat`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strncat(
            d: *mut core::ffi::c_char,
            s: *const core::ffi::c_char,
            n: usize,
        ) -> *mut core::ffi::c_char {
            // SAFETY: forwarded caller contract.
            unsafe { $crate::string::x86_64::compare::strncat::<$V>(d.cast(), s.cast(), n) };
            d
        }

        /// # Safety
        /// As C `memccpy`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn memccpy(
            d: *mut core::ffi::c_void,
            s: *const core::ffi::c_void,
            c: core::ffi::c_int,
            n: usize,
        ) -> *mut core::ffi::c_void {
            // SAFETY: forwarded caller contract.
            unsafe { $crate::string::x86_64::compare::memccpy::<$V>(d.cast(), s.cast(), c as u8, n).cast() }
        }

        /// # Safety
        /// As C `mempcpy`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn mempcpy(
            d: *mut core::ffi::c_void,
            s: *const core::ffi::c_void,
            n: usize,
        ) -> *mut core::ffi::c_void {
            // SAFETY: forwarded caller contract.
            unsafe {
                $crate::string::x86_64::algo::copy::<$V>(d.cast(), s.cast(), n);
                d.cast::<u8>().add(n).cast()
            }
        }

        /// # Safety
        /// As C `bzero`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn bzero(d: *mut core::ffi::c_void, n: usize) {
            // SAFETY: forwarded caller contract.
            unsafe { $crate::string::x86_64::algo::set::<$V>(d.cast(), 0, n) }
        }
    };
}
pub(crate) use entry_points;

/// 32-byte vectors compiled with the AVX-512 features (EVEX encodings,
/// YMM16-31, no ZMM frequency penalty): the form glibc uses for most string
/// routines. The variant tables pick it or the 64-byte form per routine.
pub mod evex256 {
    super::entry_points!("avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt", super::Ymm);
}
