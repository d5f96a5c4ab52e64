//! Sub-16-byte building blocks shared by every variant. Each one reads all
//! of its input before it writes, so it is safe for overlapping buffers.

use core::ptr::{read_unaligned as rd, write_unaligned as wr};

/// Copies `n < 16` bytes with two overlapping accesses of the widest size
/// that fits.
///
/// # Safety
/// `s` readable and `d` writable for `n` bytes.
#[inline(always)]
pub(crate) unsafe fn copy_lt16(d: *mut u8, s: *const u8, n: usize) {
    // SAFETY: every access below lies within the first `n` bytes of `s` or `d`.
    unsafe {
        if n >= 8 {
            let (a, b) = (rd(s as *const u64), rd(s.add(n - 8) as *const u64));
            wr(d as *mut u64, a);
            wr(d.add(n - 8) as *mut u64, b);
        } else if n >= 4 {
            let (a, b) = (rd(s as *const u32), rd(s.add(n - 4) as *const u32));
            wr(d as *mut u32, a);
            wr(d.add(n - 4) as *mut u32, b);
        } else if n >= 2 {
            let (a, b) = (rd(s as *const u16), rd(s.add(n - 2) as *const u16));
            wr(d as *mut u16, a);
            wr(d.add(n - 2) as *mut u16, b);
        } else if n == 1 {
            *d = *s;
        }
    }
}

/// The byte `c` repeated in every byte of a word.
#[inline(always)]
pub(crate) const fn splat(c: u8) -> u64 {
    (c as u64).wrapping_mul(0x0101_0101_0101_0101)
}

/// Fills `n < 16` bytes with `c`.
///
/// # Safety
/// `d` writable for `n` bytes.
#[inline(always)]
pub(crate) unsafe fn set_lt16(d: *mut u8, c: u8, n: usize) {
    let w = splat(c);
    // SAFETY: every store lies within the first `n` bytes of `d`.
    unsafe {
        if n >= 8 {
            wr(d as *mut u64, w);
            wr(d.add(n - 8) as *mut u64, w);
        } else if n >= 4 {
            wr(d as *mut u32, w as u32);
            wr(d.add(n - 4) as *mut u32, w as u32);
        } else if n >= 2 {
            wr(d as *mut u16, w as u16);
            wr(d.add(n - 2) as *mut u16, w as u16);
        } else if n == 1 {
            *d = c;
        }
    }
}

/// Index of the first byte that differs in two little-endian words.
#[inline(always)]
pub(crate) const fn first_diff_in_words(x: u64, y: u64) -> Option<usize> {
    let d = x ^ y;
    if d == 0 { None } else { Some((d.trailing_zeros() / 8) as usize) }
}

/// Index of the first differing byte among the first `n < 16` bytes.
///
/// # Safety
/// `a` and `b` readable for `n` bytes.
#[inline(always)]
pub(crate) unsafe fn first_diff_lt16(a: *const u8, b: *const u8, n: usize) -> Option<usize> {
    // SAFETY: every load lies within the first `n` bytes of `a` and `b`.
    unsafe {
        if n >= 8 {
            if let Some(i) = first_diff_in_words(rd(a as *const u64), rd(b as *const u64)) {
                return Some(i);
            }
            let t = n - 8;
            let tail = first_diff_in_words(rd(a.add(t) as *const u64), rd(b.add(t) as *const u64));
            return tail.map(|i| t + i);
        }
        if n >= 4 {
            let (x, y) = (rd(a as *const u32) as u64, rd(b as *const u32) as u64);
            if let Some(i) = first_diff_in_words(x, y) {
                return Some(i);
            }
            let t = n - 4;
            let (x, y) = (rd(a.add(t) as *const u32) as u64, rd(b.add(t) as *const u32) as u64);
            return first_diff_in_words(x, y).map(|i| t + i);
        }
        let mut i = 0;
        while i < n {
            if *a.add(i) != *b.add(i) {
                return Some(i);
            }
            i += 1;
        }
        None
    }
}

/// memcmp's result for a known first difference: the difference of the two
/// bytes as unsigned char, as musl returns it.
///
/// # Safety
/// `a` and `b` readable at index `i`.
#[inline(always)]
pub(crate) unsafe fn byte_diff(a: *const u8, b: *const u8, i: usize) -> i32 {
    // SAFETY: the caller vouches for index `i`.
    unsafe { *a.add(i) as i32 - *b.add(i) as i32 }
}
