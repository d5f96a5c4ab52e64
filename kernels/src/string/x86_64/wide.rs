//! x86_64 wide-character kernels: the algorithms are written once over
//! [`WideVector`] (32-bit lanes on the same XMM/YMM/ZMM types the byte
//! kernels use) and instantiated in `sse2`, `avx2` and `avx512` submodules
//! inside `#[target_feature]` entry points.
//!
//! Page safety:
//! - Scans of terminated strings (`wcslen`, `wcschr`, `wcsrchr`, `wcscpy`'s
//!   source) and of bounded buffers (`wmemchr`, `wcsnlen`) use vector-aligned
//!   loads only. An aligned vector never straddles a page, and every block
//!   loaded holds at least one element the routine may read, so no load can
//!   touch a page that holds none of the object. Lanes before the start and
//!   after `n` are masked off.
//! - The two-string comparisons (`wcscmp`, `wcsncmp`) load both strings
//!   unaligned in runs of whole vectors that end before the nearer 4 KiB
//!   page end; the last partial vector before a page end is compared with
//!   a vector that ends exactly there and overlaps elements already
//!   compared (see `first_stop`).
//! - `wmemcmp` and `wmemset` touch only the `n` elements (AVX-512 uses
//!   fault-suppressing masked loads for `wmemcmp` below 16 elements).
//!
//! Alignment: the aligned-block scans need a 4-byte aligned `wchar_t *`
//! (which valid C guarantees) so that lanes line up with elements; for a
//! misaligned pointer they call the portable variant instead.

use core::arch::x86_64::*;
use core::ffi::c_int;
use core::ptr::read_unaligned as rd;

use super::Vector;
use super::avx2::Ymm;
use super::avx512::Zmm;
use super::sse2::Xmm;
use crate::string::wide::{WChar, generic, wdiff};

/// The smallest page size on x86_64 Linux; larger pages are multiples of it.
const PAGE: usize = 4096;

/// 32-bit lane operations. Masks have bit `i` set for lane `i`.
pub(crate) trait WideVector: Vector {
    const LANES: usize = Self::BYTES / 4;

    unsafe fn splat32(c: WChar) -> Self;
    /// Lanes equal to `other`'s.
    unsafe fn eq32(self, other: Self) -> u32;
    /// Lanes different from `other`'s.
    unsafe fn ne32(self, other: Self) -> u32;
    /// Lanes that are zero.
    unsafe fn zero32(self) -> u32;
    /// Lanes equal to `c`'s or zero.
    unsafe fn eq_or_zero32(self, c: Self) -> u32;
    /// Lanes that differ from `other`'s or are zero in `self`.
    unsafe fn ne_or_zero32(self, other: Self) -> u32;
    /// Whether any lane of the four vectors is zero.
    unsafe fn any_zero32(a: Self, b: Self, c: Self, d: Self) -> bool;
    /// Stores `c` into `n < LANES` elements at `d`.
    unsafe fn set32_below(d: *mut WChar, c: WChar, n: usize);
    /// Whether any lane of the four vectors equals `c`'s or is zero.
    unsafe fn any_eq_or_zero32(a: Self, b: Self, c: Self, d: Self, cv: Self) -> bool;
    /// Whether in each of the four pairs `(a[k], b[k])` every lane of
    /// `a[k]` is nonzero and equal to `b[k]`'s (a string compare goes on).
    #[inline(always)]
    unsafe fn all_go32(a: [Self; 4], b: [Self; 4]) -> bool {
        // SAFETY: register-only operations.
        unsafe {
            let [a0, a1, a2, a3] = a;
            let [b0, b1, b2, b3] = b;
            !Self::any_zero32(a0.keep_equal32(b0), a1.keep_equal32(b1), a2.keep_equal32(b2), a3.keep_equal32(b3))
        }
    }
    /// Whether any lane of the four vectors equals `c`'s.
    #[inline(always)]
    unsafe fn any_eq32(a: Self, b: Self, c: Self, d: Self, cv: Self) -> bool {
        // SAFETY: register-only compares.
        unsafe { (a.eq32(cv) | b.eq32(cv) | c.eq32(cv) | d.eq32(cv)) != 0 }
    }
    /// `self` where it equals `other`, zero elsewhere: the zero lanes are
    /// those where a string compare stops (a difference or the end).
    unsafe fn keep_equal32(self, other: Self) -> Self;
    /// First differing element among `n < LANES`, by default through the
    /// byte-wise small compare.
    #[inline(always)]
    unsafe fn diff32_below(a: *const WChar, b: *const WChar, n: usize) -> Option<usize> {
        // SAFETY: `n * 4 < BYTES`; forwarded caller contract.
        unsafe { Self::diff_below(a.cast(), b.cast(), n * 4).map(|k| k / 4) }
    }
}

/// Fills `n < 4` elements with two overlapping 8-byte stores (or one 4-byte).
///
/// # Safety
/// `d` writable for `n` elements.
#[inline(always)]
unsafe fn set32_lt4(d: *mut WChar, c: WChar, n: usize) {
    let pair = (c as u32 as u64) * 0x1_0000_0001;
    // SAFETY: each store lies within the first `n` elements.
    unsafe {
        if n >= 2 {
            core::ptr::write_unaligned(d as *mut u64, pair);
            core::ptr::write_unaligned(d.add(n - 2) as *mut u64, pair);
        } else if n == 1 {
            core::ptr::write_unaligned(d, c);
        }
    }
}

/// # Safety
/// `4 <= n <= 8`; `d` writable for `n` elements.
#[inline(always)]
unsafe fn set32_4_8(d: *mut WChar, c: WChar, n: usize) {
    // SAFETY: both stores lie within the first `n` elements; SSE2 is baseline.
    unsafe {
        let v = _mm_set1_epi32(c);
        _mm_storeu_si128(d.cast(), v);
        _mm_storeu_si128(d.add(n - 4).cast(), v);
    }
}

/// # Safety
/// `8 <= n <= 16`; AVX enabled in the caller; `d` writable for `n` elements.
#[inline(always)]
unsafe fn set32_8_16(d: *mut WChar, c: WChar, n: usize) {
    // SAFETY: both stores lie within the first `n` elements; the caller
    // enabled AVX.
    unsafe {
        let v = _mm256_set1_epi32(c);
        _mm256_storeu_si256(d.cast(), v);
        _mm256_storeu_si256(d.add(n - 8).cast(), v);
    }
}

// SAFETY (all three impls): each method is one instruction or a short fixed
// sequence on register operands, or stores within the bounds the caller
// guarantees. They are only inlined into the `#[target_feature]` entry
// points of the matching submodule below, which dispatch reaches only on
// CPUs with those features.
impl WideVector for Xmm {
    #[inline(always)]
    unsafe fn splat32(c: WChar) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Xmm(_mm_set1_epi32(c)) }
    }
    #[inline(always)]
    unsafe fn eq32(self, other: Self) -> u32 {
        // SAFETY: see the impl comment.
        unsafe { _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(self.0, other.0))) as u32 }
    }
    #[inline(always)]
    unsafe fn ne32(self, other: Self) -> u32 {
        // SAFETY: see the impl comment.
        unsafe { !self.eq32(other) & 0xf }
    }
    #[inline(always)]
    unsafe fn zero32(self) -> u32 {
        // SAFETY: see the impl comment.
        unsafe { self.eq32(Xmm(_mm_setzero_si128())) }
    }
    #[inline(always)]
    unsafe fn eq_or_zero32(self, c: Self) -> u32 {
        // SAFETY: see the impl comment.
        unsafe {
            let hit = _mm_or_si128(_mm_cmpeq_epi32(self.0, c.0), _mm_cmpeq_epi32(self.0, _mm_setzero_si128()));
            _mm_movemask_ps(_mm_castsi128_ps(hit)) as u32
        }
    }
    #[inline(always)]
    unsafe fn ne_or_zero32(self, other: Self) -> u32 {
        // SAFETY: see the impl comment.
        unsafe {
            // Lanes that are equal and nonzero, inverted.
            let go = _mm_andnot_si128(_mm_cmpeq_epi32(self.0, _mm_setzero_si128()), _mm_cmpeq_epi32(self.0, other.0));
            !(_mm_movemask_ps(_mm_castsi128_ps(go)) as u32) & 0xf
        }
    }
    #[inline(always)]
    unsafe fn any_zero32(a: Self, b: Self, c: Self, d: Self) -> bool {
        // SAFETY: see the impl comment.
        unsafe {
            let z = _mm_setzero_si128();
            let ab = _mm_or_si128(_mm_cmpeq_epi32(a.0, z), _mm_cmpeq_epi32(b.0, z));
            let cd = _mm_or_si128(_mm_cmpeq_epi32(c.0, z), _mm_cmpeq_epi32(d.0, z));
            _mm_movemask_epi8(_mm_or_si128(ab, cd)) != 0
        }
    }
    #[inline(always)]
    unsafe fn set32_below(d: *mut WChar, c: WChar, n: usize) {
        // SAFETY: `n < 4`, forwarded caller contract.
        unsafe { set32_lt4(d, c, n) }
    }
    #[inline(always)]
    unsafe fn any_eq_or_zero32(a: Self, b: Self, c: Self, d: Self, cv: Self) -> bool {
        // SAFETY: see the impl comment.
        unsafe {
            let z = _mm_setzero_si128();
            let hit = |v: Xmm| _mm_or_si128(_mm_cmpeq_epi32(v.0, cv.0), _mm_cmpeq_epi32(v.0, z));
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(hit(a), hit(b)), _mm_or_si128(hit(c), hit(d)))) != 0
        }
    }
    #[inline(always)]
    unsafe fn keep_equal32(self, other: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Xmm(_mm_and_si128(self.0, _mm_cmpeq_epi32(self.0, other.0))) }
    }
}

