//! SSE2 (the x86_64 baseline): 16-byte XMM vectors.

use core::arch::x86_64::*;

use super::{Vector, copy_lt16, first_diff_lt16, set_lt16};

#[derive(Clone, Copy)]
pub(crate) struct Xmm(pub(crate) __m128i);

// SAFETY (whole impl): each method is one SSE2 instruction (or a short
// fixed sequence) on its operands; callers guarantee the pointers are valid
// for `BYTES` bytes (and aligned where the name says so). SSE2 is part of
// the x86_64 baseline.
impl Vector for Xmm {
    const BYTES: usize = 16;

    #[inline(always)]
    unsafe fn splat(b: u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Xmm(_mm_set1_epi8(b as i8)) }
    }
    #[inline(always)]
    unsafe fn load(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        Xmm(unsafe { _mm_loadu_si128(p.cast()) })
    }
    #[inline(always)]
    unsafe fn load_aligned(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        Xmm(unsafe { _mm_load_si128(p.cast()) })
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut u8) {
        // SAFETY: see the impl comment.
        unsafe { _mm_storeu_si128(p.cast(), self.0) }
    }
    #[inline(always)]
    unsafe fn store_aligned(self, p: *mut u8) {
        // SAFETY: see the impl comment.
        unsafe { _mm_store_si128(p.cast(), self.0) }
    }
    #[inline(always)]
    unsafe fn store_stream(self, p: *mut u8) {
        // SAFETY: see the impl comment.
        unsafe { _mm_stream_si128(p.cast(), self.0) }
    }
    #[inline(always)]
    unsafe fn ne_mask(self, other: Self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { (!(_mm_movemask_epi8(_mm_cmpeq_epi8(self.0, other.0)) as u32) & 0xffff) as u64 }
    }
    #[inline(always)]
    unsafe fn zero_mask(self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(self.0, _mm_setzero_si128())) as u32 as u64 }
    }
    #[inline(always)]
    unsafe fn min(self, other: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Xmm(_mm_min_epu8(self.0, other.0)) }
    }
    #[inline(always)]
    unsafe fn xor_or(a: Self, b: Self, c: Self, d: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Xmm(_mm_or_si128(_mm_xor_si128(a.0, b.0), _mm_xor_si128(c.0, d.0))) }
    }
    #[inline(always)]
    unsafe fn is_zero(self) -> bool {
        // SAFETY: see the impl comment.
        unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(self.0, _mm_setzero_si128())) == 0xffff }
    }
    #[inline(always)]
    unsafe fn copy_below(d: *mut u8, s: *const u8, n: usize) {
        // SAFETY: `n < 16`, forwarded caller contract.
        unsafe { copy_lt16(d, s, n) }
    }
    #[inline(always)]
    unsafe fn set_below(d: *mut u8, c: u8, n: usize) {
        // SAFETY: `n < 16`, forwarded caller contract.
        unsafe { set_lt16(d, c, n) }
    }
    #[inline(always)]
    unsafe fn diff_below(a: *const u8, b: *const u8, n: usize) -> Option<usize> {
        // SAFETY: `n < 16`, forwarded caller contract.
        unsafe { first_diff_lt16(a, b, n) }
    }
}

super::entry_points!("sse2", Xmm);
super::compare::entry_points!("sse2", Xmm);
