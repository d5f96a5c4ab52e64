//! x86_64 variants. The algorithms are written once, over the [`Vector`]
//! trait; each ISA module supplies a vector type and instantiates them
//! inside `#[target_feature]` entry points, where every `#[inline(always)]`
//! helper below is inlined and compiled for that ISA.

use core::arch::x86_64::*;

use super::scalar::{copy_lt16, first_diff_lt16, set_lt16};

pub mod avx2;
pub mod avx512;
mod algo;
pub mod compare;
pub mod search;
pub mod sse2;
pub mod wide;

/// One SIMD register's worth of bytes and the operations the algorithms
/// need. Masks have bit `i` set for byte `i`.
pub(crate) trait Vector: Copy {
    const BYTES: usize;

    unsafe fn splat(b: u8) -> Self;
    /// Unaligned load.
    unsafe fn load(p: *const u8) -> Self;
    /// Load from a `BYTES`-aligned address.
    unsafe fn load_aligned(p: *const u8) -> Self;
    /// Unaligned store.
    unsafe fn store(self, p: *mut u8);
    /// Store to a `BYTES`-aligned address.
    unsafe fn store_aligned(self, p: *mut u8);
    /// Non-temporal store to a `BYTES`-aligned address; a run of them ends
    /// with [`store_fence`].
    unsafe fn store_stream(self, p: *mut u8);
    /// Bytes where `self` and `other` differ.
    unsafe fn ne_mask(self, other: Self) -> u64;
    /// Bytes that are zero.
    unsafe fn zero_mask(self) -> u64;
    /// Bytewise unsigned minimum.
    unsafe fn min(self, other: Self) -> Self;
    /// Bitwise or of `a ^ b` over two pairs: zero iff both pairs are equal.
    unsafe fn xor_or(a: Self, b: Self, c: Self, d: Self) -> Self;
    /// Whether every bit is zero.
    unsafe fn is_zero(self) -> bool;

    /// Copies `n < BYTES` bytes, reading everything before writing.
    unsafe fn copy_below(d: *mut u8, s: *const u8, n: usize);
    /// Fills `n < BYTES` bytes.
    unsafe fn set_below(d: *mut u8, c: u8, n: usize);
    /// First differing index among `n < BYTES` bytes.
    unsafe fn diff_below(a: *const u8, b: *const u8, n: usize) -> Option<usize>;
}

/// Orders earlier non-temporal stores before everything after it.
#[inline(always)]
unsafe fn store_fence() {
    // SAFETY: `sfence` is SSE (x86_64 baseline) and has no operands.
    unsafe { _mm_sfence() }
}

// Shared small-size cascades: 16..=32 bytes with two XMM accesses and
// 32..=64 bytes with two YMM accesses. SSE2 is baseline; the YMM helpers are
// only called from AVX2/AVX-512 entry points.

/// # Safety
/// `16 <= n <= 32`; `s` readable and `d` writable for `n` bytes.
#[inline(always)]
unsafe fn copy_16_32(d: *mut u8, s: *const u8, n: usize) {
    // SAFETY: both accesses lie within `[0, n)`.
    unsafe {
        let a = _mm_loadu_si128(s.cast());
        let b = _mm_loadu_si128(s.add(n - 16).cast());
        _mm_storeu_si128(d.cast(), a);
        _mm_storeu_si128(d.add(n - 16).cast(), b);
    }
}

/// # Safety
/// `32 <= n <= 64`; AVX enabled in the caller; bounds as above.
#[inline(always)]
unsafe fn copy_32_64(d: *mut u8, s: *const u8, n: usize) {
    // SAFETY: both accesses lie within `[0, n)`; the caller enabled AVX.
    unsafe {
        let a = _mm256_loadu_si256(s.cast());
        let b = _mm256_loadu_si256(s.add(n - 32).cast());
        _mm256_storeu_si256(d.cast(), a);
        _mm256_storeu_si256(d.add(n - 32).cast(), b);
    }
}

/// # Safety
/// `16 <= n <= 32`; `d` writable for `n` bytes.
#[inline(always)]
unsafe fn set_16_32(d: *mut u8, c: u8, n: usize) {
    // SAFETY: both stores lie within `[0, n)`.
    unsafe {
        let v = _mm_set1_epi8(c as i8);
        _mm_storeu_si128(d.cast(), v);
        _mm_storeu_si128(d.add(n - 16).cast(), v);
    }
}

/// # Safety
/// `32 <= n <= 64`; AVX enabled in the caller; `d` writable for `n` bytes.
#[inline(always)]
unsafe fn set_32_64(d: *mut u8, c: u8, n: usize) {
    // SAFETY: both stores lie within `[0, n)`; the caller enabled AVX.
    unsafe {
        let v = _mm256_set1_epi8(c as i8);
        _mm256_storeu_si256(d.cast(), v);
        _mm256_storeu_si256(d.add(n - 32).cast(), v);
    }
}

/// # Safety
/// `16 <= n <= 32`; both readable for `n` bytes.
#[inline(always)]
unsafe fn diff_16_32(a: *const u8, b: *const u8, n: usize) -> Option<usize> {
    // SAFETY: all loads lie within `[0, n)`.
    unsafe {
        let ne = |off: usize| {
            let eq = _mm_cmpeq_epi8(_mm_loadu_si128(a.add(off).cast()), _mm_loadu_si128(b.add(off).cast()));
            !(_mm_movemask_epi8(eq) as u32) & 0xffff
        };
        let m = ne(0);
        if m != 0 {
            return Some(m.trailing_zeros() as usize);
        }
        let m = ne(n - 16);
        if m != 0 { Some(n - 16 + m.trailing_zeros() as usize) } else { None }
    }
}

/// Entry points of one ISA module: the C signatures, compiled with that
/// module's target features around the shared algorithms.
macro_rules! entry_points {
    ($features:literal, $V:ty) => {
        use core::ffi::{c_char, c_int, c_void};

        use super::algo;

        /// # Safety
        /// As C `memcpy`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn memcpy(d: *mut c_void, s: *const c_void, n: usize) -> *mut c_void {
            // SAFETY: forwarded caller contract.
            unsafe { algo::copy::<$V>(d.cast(), s.cast(), n) };
            d
        }

        /// # Safety
        /// As C `memmove`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn memmove(d: *mut c_void, s: *const c_void, n: usize) -> *mut c_void {
            // SAFETY: forwarded caller contract.
            unsafe { algo::move_::<$V>(d.cast(), s.cast(), n) };
            d
        }

        /// # Safety
        /// As C `memset`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn memset(d: *mut c_void, c: c_int, n: usize) -> *mut c_void {
            // SAFETY: forwarded caller contract.
            unsafe { algo::set::<$V>(d.cast(), c as u8, n) };
            d
        }

        /// # Safety
        /// As C `memcmp`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn memcmp(a: *const c_void, b: *const c_void, n: usize) -> c_int {
            // SAFETY: forwarded caller contract.
            unsafe { algo::compare::<$V>(a.cast(), b.cast(), n) }
        }

        /// # Safety
        /// As C `bcmp`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn bcmp(a: *const c_void, b: *const c_void, n: usize) -> c_int {
            // SAFETY: forwarded caller contract.
            unsafe { !algo::equal::<$V>(a.cast(), b.cast(), n) as c_int }
        }

        /// # Safety
        /// As C `strlen`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strlen(s: *const c_char) -> usize {
            // SAFETY: forwarded caller contract.
            unsafe { algo::strlen::<$V>(s.cast()) }
        }
    };
}
pub(crate) use entry_points;