impl WideVector for Ymm {
    #[inline(always)]
    unsafe fn splat32(c: WChar) -> Self {
        // SAFETY: see the impl comment above `impl WideVector for Xmm`.
        unsafe { Ymm(_mm256_set1_epi32(c)) }
    }
    #[inline(always)]
    unsafe fn eq32(self, other: Self) -> u32 {
        // SAFETY: as above.
        unsafe { _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(self.0, other.0))) as u32 }
    }
    #[inline(always)]
    unsafe fn ne32(self, other: Self) -> u32 {
        // SAFETY: as above.
        unsafe { !self.eq32(other) & 0xff }
    }
    #[inline(always)]
    unsafe fn zero32(self) -> u32 {
        // SAFETY: as above.
        unsafe { self.eq32(Ymm(_mm256_setzero_si256())) }
    }
    #[inline(always)]
    unsafe fn eq_or_zero32(self, c: Self) -> u32 {
        // SAFETY: as above.
        unsafe {
            let z = _mm256_cmpeq_epi32(self.0, _mm256_setzero_si256());
            let hit = _mm256_or_si256(_mm256_cmpeq_epi32(self.0, c.0), z);
            _mm256_movemask_ps(_mm256_castsi256_ps(hit)) as u32
        }
    }
    #[inline(always)]
    unsafe fn ne_or_zero32(self, other: Self) -> u32 {
        // SAFETY: as above.
        unsafe {
            let z = _mm256_cmpeq_epi32(self.0, _mm256_setzero_si256());
            let go = _mm256_andnot_si256(z, _mm256_cmpeq_epi32(self.0, other.0));
            !(_mm256_movemask_ps(_mm256_castsi256_ps(go)) as u32) & 0xff
        }
    }
    #[inline(always)]
    unsafe fn any_zero32(a: Self, b: Self, c: Self, d: Self) -> bool {
        // SAFETY: as above.
        unsafe {
            let m = _mm256_min_epu32(_mm256_min_epu32(a.0, b.0), _mm256_min_epu32(c.0, d.0));
            _mm256_movemask_epi8(_mm256_cmpeq_epi32(m, _mm256_setzero_si256())) != 0
        }
    }
    #[inline(always)]
    unsafe fn set32_below(d: *mut WChar, c: WChar, n: usize) {
        // SAFETY: `n < 8` picks the helper whose range holds `n`.
        unsafe {
            if n >= 4 { set32_4_8(d, c, n) } else { set32_lt4(d, c, n) }
        }
    }
    #[inline(always)]
    unsafe fn any_eq_or_zero32(a: Self, b: Self, c: Self, d: Self, cv: Self) -> bool {
        // SAFETY: as above. A lane of `min(v ^ c, v)` is zero exactly when
        // `v == c` or `v == 0`.
        unsafe {
            let f = |v: Ymm| _mm256_min_epu32(_mm256_xor_si256(v.0, cv.0), v.0);
            let m = _mm256_min_epu32(_mm256_min_epu32(f(a), f(b)), _mm256_min_epu32(f(c), f(d)));
            _mm256_movemask_epi8(_mm256_cmpeq_epi32(m, _mm256_setzero_si256())) != 0
        }
    }
    #[inline(always)]
    unsafe fn keep_equal32(self, other: Self) -> Self {
        // SAFETY: as above.
        unsafe { Ymm(_mm256_and_si256(self.0, _mm256_cmpeq_epi32(self.0, other.0))) }
    }
}

impl WideVector for Zmm {
    #[inline(always)]
    unsafe fn splat32(c: WChar) -> Self {
        // SAFETY: see the impl comment above `impl WideVector for Xmm`.
        unsafe { Zmm(_mm512_set1_epi32(c)) }
    }
    #[inline(always)]
    unsafe fn eq32(self, other: Self) -> u32 {
        // SAFETY: as above.
        unsafe { _mm512_cmpeq_epi32_mask(self.0, other.0) as u32 }
    }
    #[inline(always)]
    unsafe fn ne32(self, other: Self) -> u32 {
        // SAFETY: as above.
        unsafe { _mm512_cmpneq_epi32_mask(self.0, other.0) as u32 }
    }
    #[inline(always)]
    unsafe fn zero32(self) -> u32 {
        // SAFETY: as above.
        unsafe { _mm512_testn_epi32_mask(self.0, self.0) as u32 }
    }
    #[inline(always)]
    unsafe fn eq_or_zero32(self, c: Self) -> u32 {
        // SAFETY: as above.
        unsafe { (_mm512_cmpeq_epi32_mask(self.0, c.0) | _mm512_testn_epi32_mask(self.0, self.0)) as u32 }
    }
    #[inline(always)]
    unsafe fn ne_or_zero32(self, other: Self) -> u32 {
        // SAFETY: as above.
        unsafe { (_mm512_cmpneq_epi32_mask(self.0, other.0) | _mm512_testn_epi32_mask(self.0, self.0)) as u32 }
    }
    #[inline(always)]
    unsafe fn any_zero32(a: Self, b: Self, c: Self, d: Self) -> bool {
        // SAFETY: as above.
        unsafe {
            let m = _mm512_min_epu32(_mm512_min_epu32(a.0, b.0), _mm512_min_epu32(c.0, d.0));
            _mm512_testn_epi32_mask(m, m) != 0
        }
    }
    #[inline(always)]
    unsafe fn set32_below(d: *mut WChar, c: WChar, n: usize) {
        // SAFETY: `n < 16` picks the helper whose range holds `n`; the
        // AVX-512 entry points enable AVX.
        unsafe {
            if n >= 8 {
                set32_8_16(d, c, n)
            } else if n >= 4 {
                set32_4_8(d, c, n)
            } else {
                set32_lt4(d, c, n)
            }
        }
    }
    #[inline(always)]
    unsafe fn any_eq_or_zero32(a: Self, b: Self, c: Self, d: Self, cv: Self) -> bool {
        // SAFETY: as above. The minimum of the four is zero where one has
        // a zero lane, that of their xors with `c` where one matches; two
        // mask tests instead of a seventh `min` (`vpminud` is the scarce
        // unit here).
        unsafe {
            let x = |v: Zmm| _mm512_xor_si512(v.0, cv.0);
            let z = _mm512_min_epu32(_mm512_min_epu32(a.0, b.0), _mm512_min_epu32(c.0, d.0));
            let e = _mm512_min_epu32(_mm512_min_epu32(x(a), x(b)), _mm512_min_epu32(x(c), x(d)));
            (_mm512_testn_epi32_mask(z, z) | _mm512_testn_epi32_mask(e, e)) != 0
        }
    }
    #[inline(always)]
    unsafe fn keep_equal32(self, other: Self) -> Self {
        // SAFETY: as above.
        unsafe { Zmm(_mm512_maskz_mov_epi32(_mm512_cmpeq_epi32_mask(self.0, other.0), self.0)) }
    }
    #[inline(always)]
    unsafe fn all_go32(a: [Self; 4], b: [Self; 4]) -> bool {
        // SAFETY: as above. The or of the pairs' xors must be zero, and
        // the minimum of `a`'s lanes nonzero: vector ops and two mask tests.
        unsafe {
            let [Zmm(a0), Zmm(a1), Zmm(a2), Zmm(a3)] = a;
            let [Zmm(b0), Zmm(b1), Zmm(b2), Zmm(b3)] = b;
            // 0xbe: (A ^ B) | C.
            let x01 = _mm512_ternarylogic_epi32(a0, b0, _mm512_xor_si512(a1, b1), 0xbe);
            let x23 = _mm512_ternarylogic_epi32(a2, b2, _mm512_xor_si512(a3, b3), 0xbe);
            let x = _mm512_or_si512(x01, x23);
            let za = _mm512_min_epu32(_mm512_min_epu32(a0, a1), _mm512_min_epu32(a2, a3));
            (_mm512_testn_epi32_mask(za, za) | _mm512_test_epi32_mask(x, x)) == 0
        }
    }
    #[inline(always)]
    unsafe fn any_eq32(a: Self, b: Self, c: Self, d: Self, cv: Self) -> bool {
        // SAFETY: as above. A lane of `v ^ c` is zero exactly where `v == c`;
        // vector ops and one mask test are cheaper here than four compares
        // into masks and their combination.
        unsafe {
            let x = |v: Zmm| _mm512_xor_si512(v.0, cv.0);
            let m = _mm512_min_epu32(_mm512_min_epu32(x(a), x(b)), _mm512_min_epu32(x(c), x(d)));
            _mm512_testn_epi32_mask(m, m) != 0
        }
    }
    #[inline(always)]
    unsafe fn diff32_below(a: *const WChar, b: *const WChar, n: usize) -> Option<usize> {
        // SAFETY: masked-off lanes of an AVX-512 masked load are not
        // accessed and cannot fault; the `n < 16` lanes kept are readable.
        unsafe {
            let k = low_bits(n) as __mmask16;
            let m = _mm512_mask_cmpneq_epi32_mask(
                k,
                _mm512_maskz_loadu_epi32(k, a.cast()),
                _mm512_maskz_loadu_epi32(k, b.cast()),
            );
            if m != 0 { Some(m.trailing_zeros() as usize) } else { None }
        }
    }
}

