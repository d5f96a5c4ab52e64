//! AVX2: 32-byte YMM vectors, with BMI1/BMI2 for the mask arithmetic.

use core::arch::x86_64::*;

use super::{Vector, copy_16_32, copy_lt16, diff_16_32, first_diff_lt16, set_16_32, set_lt16};

#[derive(Clone, Copy)]
pub(crate) struct Ymm(pub(crate) __m256i);

// SAFETY (whole impl): each method is one AVX2 instruction (or a short
// fixed sequence) on its operands; callers guarantee the pointers are valid
// for `BYTES` bytes (aligned where the name says so), and the methods are
// only inlined into this module's `#[target_feature(enable = "avx2")]`
// entry points, which dispatch reaches only on CPUs with AVX2.
impl Vector for Ymm {
    const BYTES: usize = 32;

    #[inline(always)]
    unsafe fn splat(b: u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Ymm(_mm256_set1_epi8(b as i8)) }
    }
    #[inline(always)]
    unsafe fn load(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        Ymm(unsafe { _mm256_loadu_si256(p.cast()) })
    }
    #[inline(always)]
    unsafe fn load_aligned(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        Ymm(unsafe { _mm256_load_si256(p.cast()) })
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut u8) {
        // SAFETY: see the impl comment.
        unsafe { _mm256_storeu_si256(p.cast(), self.0) }
    }
    #[inline(always)]
    unsafe fn store_aligned(self, p: *mut u8) {
        // SAFETY: see the impl comment.
        unsafe { _mm256_store_si256(p.cast(), self.0) }
    }
    #[inline(always)]
    unsafe fn store_stream(self, p: *mut u8) {
        // SAFETY: see the impl comment.
        unsafe { _mm256_stream_si256(p.cast(), self.0) }
    }
    #[inline(always)]
    unsafe fn ne_mask(self, other: Self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { !(_mm256_movemask_epi8(_mm256_cmpeq_epi8(self.0, other.0)) as u32) as u64 }
    }
    #[inline(always)]
    unsafe fn zero_mask(self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm256_movemask_epi8(_mm256_cmpeq_epi8(self.0, _mm256_setzero_si256())) as u32 as u64 }
    }
    #[inline(always)]
    unsafe fn min(self, other: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Ymm(_mm256_min_epu8(self.0, other.0)) }
    }
    #[inline(always)]
    unsafe fn xor_or(a: Self, b: Self, c: Self, d: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Ymm(_mm256_or_si256(_mm256_xor_si256(a.0, b.0), _mm256_xor_si256(c.0, d.0))) }
    }
    #[inline(always)]
    unsafe fn is_zero(self) -> bool {
        // SAFETY: see the impl comment.
        unsafe { _mm256_testz_si256(self.0, self.0) != 0 }
    }
    #[inline(always)]
    unsafe fn copy_below(d: *mut u8, s: *const u8, n: usize) {
        // SAFETY: `n < 32` picks the helper whose size range holds `n`.
        unsafe {
            if n >= 16 { copy_16_32(d, s, n) } else { copy_lt16(d, s, n) }
        }
    }
    #[inline(always)]
    unsafe fn set_below(d: *mut u8, c: u8, n: usize) {
        // SAFETY: as in `copy_below`.
        unsafe {
            if n >= 16 { set_16_32(d, c, n) } else { set_lt16(d, c, n) }
        }
    }
    #[inline(always)]
    unsafe fn diff_below(a: *const u8, b: *const u8, n: usize) -> Option<usize> {
        // SAFETY: as in `copy_below`.
        unsafe {
            if n >= 16 { diff_16_32(a, b, n) } else { first_diff_lt16(a, b, n) }
        }
    }
}

super::entry_points!("avx2,bmi1,bmi2,popcnt", Ymm);
super::compare::entry_points!("avx2,bmi1,bmi2,popcnt", Ymm);
