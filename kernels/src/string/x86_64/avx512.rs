//! AVX-512 (F/BW/VL): 64-byte ZMM vectors with compares straight into mask
//! registers.

use core::arch::x86_64::*;

use super::{Vector, copy_16_32, copy_32_64, copy_lt16, set_16_32, set_32_64, set_lt16};

#[derive(Clone, Copy)]
pub(crate) struct Zmm(pub(crate) __m512i);

// SAFETY (whole impl): each method is one AVX-512 instruction (or a short
// fixed sequence) on its operands; callers guarantee the pointers are valid
// for `BYTES` bytes (aligned where the name says so), and the methods are
// only inlined into this module's `#[target_feature]` entry points, which
// dispatch reaches only on CPUs with AVX-512 F/BW/VL and the OS's ZMM state.
impl Vector for Zmm {
    const BYTES: usize = 64;

    #[inline(always)]
    unsafe fn splat(b: u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Zmm(_mm512_set1_epi8(b as i8)) }
    }
    #[inline(always)]
    unsafe fn load(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        Zmm(unsafe { _mm512_loadu_si512(p.cast()) })
    }
    #[inline(always)]
    unsafe fn load_aligned(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        Zmm(unsafe { _mm512_load_si512(p.cast()) })
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut u8) {
        // SAFETY: see the impl comment.
        unsafe { _mm512_storeu_si512(p.cast(), self.0) }
    }
    #[inline(always)]
    unsafe fn store_aligned(self, p: *mut u8) {
        // SAFETY: see the impl comment.
        unsafe { _mm512_store_si512(p.cast(), self.0) }
    }
    #[inline(always)]
    unsafe fn store_stream(self, p: *mut u8) {
        // SAFETY: see the impl comment.
        unsafe { _mm512_stream_si512(p.cast(), self.0) }
    }
    #[inline(always)]
    unsafe fn ne_mask(self, other: Self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm512_cmpneq_epi8_mask(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn zero_mask(self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm512_testn_epi8_mask(self.0, self.0) }
    }
    #[inline(always)]
    unsafe fn min(self, other: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Zmm(_mm512_min_epu8(self.0, other.0)) }
    }
    #[inline(always)]
    unsafe fn xor_or(a: Self, b: Self, c: Self, d: Self) -> Self {
        // 0xbe: (A ^ B) | C as a ternary-logic truth table; C = c ^ d.
        // SAFETY: see the impl comment.
        unsafe {
            let cd = _mm512_xor_si512(c.0, d.0);
            Zmm(_mm512_ternarylogic_epi64::<0xbe>(a.0, b.0, cd))
        }
    }
    #[inline(always)]
    unsafe fn is_zero(self) -> bool {
        // SAFETY: see the impl comment.
        unsafe { _mm512_test_epi64_mask(self.0, self.0) == 0 }
    }
    #[inline(always)]
    unsafe fn copy_below(d: *mut u8, s: *const u8, n: usize) {
        // SAFETY: `n < 64` picks the helper whose size range holds `n`.
        unsafe {
            if n >= 32 {
                copy_32_64(d, s, n)
            } else if n >= 16 {
                copy_16_32(d, s, n)
            } else {
                copy_lt16(d, s, n)
            }
        }
    }
    #[inline(always)]
    unsafe fn set_below(d: *mut u8, c: u8, n: usize) {
        // SAFETY: as in `copy_below`.
        unsafe {
            if n >= 32 {
                set_32_64(d, c, n)
            } else if n >= 16 {
                set_16_32(d, c, n)
            } else {
                set_lt16(d, c, n)
            }
        }
    }
    #[inline(always)]
    unsafe fn diff_below(a: *const u8, b: *const u8, n: usize) -> Option<usize> {
        // Masked loads: one branch-free compare for every n < 64. Masked-out
        // bytes are never accessed (AVX-512 suppresses their faults) and
        // read as zero on both sides, so they compare equal.
        // SAFETY: the mask covers exactly bytes `[0, n)`, which the caller
        // guarantees readable; `n < 64` keeps the shift in range.
        unsafe {
            let k: u64 = (1u64 << n) - 1;
            let x = _mm512_maskz_loadu_epi8(k, a.cast());
            let y = _mm512_maskz_loadu_epi8(k, b.cast());
            let m = _mm512_cmpneq_epi8_mask(x, y);
            if m != 0 { Some(m.trailing_zeros() as usize) } else { None }
        }
    }
}

super::entry_points!("avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt", Zmm);
super::compare::entry_points!("avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt", Zmm);