/// A mask with the low `n <= 31` bits set.
#[inline(always)]
const fn low_bits(n: usize) -> u32 {
    (1u32 << n) - 1
}

#[inline(always)]
fn misaligned(p: *const WChar) -> bool {
    p as usize & 3 != 0
}

/// The highest set bit's index.
#[inline(always)]
const fn top(m: u32) -> usize {
    31 - m.leading_zeros() as usize
}

/// `wcslen`.
///
/// # Safety
/// As C `wcslen`.
#[inline(always)]
unsafe fn wcslen<V: WideVector>(s: *const WChar) -> usize {
    if misaligned(s) {
        // SAFETY: forwarded caller contract.
        return unsafe { generic::wcslen(s) };
    }
    let w = V::BYTES;
    let start = s as usize;
    let off = start & (w - 1);
    // SAFETY: all loads are `w`-aligned and start at or before `s` in its
    // page; each block is loaded only while the string has not ended before
    // it, so each shares a page with an element of the string.
    unsafe {
        let mut p = (s as *const u8).sub(off);
        let m = V::load_aligned(p).zero32() >> (off / 4);
        if m != 0 {
            return m.trailing_zeros() as usize;
        }
        p = p.add(w);
        while (p as usize) & (4 * w - 1) != 0 {
            let m = V::load_aligned(p).zero32();
            if m != 0 {
                return (p as usize - start) / 4 + m.trailing_zeros() as usize;
            }
            p = p.add(w);
        }
        loop {
            let v0 = V::load_aligned(p);
            let v1 = V::load_aligned(p.add(w));
            let v2 = V::load_aligned(p.add(2 * w));
            let v3 = V::load_aligned(p.add(3 * w));
            if V::any_zero32(v0, v1, v2, v3) {
                for (k, v) in [v0, v1, v2, v3].into_iter().enumerate() {
                    let m = v.zero32();
                    if m != 0 {
                        return (p as usize - start + k * w) / 4 + m.trailing_zeros() as usize;
                    }
                }
            }
            p = p.add(4 * w);
        }
    }
}

/// Index of the first element equal to `c` among `n > 0` elements.
///
/// # Safety
/// `s` 4-byte aligned and readable for `n` elements (or up to the match).
#[inline(always)]
unsafe fn find32<V: WideVector>(s: *const WChar, c: WChar, n: usize) -> Option<usize> {
    let w = V::BYTES;
    let lanes = V::LANES;
    let off = s as usize & (w - 1);
    let first = |m: u32, base: usize| if m != 0 { Some(base + m.trailing_zeros() as usize) } else { None };
    // SAFETY: every load is `w`-aligned (so within one page) and its block
    // starts at element index below `n` or holds `s[0]`; the unrolled loop's
    // four blocks are `4w`-aligned together, so they share the page of the
    // first, which the scan may read. Each block thus shares a page with an
    // element the caller allows us to read. Lanes outside `[0, n)` are
    // masked off.
    unsafe {
        let cv = V::splat32(c);
        let mut p = (s as *const u8).sub(off);
        let m = V::load_aligned(p).eq32(cv) >> (off / 4);
        let avail = lanes - off / 4;
        if n <= avail {
            return first(m & low_bits(n), 0);
        }
        if m != 0 {
            return first(m, 0);
        }
        let mut i = avail;
        p = p.add(w);
        // Single blocks up to a `4w` boundary, so that the four blocks of
        // the unrolled loop lie in one page: a match (which ends the
        // caller's right to read) may come before the last of them.
        while (p as usize) & (4 * w - 1) != 0 && n - i > lanes {
            let m = V::load_aligned(p).eq32(cv);
            if m != 0 {
                return first(m, i);
            }
            i += lanes;
            p = p.add(w);
        }
        while n - i > 4 * lanes {
            let (v0, v1) = (V::load_aligned(p), V::load_aligned(p.add(w)));
            let (v2, v3) = (V::load_aligned(p.add(2 * w)), V::load_aligned(p.add(3 * w)));
            if V::any_eq32(v0, v1, v2, v3, cv) {
                let (m0, m1, m2, m3) = (v0.eq32(cv), v1.eq32(cv), v2.eq32(cv), v3.eq32(cv));
                let all = m0 as u64 | (m1 as u64) << lanes | (m2 as u64) << (2 * lanes) | (m3 as u64) << (3 * lanes);
                return Some(i + all.trailing_zeros() as usize);
            }
            i += 4 * lanes;
            p = p.add(4 * w);
        }
        while n - i > lanes {
            let m = V::load_aligned(p).eq32(cv);
            if m != 0 {
                return first(m, i);
            }
            i += lanes;
            p = p.add(w);
        }
        first(V::load_aligned(p).eq32(cv) & low_bits(n - i), i)
    }
}

/// `wmemchr`.
///
/// # Safety
/// As C `wmemchr`.
#[inline(always)]
unsafe fn wmemchr<V: WideVector>(s: *const WChar, c: WChar, n: usize) -> *mut WChar {
    if n == 0 {
        return core::ptr::null_mut();
    }
    if misaligned(s) {
        // SAFETY: forwarded caller contract.
        return unsafe { generic::wmemchr(s, c, n) };
    }
    // SAFETY: forwarded caller contract; `i < n`.
    unsafe {
        match find32::<V>(s, c, n) {
            Some(i) => s.add(i) as *mut WChar,
            None => core::ptr::null_mut(),
        }
    }
}

