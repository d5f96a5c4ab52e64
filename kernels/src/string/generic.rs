//! Portable variants: word-at-a-time Rust for any 64-bit target. They are
//! the fallback under `VICUNA_CPU=generic` and on unknown processors.

use core::ffi::{c_char, c_int, c_void};
use core::ptr::{read_unaligned as rd, write_unaligned as wr};

use super::scalar::{byte_diff, copy_lt16, first_diff_in_words, first_diff_lt16, set_lt16, splat};

const W: usize = 8;

/// # Safety
/// As C `memcpy`: `s` readable and `d` writable for `n` bytes, not overlapping.
pub unsafe extern "C" fn memcpy(d: *mut c_void, s: *const c_void, n: usize) -> *mut c_void {
    // SAFETY: forwarded caller contract; a forward copy is valid without overlap.
    unsafe { copy_forward(d.cast(), s.cast(), n) };
    d
}

/// # Safety
/// As C `memmove`: `s` readable and `d` writable for `n` bytes.
pub unsafe extern "C" fn memmove(d: *mut c_void, s: *const c_void, n: usize) -> *mut c_void {
    let (dp, sp) = (d as *mut u8, s as *const u8);
    // SAFETY: forwarded caller contract. A forward copy is safe when the
    // destination starts at or below the source or beyond its end.
    unsafe {
        if (dp as usize).wrapping_sub(sp as usize) >= n {
            copy_forward(dp, sp, n)
        } else {
            copy_backward(dp, sp, n)
        }
    }
    d
}

/// Forward copy that tolerates `d < s` overlap: each word is loaded before
/// the store that could clobber it, and the tail word is loaded up front.
#[inline(always)]
unsafe fn copy_forward(d: *mut u8, s: *const u8, n: usize) {
    // SAFETY: all accesses are within `[0, n)` of `s` and `d`.
    unsafe {
        if n < 16 {
            return copy_lt16(d, s, n);
        }
        let tail = rd(s.add(n - W) as *const u64);
        let mut i = 0;
        while i + W < n {
            wr(d.add(i) as *mut u64, rd(s.add(i) as *const u64));
            i += W;
        }
        wr(d.add(n - W) as *mut u64, tail);
    }
}

/// Backward copy for `s < d < s + n`; the head word is loaded up front.
#[inline(always)]
unsafe fn copy_backward(d: *mut u8, s: *const u8, n: usize) {
    // SAFETY: all accesses are within `[0, n)` of `s` and `d`.
    unsafe {
        if n < 16 {
            return copy_lt16(d, s, n);
        }
        let head = rd(s as *const u64);
        let mut end = n;
        while end > W {
            end -= W;
            wr(d.add(end) as *mut u64, rd(s.add(end) as *const u64));
        }
        wr(d as *mut u64, head);
    }
}

/// # Safety
/// As C `memset`: `d` writable for `n` bytes.
pub unsafe extern "C" fn memset(d: *mut c_void, c: c_int, n: usize) -> *mut c_void {
    let p = d as *mut u8;
    let w = splat(c as u8);
    // SAFETY: all stores are within `[0, n)` of `d`.
    unsafe {
        if n < 16 {
            set_lt16(p, c as u8, n);
            return d;
        }
        let mut i = 0;
        while i + W < n {
            wr(p.add(i) as *mut u64, w);
            i += W;
        }
        wr(p.add(n - W) as *mut u64, w);
    }
    d
}

/// Index of the first differing byte in the first `n` bytes.
#[inline(always)]
unsafe fn first_diff(a: *const u8, b: *const u8, n: usize) -> Option<usize> {
    // SAFETY: all loads are within `[0, n)` of `a` and `b`.
    unsafe {
        if n < 16 {
            return first_diff_lt16(a, b, n);
        }
        let mut i = 0;
        while i + W <= n {
            if let Some(k) = first_diff_in_words(rd(a.add(i) as *const u64), rd(b.add(i) as *const u64)) {
                return Some(i + k);
            }
            i += W;
        }
        let t = n - W;
        first_diff_in_words(rd(a.add(t) as *const u64), rd(b.add(t) as *const u64)).map(|k| t + k)
    }
}

/// # Safety
/// As C `memcmp`: both readable for `n` bytes.
pub unsafe extern "C" fn memcmp(a: *const c_void, b: *const c_void, n: usize) -> c_int {
    let (a, b) = (a as *const u8, b as *const u8);
    // SAFETY: forwarded caller contract.
    unsafe {
        match first_diff(a, b, n) {
            Some(i) => byte_diff(a, b, i),
            None => 0,
        }
    }
}

/// # Safety
/// As C `bcmp`: both readable for `n` bytes. Returns 0 when equal, else a
/// nonzero value.
pub unsafe extern "C" fn bcmp(a: *const c_void, b: *const c_void, n: usize) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { first_diff(a.cast(), b.cast(), n).is_some() as c_int }
}

const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Marks the zero bytes of `w` in their top bit; the lowest mark is exact.
#[inline(always)]
const fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(LOW) & !w & HIGH
}

/// # Safety
/// As C `strlen`: `s` points to a NUL-terminated string.
pub unsafe extern "C" fn strlen(s: *const c_char) -> usize {
    let start = s as usize;
    let off = start % W;
    let mut p = (start - off) as *const u64;
    // SAFETY: aligned 8-byte loads never cross a page boundary, so every
    // word read here shares a page with at least one byte of the string
    // (up to its NUL) and cannot fault. Bytes before `s` are forced
    // non-zero so they cannot end the string.
    unsafe {
        let mut w = *p | ((1u64 << (off * 8)) - 1);
        loop {
            let z = zero_bytes(w);
            if z != 0 {
                return p as usize + (z.trailing_zeros() / 8) as usize - start;
            }
            p = p.add(1);
            w = *p;
        }
    }
}