/// `wcsnlen`.
///
/// # Safety
/// As C `wcsnlen`.
#[inline(always)]
unsafe fn wcsnlen<V: WideVector>(s: *const WChar, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    if misaligned(s) {
        // SAFETY: forwarded caller contract.
        return unsafe { generic::wcsnlen(s, n) };
    }
    // SAFETY: forwarded caller contract.
    unsafe { find32::<V>(s, 0, n).unwrap_or(n) }
}

/// `wcschr`: the first element equal to `c`, or null if the terminator
/// comes first; `c == 0` finds the terminator.
///
/// # Safety
/// As C `wcschr`.
#[inline(always)]
unsafe fn wcschr<V: WideVector>(s: *const WChar, c: WChar) -> *mut WChar {
    if misaligned(s) {
        // SAFETY: forwarded caller contract.
        return unsafe { generic::wcschr(s, c) };
    }
    let w = V::BYTES;
    let off = s as usize & (w - 1);
    // SAFETY: aligned loads as in `wcslen`: each block (or `4w`-aligned
    // group of four, which shares one page) is loaded only while no
    // terminator came before it. `hit` reads an element at or before the
    // terminator.
    unsafe {
        let hit = |q: *const WChar| if *q == c { q as *mut WChar } else { core::ptr::null_mut() };
        let cv = V::splat32(c);
        let mut p = (s as *const u8).sub(off);
        let m = V::load_aligned(p).eq_or_zero32(cv) >> (off / 4);
        if m != 0 {
            return hit(s.add(m.trailing_zeros() as usize));
        }
        p = p.add(w);
        while (p as usize) & (4 * w - 1) != 0 {
            let m = V::load_aligned(p).eq_or_zero32(cv);
            if m != 0 {
                return hit(p.cast::<WChar>().add(m.trailing_zeros() as usize));
            }
            p = p.add(w);
        }
        // Four blocks at a time, `4w`-aligned together (so in one page).
        loop {
            let v0 = V::load_aligned(p);
            let v1 = V::load_aligned(p.add(w));
            let v2 = V::load_aligned(p.add(2 * w));
            let v3 = V::load_aligned(p.add(3 * w));
            if V::any_eq_or_zero32(v0, v1, v2, v3, cv) {
                for (k, v) in [v0, v1, v2, v3].into_iter().enumerate() {
                    let m = v.eq_or_zero32(cv);
                    if m != 0 {
                        return hit(p.add(k * w).cast::<WChar>().add(m.trailing_zeros() as usize));
                    }
                }
            }
            p = p.add(4 * w);
        }
    }
}

/// `wcsrchr`: the last element equal to `c` before the terminator, or the
/// terminator itself when `c == 0`.
///
/// # Safety
/// As C `wcsrchr`.
#[inline(always)]
unsafe fn wcsrchr<V: WideVector>(s: *const WChar, c: WChar) -> *mut WChar {
    if misaligned(s) {
        // SAFETY: forwarded caller contract.
        return unsafe { generic::wcsrchr(s, c) };
    }
    let w = V::BYTES;
    let off = s as usize & (w - 1);
    // One block at `q` whose zero and match lanes are `z` and `e`: the
    // answer if the string ends in it, else `last` updated.
    #[inline(always)]
    unsafe fn block(q: *const u8, z: u32, e: u32, last: &mut *mut WChar) -> Option<*mut WChar> {
        // SAFETY: lane indices lie within the block at `q`.
        unsafe {
            if z != 0 {
                // Matches up to and including the terminator's lane.
                let e = e & (z ^ (z - 1));
                return Some(if e != 0 { q.cast::<WChar>().add(top(e)) as *mut WChar } else { *last });
            }
            if e != 0 {
                *last = q.cast::<WChar>().add(top(e)) as *mut WChar;
            }
            None
        }
    }
    // SAFETY: aligned loads as in `wcslen` (pairs of blocks are `2w`-aligned
    // together, so in one page); matches are only taken at or before the
    // terminator.
    unsafe {
        let cv = V::splat32(c);
        let mut last: *mut WChar = core::ptr::null_mut();
        let mut p = (s as *const u8).sub(off);
        let v = V::load_aligned(p);
        let valid = !low_bits(off / 4);
        if let Some(r) = block(p, v.zero32() & valid, v.eq32(cv) & valid, &mut last) {
            return r;
        }
        p = p.add(w);
        if (p as usize) & (2 * w - 1) != 0 {
            let v = V::load_aligned(p);
            if let Some(r) = block(p, v.zero32(), v.eq32(cv), &mut last) {
                return r;
            }
            p = p.add(w);
        }
        loop {
            let (v0, v1) = (V::load_aligned(p), V::load_aligned(p.add(w)));
            let (z0, z1) = (v0.zero32(), v1.zero32());
            let (e0, e1) = (v0.eq32(cv), v1.eq32(cv));
            if (z0 | z1) != 0 {
                if let Some(r) = block(p, z0, e0, &mut last) {
                    return r;
                }
                if let Some(r) = block(p.add(w), z1, e1, &mut last) {
                    return r;
                }
            }
            if e1 != 0 {
                last = p.add(w).cast::<WChar>().add(top(e1)) as *mut WChar;
            } else if e0 != 0 {
                last = p.cast::<WChar>().add(top(e0)) as *mut WChar;
            }
            p = p.add(2 * w);
        }
    }
}

/// Bytes from `p` to the end of its 4 KiB page (4..=4096 for an
/// element-aligned `p`).
#[inline(always)]
fn page_room(p: *const WChar) -> usize {
    PAGE - (p as usize & (PAGE - 1))
}

/// The first lane in `[lo, lanes)` of the vectors at `a + at` and `b + at`
/// whose elements differ or where `a`'s is zero, as an element index.
///
/// # Safety
/// Both vectors readable.
#[inline(always)]
unsafe fn stop_in<V: WideVector>(a: *const WChar, b: *const WChar, at: usize, lo: usize) -> Option<usize> {
    // SAFETY: forwarded caller contract.
    let m = unsafe { V::load(a.add(at).cast()).ne_or_zero32(V::load(b.add(at).cast())) } & !low_bits(lo);
    if m != 0 { Some(at + m.trailing_zeros() as usize) } else { None }
}

/// The first index below `limit` where the strings differ or `a` ends, or
/// `None` if there is none. `limit == usize::MAX` for an unbounded compare.
///
/// The strings are walked together with unaligned loads. Before each run
/// the distance to the nearer page end (of either string) gives how many
/// whole vectors may be loaded with no check. When less than a vector is
/// left before a page end, the `r` elements up to it are compared with one
/// vector that ends exactly at the page end and starts `lanes - r`
/// elements back, in elements already compared (or one element at a time
/// at the very start, where there is nothing before).
///
/// # Safety
/// Both element-aligned and readable up to the first difference, `a`'s
/// terminator or `limit`, whichever comes first.
#[inline(always)]
unsafe fn first_stop<V: WideVector>(a: *const WChar, b: *const WChar, limit: usize) -> Option<usize> {
    let w = V::BYTES;
    let lanes = V::LANES;
    // SAFETY: element `i` is only reached when every element before it was
    // equal and nonzero in both, and `i < limit`, so it is readable. The
    // unchecked runs load whole vectors that end at or before the nearer
    // page end, so each lies in a page holding element `i` of its string.
    // The back-shifted vector ends at a page end, at or beyond element `i`,
    // and starts at element `i + r - lanes >= 0`, which was readable.
    // Lanes at or beyond `limit` may be loaded (in those same pages) but
    // are never reported.
    unsafe {
        let mut i = 0;
        loop {
            let rem = limit - i;
            if rem == 0 {
                return None;
            }
            let room = page_room(a.add(i)).min(page_room(b.add(i)));
            if room < w {
                let r = (room / 4).min(rem);
                if i >= lanes {
                    let at = i + r - lanes;
                    if let Some(k) = stop_in::<V>(a, b, at, lanes - r) {
                        return Some(k);
                    }
                } else {
                    for k in i..i + r {
                        let (x, y) = (*a.add(k), *b.add(k));
                        if x != y || x == 0 {
                            return Some(k);
                        }
                    }
                }
                i += r;
                continue;
            }
            let vectors = room / w;
            let whole = vectors.min(rem / lanes);
            let mut v = 0;
            // One vector first: short strings end in it.
            if whole > 0 {
                if let Some(k) = stop_in::<V>(a, b, i, 0) {
                    return Some(k);
                }
                i += lanes;
                // Then step back to where `a`'s loads are vector-aligned
                // (within the elements just compared), so that only `b`'s
                // loads can split cache lines; the run is re-planned from
                // there.
                let skew = (a.add(i) as usize & (w - 1)) / 4;
                if skew != 0 {
                    i -= skew;
                    continue;
                }
                v = 1;
            }
            while v + 4 <= whole {
                let (pa, pb) = (a.add(i), b.add(i));
                let va = [
                    V::load(pa.cast()),
                    V::load(pa.add(lanes).cast()),
                    V::load(pa.add(2 * lanes).cast()),
                    V::load(pa.add(3 * lanes).cast()),
                ];
                let vb = [
                    V::load(pb.cast()),
                    V::load(pb.add(lanes).cast()),
                    V::load(pb.add(2 * lanes).cast()),
                    V::load(pb.add(3 * lanes).cast()),
                ];
                if !V::all_go32(va, vb) {
                    for k in 0..4 {
                        let m = va[k].ne_or_zero32(vb[k]);
                        if m != 0 {
                            return Some(i + k * lanes + m.trailing_zeros() as usize);
                        }
                    }
                }
                i += 4 * lanes;
                v += 4;
            }
            while v < whole {
                if let Some(k) = stop_in::<V>(a, b, i, 0) {
                    return Some(k);
                }
                i += lanes;
                v += 1;
            }
            if whole < vectors {
                // Fewer than `lanes` elements left before `limit`, and a
                // whole vector fits before the page end: one masked look.
                let rem = limit - i;
                if rem == 0 {
                    return None;
                }
                let m = V::load(a.add(i).cast()).ne_or_zero32(V::load(b.add(i).cast())) & low_bits(rem);
                return if m != 0 { Some(i + m.trailing_zeros() as usize) } else { None };
            }
        }
    }
}

/// `wcscmp`, with the saturating difference ([`wdiff`]).
///
/// # Safety
/// As C `wcscmp`.
#[inline(always)]
unsafe fn wcscmp<V: WideVector>(a: *const WChar, b: *const WChar) -> c_int {
    if misaligned(a) || misaligned(b) {
        // SAFETY: forwarded caller contract.
        return unsafe { generic::wcscmp(a, b) };
    }
    // SAFETY: forwarded caller contract; a stop is always found (at the
    // terminator at the latest), and `k` is readable in both.
    unsafe {
        match first_stop::<V>(a, b, usize::MAX) {
            Some(k) => wdiff(*a.add(k), *b.add(k)),
            None => 0,
        }
    }
}

/// `wcsncmp`, with the saturating difference ([`wdiff`]).
///
/// # Safety
/// As C `wcsncmp`.
#[inline(always)]
unsafe fn wcsncmp<V: WideVector>(a: *const WChar, b: *const WChar, n: usize) -> c_int {
    if misaligned(a) || misaligned(b) {
        // SAFETY: forwarded caller contract.
        return unsafe { generic::wcsncmp(a, b, n) };
    }
    // SAFETY: forwarded caller contract; `k < n` is readable in both.
    unsafe {
        match first_stop::<V>(a, b, n) {
            Some(k) => wdiff(*a.add(k), *b.add(k)),
            None => 0,
        }
    }
}

/// `wmemcmp`, with the saturating difference ([`wdiff`]). Works for any
/// alignment: it only makes unaligned loads within the `n` elements.
///
/// # Safety
/// As C `wmemcmp`.
#[inline(always)]
unsafe fn wmemcmp<V: WideVector>(a: *const WChar, b: *const WChar, n: usize) -> c_int {
    let lanes = V::LANES;
    let w = V::BYTES;
    let (ab, bb) = (a as *const u8, b as *const u8);
    // SAFETY: every load lies within the first `n` elements; element reads
    // use unaligned loads at an index below `n`.
    unsafe {
        let at = |i: usize| wdiff(rd(a.add(i)), rd(b.add(i)));
        if n < lanes {
            return match V::diff32_below(a, b, n) {
                Some(k) => at(k),
                None => 0,
            };
        }
        let mut i = 0;
        // Long inputs: compare one vector, then continue from where `a`'s
        // loads are vector-aligned (within the elements just compared), so
        // that only `b`'s loads can split cache lines.
        let skew = (ab as usize & (w - 1)) / 4;
        if n >= 5 * lanes && ab as usize & 3 == 0 && skew != 0 {
            let m = V::load(ab).ne32(V::load(bb));
            if m != 0 {
                return at(m.trailing_zeros() as usize);
            }
            i = lanes - skew;
        }
        while n - i >= 4 * lanes {
            // One test for four vector pairs: the or of their xors.
            let o = i * 4;
            let (a0, b0) = (V::load(ab.add(o)), V::load(bb.add(o)));
            let (a1, b1) = (V::load(ab.add(o + w)), V::load(bb.add(o + w)));
            let (a2, b2) = (V::load(ab.add(o + 2 * w)), V::load(bb.add(o + 2 * w)));
            let (a3, b3) = (V::load(ab.add(o + 3 * w)), V::load(bb.add(o + 3 * w)));
            let x = V::xor_or(a0, b0, a1, b1);
            let y = V::xor_or(a2, b2, a3, b3);
            if !V::xor_or(x, V::splat(0), y, V::splat(0)).is_zero() {
                for (k, (va, vb)) in [(a0, b0), (a1, b1), (a2, b2), (a3, b3)].into_iter().enumerate() {
                    let m = va.ne32(vb);
                    if m != 0 {
                        return at(i + k * lanes + m.trailing_zeros() as usize);
                    }
                }
            }
            i += 4 * lanes;
        }
        while n - i >= lanes {
            let m = V::load(ab.add(i * 4)).ne32(V::load(bb.add(i * 4)));
            if m != 0 {
                return at(i + m.trailing_zeros() as usize);
            }
            i += lanes;
        }
        if i < n {
            let t = n - lanes;
            let m = V::load(ab.add(t * 4)).ne32(V::load(bb.add(t * 4)));
            if m != 0 {
                return at(t + m.trailing_zeros() as usize);
            }
        }
        0
    }
}

/// `wmemset`. Works for any alignment of `d`.
///
/// # Safety
/// As C `wmemset`.
#[inline(always)]
unsafe fn wmemset<V: WideVector>(d: *mut WChar, c: WChar, n: usize) -> *mut WChar {
    let lanes = V::LANES;
    let w = V::BYTES;
    // SAFETY: every store lies within the first `n` elements, at byte
    // offsets that are multiples of 4 so the pattern lines up.
    unsafe {
        if n < lanes {
            V::set32_below(d, c, n);
            return d;
        }
        let v = V::splat32(c);
        let db = d as *mut u8;
        let bytes = n * 4;
        if n <= 2 * lanes {
            v.store(db);
            v.store(db.add(bytes - w));
            return d;
        }
        if n <= 4 * lanes {
            v.store(db);
            v.store(db.add(w));
            v.store(db.add(bytes - 2 * w));
            v.store(db.add(bytes - w));
            return d;
        }
        v.store(db);
        // Align the loop's stores when `d` is element-aligned.
        let mut i = if misaligned(d) { w } else { w - (db as usize & (w - 1)) };
        while bytes - i > 4 * w {
            v.store(db.add(i));
            v.store(db.add(i + w));
            v.store(db.add(i + 2 * w));
            v.store(db.add(i + 3 * w));
            i += 4 * w;
        }
        while bytes - i > w {
            v.store(db.add(i));
            i += w;
        }
        v.store(db.add(bytes - w));
        d
    }
}

/// Copies `n <= BYTES` bytes.
///
/// # Safety
/// `s` readable and `d` writable for `n` bytes.
#[inline(always)]
unsafe fn copy_upto<V: WideVector>(d: *mut u8, s: *const u8, n: usize) {
    // SAFETY: forwarded caller contract.
    unsafe {
        if n == V::BYTES { V::load(s).store(d) } else { V::copy_below(d, s, n) }
    }
}

/// `wcscpy`: scans the source with aligned loads (as `wcslen`) and copies
/// whole blocks as it goes; the head and the final partial block are copied
/// with unaligned accesses inside the string.
///
/// # Safety
/// As C `wcscpy`.
#[inline(always)]
unsafe fn wcscpy<V: WideVector>(d: *mut WChar, s: *const WChar) -> *mut WChar {
    if misaligned(s) {
        // SAFETY: forwarded caller contract.
        return unsafe { generic::wcscpy(d, s) };
    }
    let w = V::BYTES;
    let off = s as usize & (w - 1);
    let (db, sb) = (d as *mut u8, s as *const u8);
    // SAFETY: source loads are aligned blocks reached only while the string
    // has not ended, as in `wcslen`. Unaligned source loads and all stores
    // lie within the `end` bytes of the string and its terminator: the head
    // `[0, w)` only once `end > w`, the tail `[end - w, end)`, and block
    // stores at offsets below the terminator's block.
    unsafe {
        let mut p = sb.sub(off);
        let m = V::load_aligned(p).zero32() >> (off / 4);
        if m != 0 {
            copy_upto::<V>(db, sb, (m.trailing_zeros() as usize + 1) * 4);
            return d;
        }
        p = p.add(w);
        let mut blk = w - off;
        let v = V::load_aligned(p);
        let m = v.zero32();
        if m != 0 {
            let end = blk + (m.trailing_zeros() as usize + 1) * 4;
            if end <= w {
                copy_upto::<V>(db, sb, end);
            } else {
                V::load(sb).store(db);
                V::load(sb.add(end - w)).store(db.add(end - w));
            }
            return d;
        }
        V::load(sb).store(db);
        v.store(db.add(blk));
        loop {
            p = p.add(w);
            blk += w;
            let v = V::load_aligned(p);
            let m = v.zero32();
            if m != 0 {
                let end = blk + (m.trailing_zeros() as usize + 1) * 4;
                V::load(sb.add(end - w)).store(db.add(end - w));
                return d;
            }
            v.store(db.add(blk));
        }
    }
}

/// Entry points of one ISA: the C signatures, compiled with its features.
macro_rules! wide_entry_points {
    ($features:literal, $V:ty) => {
        use core::ffi::c_int;

        use crate::string::wide::WChar;

        /// # Safety
        /// As C `wcslen`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn wcslen(s: *const WChar) -> usize {
            // SAFETY: forwarded caller contract.
            unsafe { super::wcslen::<$V>(s) }
        }

        /// # Safety
        /// As C `wcsnlen`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn wcsnlen(s: *const WChar, n: usize) -> usize {
            // SAFETY: forwarded caller contract.
            unsafe { super::wcsnlen::<$V>(s, n) }
        }

        /// # Safety
        /// As C `wcschr`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn wcschr(s: *const WChar, c: WChar) -> *mut WChar {
            // SAFETY: forwarded caller contract.
            unsafe { super::wcschr::<$V>(s, c) }
        }

        /// # Safety
        /// As C `wcsrchr`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn wcsrchr(s: *const WChar, c: WChar) -> *mut WChar {
            // SAFETY: forwarded caller contract.
            unsafe { super::wcsrchr::<$V>(s, c) }
        }

        /// # Safety
        /// As C `wcscmp`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn wcscmp(a: *const WChar, b: *const WChar) -> c_int {
            // SAFETY: forwarded caller contract.
            unsafe { super::wcscmp::<$V>(a, b) }
        }

        /// # Safety
        /// As C `wcsncmp`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn wcsncmp(a: *const WChar, b: *const WChar, n: usize) -> c_int {
            // SAFETY: forwarded caller contract.
            unsafe { super::wcsncmp::<$V>(a, b, n) }
        }

        /// # Safety
        /// As C `wmemchr`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn wmemchr(s: *const WChar, c: WChar, n: usize) -> *mut WChar {
            // SAFETY: forwarded caller contract.
            unsafe { super::wmemchr::<$V>(s, c, n) }
        }

        /// # Safety
        /// As C `wmemcmp`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn wmemcmp(a: *const WChar, b: *const WChar, n: usize) -> c_int {
            // SAFETY: forwarded caller contract.
            unsafe { super::wmemcmp::<$V>(a, b, n) }
        }

        /// # Safety
        /// As C `wmemset`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn wmemset(d: *mut WChar, c: WChar, n: usize) -> *mut WChar {
            // SAFETY: forwarded caller contract.
            unsafe { super::wmemset::<$V>(d, c, n) }
        }

        /// # Safety
        /// As C `wcscpy`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn wcscpy(d: *mut WChar, s: *const WChar) -> *mut WChar {
            // SAFETY: forwarded caller contract.
            unsafe { super::wcscpy::<$V>(d, s) }
        }
    };
}

/// SSE2 (baseline): 4 lanes per XMM vector.
pub mod sse2 {
    wide_entry_points!("sse2", super::Xmm);
}

/// AVX2: 8 lanes per YMM vector.
pub mod avx2 {
    wide_entry_points!("avx2,bmi1,bmi2,popcnt", super::Ymm);
}

/// AVX-512 F/BW/VL: 16 lanes per ZMM vector, compares into mask registers.
/// The entry points are the generic kernels over [`Zmm`], except that the
/// scans and string compares first look at a head of up to [`HEAD`]
/// elements with unaligned loads (see [`z`]).
pub mod avx512 {
    use core::ffi::c_int;

    use super::{Zmm, z};
    use crate::string::wide::WChar;

    /// # Safety
    /// As C `wcslen`; the CPU must support AVX-512 F/BW/VL, AVX2 and BMI2.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt")]
    pub unsafe extern "C" fn wcslen(s: *const WChar) -> usize {
        // SAFETY: forwarded caller contract.
        unsafe { z::wcslen(s) }
    }

    /// # Safety
    /// As C `wcsnlen`; the CPU must support AVX-512 F/BW/VL, AVX2 and BMI2.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt")]
    pub unsafe extern "C" fn wcsnlen(s: *const WChar, n: usize) -> usize {
        // SAFETY: forwarded caller contract.
        unsafe { z::find(s, 0, n).unwrap_or(n) }
    }

    /// # Safety
    /// As C `wcschr`; the CPU must support AVX-512 F/BW/VL, AVX2 and BMI2.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt")]
    pub unsafe extern "C" fn wcschr(s: *const WChar, c: WChar) -> *mut WChar {
        // SAFETY: forwarded caller contract.
        unsafe { z::wcschr(s, c) }
    }

    /// # Safety
    /// As C `wcsrchr`; the CPU must support AVX-512 F/BW/VL, AVX2 and BMI2.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt")]
    pub unsafe extern "C" fn wcsrchr(s: *const WChar, c: WChar) -> *mut WChar {
        // SAFETY: forwarded caller contract.
        unsafe { z::wcsrchr(s, c) }
    }

    /// # Safety
    /// As C `wcscmp`; the CPU must support AVX-512 F/BW/VL, AVX2 and BMI2.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt")]
    pub unsafe extern "C" fn wcscmp(a: *const WChar, b: *const WChar) -> c_int {
        // SAFETY: forwarded caller contract.
        unsafe { z::compare(a, b, usize::MAX) }
    }

    /// # Safety
    /// As C `wcsncmp`; the CPU must support AVX-512 F/BW/VL, AVX2 and BMI2.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt")]
    pub unsafe extern "C" fn wcsncmp(a: *const WChar, b: *const WChar, n: usize) -> c_int {
        // SAFETY: forwarded caller contract.
        unsafe { z::compare(a, b, n) }
    }

    /// # Safety
    /// As C `wmemchr`; the CPU must support AVX-512 F/BW/VL, AVX2 and BMI2.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt")]
    pub unsafe extern "C" fn wmemchr(s: *const WChar, c: WChar, n: usize) -> *mut WChar {
        // SAFETY: forwarded caller contract; the index found is below `n`.
        unsafe {
            match z::find(s, c, n) {
                Some(i) => s.add(i) as *mut WChar,
                None => core::ptr::null_mut(),
            }
        }
    }

    /// # Safety
    /// As C `wmemcmp`; the CPU must support AVX-512 F/BW/VL, AVX2 and BMI2.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt")]
    pub unsafe extern "C" fn wmemcmp(a: *const WChar, b: *const WChar, n: usize) -> c_int {
        // SAFETY: forwarded caller contract.
        unsafe { z::wmemcmp(a, b, n) }
    }

    /// # Safety
    /// As C `wmemset`; the CPU must support AVX-512 F/BW/VL, AVX2 and BMI2.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt")]
    pub unsafe extern "C" fn wmemset(d: *mut WChar, c: WChar, n: usize) -> *mut WChar {
        // SAFETY: forwarded caller contract.
        unsafe { z::wmemset(d, c, n) }
    }

    /// # Safety
    /// As C `wcscpy`; the CPU must support AVX-512 F/BW/VL, AVX2 and BMI2.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt")]
    pub unsafe extern "C" fn wcscpy(d: *mut WChar, s: *const WChar) -> *mut WChar {
        // SAFETY: forwarded caller contract.
        unsafe { super::wcscpy::<Zmm>(d, s) }
    }
}

/// Elements in the AVX-512 head: three ZMM vectors.
const HEAD: usize = 48;

/// AVX-512 heads: when the first [`HEAD`] elements of every string lie in
/// the page of its first element (so reading them cannot fault even if the
/// object ends earlier), they are checked with unaligned loads, one vector
/// and then two at once, before any alignment arithmetic; short strings
/// end there with one or two branches. Otherwise, or past the head, the
/// generic page-safe kernels over [`Zmm`] take over.
///
/// Only inlined into the `avx512` entry points (AVX-512 F/BW, BMI2).
mod z {
    use core::arch::x86_64::*;
    use core::ffi::c_int;

    use super::{HEAD, PAGE, Zmm, low_bits, misaligned, top};
    use crate::string::wide::{WChar, generic, wdiff};

    /// Whether the `HEAD` elements from `p` stay in `p`'s page.
    #[inline(always)]
    fn head_fits(p: *const WChar) -> bool {
        (p as usize & (PAGE - 1)) <= PAGE - HEAD * 4
    }

    /// # Safety
    /// `p` readable for 16 elements (or the page rule above); AVX-512F.
    #[inline(always)]
    unsafe fn ld(p: *const WChar) -> __m512i {
        // SAFETY: forwarded caller contract.
        unsafe { _mm512_loadu_si512(p.cast()) }
    }

    /// Zero lanes.
    #[inline(always)]
    unsafe fn zeros(v: __m512i) -> u32 {
        // SAFETY: register-only AVX-512F instruction.
        unsafe { _mm512_testn_epi32_mask(v, v) as u32 }
    }

    /// The lane masks of three consecutive vectors as one 48-bit mask.
    #[inline(always)]
    fn join(m0: u32, m1: u32, m2: u32) -> u64 {
        m0 as u64 | (m1 as u64) << 16 | (m2 as u64) << 32
    }

    /// # Safety
    /// As C `wcslen`.
    #[inline(always)]
    pub(super) unsafe fn wcslen(s: *const WChar) -> usize {
        if !head_fits(s) {
            // SAFETY: forwarded caller contract.
            return unsafe { super::wcslen::<Zmm>(s) };
        }
        // SAFETY: the head lies in the page of `s[0]`, which is readable;
        // past it, the string has not ended, so `s + HEAD` is readable.
        unsafe {
            let (v0, v1, v2) = (ld(s), ld(s.add(16)), ld(s.add(32)));
            let m = join(zeros(v0), zeros(v1), zeros(v2));
            if m != 0 {
                return m.trailing_zeros() as usize;
            }
            HEAD + super::wcslen::<Zmm>(s.add(HEAD))
        }
    }

    /// # Safety
    /// As C `wcschr`.
    #[inline(always)]
    pub(super) unsafe fn wcschr(s: *const WChar, c: WChar) -> *mut WChar {
        if !head_fits(s) {
            // SAFETY: forwarded caller contract.
            return unsafe { super::wcschr::<Zmm>(s, c) };
        }
        // SAFETY: as in `wcslen`; `hit` reads an element at or before the
        // terminator.
        unsafe {
            let hit = |i: usize| {
                let q = s.add(i);
                // `s` may be misaligned (the portable loops then take over
                // past the head).
                if core::ptr::read_unaligned(q) == c { q as *mut WChar } else { core::ptr::null_mut() }
            };
            let cv = _mm512_set1_epi32(c);
            let st = |p: *const WChar| {
                let v = ld(p);
                (_mm512_cmpeq_epi32_mask(v, cv) | _mm512_testn_epi32_mask(v, v)) as u32
            };
            let m = join(st(s), st(s.add(16)), st(s.add(32)));
            if m != 0 {
                return hit(m.trailing_zeros() as usize);
            }
            super::wcschr::<Zmm>(s.add(HEAD), c)
        }
    }

    /// # Safety
    /// As C `wcsrchr`.
    #[inline(always)]
    pub(super) unsafe fn wcsrchr(s: *const WChar, c: WChar) -> *mut WChar {
        if !head_fits(s) {
            // SAFETY: forwarded caller contract.
            return unsafe { rchr_rest(s, c) };
        }
        // SAFETY: as in `wcslen`; indices come from lanes of the head.
        unsafe {
            let cv = _mm512_set1_epi32(c);
            let (v0, v1, v2) = (ld(s), ld(s.add(16)), ld(s.add(32)));
            let z = zeros(v0) as u64 | (zeros(v1) as u64) << 16 | (zeros(v2) as u64) << 32;
            let eq = |v: __m512i| _mm512_cmpeq_epi32_mask(v, cv) as u64;
            let e = eq(v0) | eq(v1) << 16 | eq(v2) << 32;
            if z != 0 {
                // Matches up to and including the terminator's lane.
                let e = e & (z ^ (z - 1));
                return if e != 0 { s.add(63 - e.leading_zeros() as usize) as *mut WChar } else { core::ptr::null_mut() };
            }
            let r = rchr_rest(s.add(HEAD), c);
            if !r.is_null() || e == 0 { r } else { s.add(63 - e.leading_zeros() as usize) as *mut WChar }
        }
    }

    /// `wcsrchr` with aligned loads: blocks up to a 256-byte boundary, then
    /// four blocks (one page) per step with one test for a terminator or a
    /// match among them; only steps that hold a match look at each block.
    ///
    /// # Safety
    /// As C `wcsrchr`.
    #[inline(always)]
    unsafe fn rchr_rest(s: *const WChar, c: WChar) -> *mut WChar {
        if misaligned(s) {
            // SAFETY: forwarded caller contract.
            return unsafe { generic::wcsrchr(s, c) };
        }
        /// One block at `q` whose zero and match lanes are `z` and `e`: the
        /// answer if the string ends in it, else `last` updated.
        #[inline(always)]
        unsafe fn block(q: *const u8, z: u32, e: u32, last: &mut *mut WChar) -> Option<*mut WChar> {
            // SAFETY: lane indices lie within the block at `q`.
            unsafe {
                if z != 0 {
                    // Matches up to and including the terminator's lane.
                    let e = e & (z ^ (z - 1));
                    return Some(if e != 0 { q.cast::<WChar>().add(top(e)) as *mut WChar } else { *last });
                }
                if e != 0 {
                    *last = q.cast::<WChar>().add(top(e)) as *mut WChar;
                }
                None
            }
        }
        let off = s as usize & 63;
        // SAFETY: aligned loads as in `wcslen` (a step's four blocks are
        // 256-byte aligned together, so in one page, which holds the
        // first of them); matches are only taken at or before the
        // terminator.
        unsafe {
            let cv = _mm512_set1_epi32(c);
            let eq = |v: __m512i| _mm512_cmpeq_epi32_mask(v, cv) as u32;
            let mut last: *mut WChar = core::ptr::null_mut();
            let mut p = (s as *const u8).sub(off);
            let v = _mm512_load_si512(p.cast());
            let valid = !low_bits(off / 4);
            if let Some(r) = block(p, zeros(v) & valid, eq(v) & valid, &mut last) {
                return r;
            }
            p = p.add(64);
            while (p as usize) & 255 != 0 {
                let v = _mm512_load_si512(p.cast());
                if let Some(r) = block(p, zeros(v), eq(v), &mut last) {
                    return r;
                }
                p = p.add(64);
            }
            loop {
                let v0 = _mm512_load_si512(p.cast());
                let v1 = _mm512_load_si512(p.add(64).cast());
                let v2 = _mm512_load_si512(p.add(128).cast());
                let v3 = _mm512_load_si512(p.add(192).cast());
                let zmin = _mm512_min_epu32(_mm512_min_epu32(v0, v1), _mm512_min_epu32(v2, v3));
                let x = |v: __m512i| _mm512_xor_si512(v, cv);
                let emin = _mm512_min_epu32(_mm512_min_epu32(x(v0), x(v1)), _mm512_min_epu32(x(v2), x(v3)));
                let zm = zeros(zmin);
                if (zm | zeros(emin)) != 0 {
                    if zm != 0 {
                        for (k, v) in [v0, v1, v2, v3].into_iter().enumerate() {
                            if let Some(r) = block(p.add(64 * k), zeros(v), eq(v), &mut last) {
                                return r;
                            }
                        }
                    }
                    let e = eq(v0) as u64 | (eq(v1) as u64) << 16 | (eq(v2) as u64) << 32 | (eq(v3) as u64) << 48;
                    last = p.cast::<WChar>().add(63 - e.leading_zeros() as usize) as *mut WChar;
                }
                p = p.add(256);
            }
        }
    }

    /// The first index below `n` whose element is `c`, where `s` is
    /// readable for `n` elements or up to that index (`wmemchr`,
    /// `wcsnlen` with `c == 0`).
    ///
    /// # Safety
    /// As above.
    #[inline(always)]
    pub(super) unsafe fn find(s: *const WChar, c: WChar, n: usize) -> Option<usize> {
        // One branch for the three ways off the fast path.
        if (n == 0) | misaligned(s) | !head_fits(s) {
            core::hint::cold_path();
            if n == 0 {
                return None;
            }
            if misaligned(s) {
                // SAFETY: forwarded caller contract.
                return unsafe { generic::wmemchr(s, c, n).as_ref().map(|q| (q as *const WChar).offset_from(s) as usize) };
            }
            // SAFETY: forwarded caller contract; `s` is element-aligned.
            return unsafe { super::find32::<Zmm>(s, c, n) };
        }
        // SAFETY: the head lies in the page of `s[0]` (readable as
        // `n > 0`); matches at or past `n` are not reported; past the head,
        // no match came before `s + HEAD`, so the rest is the caller's.
        unsafe {
            let cv = _mm512_set1_epi32(c);
            let eq = |p: *const WChar| _mm512_cmpeq_epi32_mask(ld(p), cv) as u32;
            let m = join(eq(s), eq(s.add(16)), eq(s.add(32)));
            if m != 0 {
                // The first match in the head: the answer if below `n`,
                // else there is none below `n`.
                let i = m.trailing_zeros() as usize;
                return if i < n { Some(i) } else { None };
            }
            if n <= HEAD {
                return None;
            }
            super::find32::<Zmm>(s.add(HEAD), c, n - HEAD).map(|i| HEAD + i)
        }
    }

    /// `wmemcmp`: 17 to 48 elements as three vector pairs (at 0, 16 or
    /// the tail, and the tail) with one branch; other sizes by the generic
    /// kernel.
    ///
    /// # Safety
    /// As C `wmemcmp`.
    #[inline(always)]
    pub(super) unsafe fn wmemcmp(a: *const WChar, b: *const WChar, n: usize) -> c_int {
        if n <= 16 || n > HEAD {
            // SAFETY: forwarded caller contract.
            return unsafe { super::wmemcmp::<Zmm>(a, b, n) };
        }
        // SAFETY: every load covers 16 elements starting at or before
        // `n - 16`, so lies within the `n` elements; `k < n`.
        unsafe {
            let t = n - 16;
            let mid = t.min(16);
            let ne = |i: usize| _mm512_cmpneq_epi32_mask(ld(a.add(i)), ld(b.add(i))) as u32;
            let (m0, m1, mt) = (ne(0), ne(mid), ne(t));
            if (m0 | m1 | mt) == 0 {
                return 0;
            }
            let k = if m0 != 0 {
                m0.trailing_zeros() as usize
            } else if m1 != 0 {
                mid + m1.trailing_zeros() as usize
            } else {
                t + mt.trailing_zeros() as usize
            };
            wdiff(core::ptr::read_unaligned(a.add(k)), core::ptr::read_unaligned(b.add(k)))
        }
    }

    /// `wmemset`: 33 to 48 elements with three stores; other sizes by the
    /// generic kernel.
    ///
    /// # Safety
    /// As C `wmemset`.
    #[inline(always)]
    pub(super) unsafe fn wmemset(d: *mut WChar, c: WChar, n: usize) -> *mut WChar {
        if n.wrapping_sub(33) < 16 {
            // SAFETY: the three 16-element stores start at 0, 16 and
            // `n - 16 >= 17`, so lie within the `n` elements.
            unsafe {
                let v = _mm512_set1_epi32(c);
                _mm512_storeu_si512(d.cast(), v);
                _mm512_storeu_si512(d.add(16).cast(), v);
                _mm512_storeu_si512(d.add(n - 16).cast(), v);
            }
            return d;
        }
        // SAFETY: forwarded caller contract.
        unsafe { super::wmemset::<Zmm>(d, c, n) }
    }

    /// `wcsncmp` (`wcscmp` with `limit == usize::MAX`), with the saturating
    /// difference.
    ///
    /// # Safety
    /// As C `wcsncmp`.
    #[inline(always)]
    pub(super) unsafe fn compare(a: *const WChar, b: *const WChar, limit: usize) -> c_int {
        // SAFETY: the heads lie in the pages of `a[0]` and `b[0]`, which
        // are readable as `limit > 0`; stops at or past `limit` are not
        // reported; past the heads, every element before was equal and
        // nonzero and below `limit`. The stop index read is readable in
        // both.
        unsafe {
            // One branch for the ways off the fast path.
            let stop = if (limit == 0) | misaligned(a) | misaligned(b) | !head_fits(a) | !head_fits(b) {
                core::hint::cold_path();
                if limit == 0 {
                    return 0;
                }
                if misaligned(a) || misaligned(b) {
                    return generic::wcsncmp(a, b, limit);
                }
                super::first_stop::<Zmm>(a, b, limit)
            } else {
                head_stop(a, b, limit)
            };
            match stop {
                Some(k) => wdiff(*a.add(k), *b.add(k)),
                None => 0,
            }
        }
    }

    /// # Safety
    /// `limit > 0`; both heads fit their pages; otherwise as `first_stop`.
    #[inline(always)]
    unsafe fn head_stop(a: *const WChar, b: *const WChar, limit: usize) -> Option<usize> {
        // SAFETY: see `compare`.
        unsafe {
            // Stops: lanes that differ or where `a` ends.
            let stops = |i: usize| {
                let x = ld(a.add(i));
                (_mm512_cmpneq_epi32_mask(x, ld(b.add(i))) | _mm512_testn_epi32_mask(x, x)) as u32
            };
            let m = join(stops(0), stops(16), stops(32));
            if m != 0 {
                // The first stop in the head, if below `limit`.
                let k = m.trailing_zeros() as usize;
                return if k < limit { Some(k) } else { None };
            }
            if limit <= HEAD {
                return None;
            }
            let rest = if limit == usize::MAX { usize::MAX } else { limit - HEAD };
            super::first_stop::<Zmm>(a.add(HEAD), b.add(HEAD), rest).map(|k| HEAD + k)
        }
    }
}
