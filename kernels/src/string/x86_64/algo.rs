//! The vector algorithms, generic over [`Vector`]. Everything here is
//! `#[inline(always)]` so that it is compiled inside each ISA's
//! `#[target_feature]` entry point.

use super::{Vector, store_fence};
use crate::string::scalar::byte_diff;
use crate::tuning::{non_temporal_threshold, rep_stosb_threshold};

/// Copies up to `4 * BYTES` bytes with all loads ahead of all stores, so the
/// result is right for overlapping buffers in either direction.
///
/// # Safety
/// `n <= 4 * V::BYTES`; `s` readable and `d` writable for `n` bytes.
#[inline(always)]
unsafe fn copy_small<V: Vector>(d: *mut u8, s: *const u8, n: usize) {
    let b = V::BYTES;
    // SAFETY: every access lies within `[0, n)`: `n >= BYTES` before the
    // two-vector case and `n >= 2 * BYTES` before the three- and
    // four-vector cases.
    unsafe {
        if n < b {
            V::copy_below(d, s, n);
        } else if n <= 2 * b {
            let (x, y) = (V::load(s), V::load(s.add(n - b)));
            x.store(d);
            y.store(d.add(n - b));
        } else if n <= 3 * b {
            // Three vectors: a 64-byte store costs two store cycles on
            // AMD's Zen 4, so one fewer pays at 129..=192 bytes.
            let (x0, x1, y) = (V::load(s), V::load(s.add(b)), V::load(s.add(n - b)));
            x0.store(d);
            x1.store(d.add(b));
            y.store(d.add(n - b));
        } else {
            let (x0, x1) = (V::load(s), V::load(s.add(b)));
            let (y1, y0) = (V::load(s.add(n - 2 * b)), V::load(s.add(n - b)));
            x0.store(d);
            x1.store(d.add(b));
            y1.store(d.add(n - 2 * b));
            y0.store(d.add(n - b));
        }
    }
}

/// An aligned store, non-temporal when `STREAM`. (A function, not a
/// closure: a closure that is not inlined loses the caller's target
/// features.)
///
/// # Safety
/// `p` is `BYTES`-aligned and writable for `BYTES` bytes.
#[inline(always)]
unsafe fn put<V: Vector, const STREAM: bool>(v: V, p: *mut u8) {
    // SAFETY: forwarded caller contract.
    unsafe {
        if STREAM { v.store_stream(p) } else { v.store_aligned(p) }
    }
}

/// Forward copy of `n > 4 * BYTES` bytes with aligned stores, or with
/// non-temporal ones when `STREAM` (a block too large for the caches; the
/// buffers must not overlap then). Correct when the buffers do not overlap
/// or when `d < s`: every loop load happens before any store that reaches
/// its bytes, and the unaligned head and tail vectors are loaded first and
/// stored last.
///
/// # Safety
/// `n > 4 * V::BYTES`; `s` readable and `d` writable for `n` bytes; no
/// overlap when `STREAM`.
#[inline(always)]
unsafe fn copy_forward_large<V: Vector, const STREAM: bool>(d: *mut u8, s: *const u8, n: usize) {
    let b = V::BYTES;
    // SAFETY: `skew` is in `1..=b`, so `[skew, n)` is non-empty and the
    // loops touch only `[skew, n - 1]`; head and tail are `[0, b)` and
    // `[n - b, n)`. `d + skew` is `b`-aligned, so the aligned and streaming
    // stores are; the fence orders streaming stores before the head and
    // tail stores and before anything the caller does next.
    unsafe {
        let head = V::load(s);
        let tail = V::load(s.add(n - b));
        let skew = b - (d as usize & (b - 1));
        let mut i = skew;
        while n - i > 4 * b {
            let v0 = V::load(s.add(i));
            let v1 = V::load(s.add(i + b));
            let v2 = V::load(s.add(i + 2 * b));
            let v3 = V::load(s.add(i + 3 * b));
            put::<V, STREAM>(v0, d.add(i));
            put::<V, STREAM>(v1, d.add(i + b));
            put::<V, STREAM>(v2, d.add(i + 2 * b));
            put::<V, STREAM>(v3, d.add(i + 3 * b));
            i += 4 * b;
        }
        while n - i > b {
            put::<V, STREAM>(V::load(s.add(i)), d.add(i));
            i += b;
        }
        if STREAM {
            store_fence();
        }
        tail.store(d.add(n - b));
        head.store(d);
    }
}

/// Backward copy of `n > 4 * BYTES` bytes for `s < d < s + n`, mirror image
/// of [`copy_forward_large`].
///
/// # Safety
/// `n > 4 * V::BYTES`; `s` readable and `d` writable for `n` bytes.
#[inline(always)]
unsafe fn copy_backward_large<V: Vector>(d: *mut u8, s: *const u8, n: usize) {
    let b = V::BYTES;
    // SAFETY: `end` starts at the last `b`-aligned offset of `d` at or below
    // `n`, which is above `n - b >= 4b`, and the loops stop while `end > b`,
    // so the stores stay in `[b - ..., n)` and aligned; head and tail cover
    // the unaligned ends.
    unsafe {
        let head = V::load(s);
        let tail = V::load(s.add(n - b));
        let mut end = n - ((d as usize + n) & (b - 1));
        while end > 4 * b {
            end -= 4 * b;
            let v3 = V::load(s.add(end + 3 * b));
            let v2 = V::load(s.add(end + 2 * b));
            let v1 = V::load(s.add(end + b));
            let v0 = V::load(s.add(end));
            v3.store_aligned(d.add(end + 3 * b));
            v2.store_aligned(d.add(end + 2 * b));
            v1.store_aligned(d.add(end + b));
            v0.store_aligned(d.add(end));
        }
        while end > b {
            end -= b;
            V::load(s.add(end)).store_aligned(d.add(end));
        }
        head.store(d);
        tail.store(d.add(n - b));
    }
}

/// `memcpy`.
///
/// # Safety
/// As C `memcpy`.
#[inline(always)]
pub(super) unsafe fn copy<V: Vector>(d: *mut u8, s: *const u8, n: usize) {
    // SAFETY: forwarded caller contract; size ranges match each helper's;
    // memcpy's buffers never overlap.
    unsafe {
        if n <= 4 * V::BYTES {
            copy_small::<V>(d, s, n)
        } else if n < non_temporal_threshold() {
            copy_forward_large::<V, false>(d, s, n)
        } else {
            copy_forward_large::<V, true>(d, s, n)
        }
    }
}

/// `memmove`.
///
/// # Safety
/// As C `memmove`.
#[inline(always)]
pub(super) unsafe fn move_<V: Vector>(d: *mut u8, s: *const u8, n: usize) {
    // SAFETY: forwarded caller contract. The small path is overlap-safe in
    // both directions; a forward copy is safe unless `s < d < s + n`.
    unsafe {
        let forward = (d as usize).wrapping_sub(s as usize) >= n;
        if n <= 4 * V::BYTES {
            copy_small::<V>(d, s, n)
        } else if forward && n >= non_temporal_threshold() && (s as usize).wrapping_sub(d as usize) >= n {
            copy_forward_large::<V, true>(d, s, n)
        } else if forward {
            copy_forward_large::<V, false>(d, s, n)
        } else {
            copy_backward_large::<V>(d, s, n)
        }
    }
}

/// Fills `n` bytes with `rep stosb` (fast with ERMS).
///
/// # Safety
/// `d` writable for `n` bytes.
#[inline(always)]
unsafe fn rep_stosb(d: *mut u8, c: u8, n: usize) {
    // SAFETY: `rep stosb` writes exactly `[d, d + n)`, which the caller
    // vouches for; the direction flag is clear at function entry (ABI).
    unsafe {
        core::arch::asm!(
            "rep stosb",
            inout("rdi") d => _,
            inout("rcx") n => _,
            in("al") c,
            options(nostack, preserves_flags)
        );
    }
}

/// `memset`.
///
/// # Safety
/// As C `memset`.
#[inline(always)]
pub(super) unsafe fn set<V: Vector>(d: *mut u8, c: u8, n: usize) {
    // SAFETY: forwarded caller contract.
    unsafe { set_with::<V, true>(d, c, n) }
}

/// `memset`, with `rep stosb` for mid sizes when `REP` (and ERMS). The
/// zero padding of `strncpy` passes `REP = false`: right after the copy's
/// stores, `rep stosb` measured slower there than the vector loop.
///
/// # Safety
/// As C `memset`.
#[inline(always)]
pub(super) unsafe fn set_with<V: Vector, const REP: bool>(d: *mut u8, c: u8, n: usize) {
    let b = V::BYTES;
    // SAFETY: all stores lie within `[0, n)`; the loop's stores start at the
    // first `b`-aligned address above `d` and stop before `n - b`.
    unsafe {
        if n < b {
            return V::set_below(d, c, n);
        }
        let v = V::splat(c);
        if n <= 2 * b {
            v.store(d);
            v.store(d.add(n - b));
            return;
        }
        if n <= 3 * b {
            v.store(d);
            v.store(d.add(b));
            v.store(d.add(n - b));
            return;
        }
        if n <= 4 * b {
            v.store(d);
            v.store(d.add(b));
            v.store(d.add(n - 2 * b));
            v.store(d.add(n - b));
            return;
        }
        let nt = non_temporal_threshold();
        if REP && n >= rep_stosb_threshold() && n < nt {
            return rep_stosb(d, c, n);
        }
        v.store(d);
        let mut i = b - (d as usize & (b - 1));
        if n >= nt {
            while n - i > 4 * b {
                v.store_stream(d.add(i));
                v.store_stream(d.add(i + b));
                v.store_stream(d.add(i + 2 * b));
                v.store_stream(d.add(i + 3 * b));
                i += 4 * b;
            }
            store_fence();
        }
        while n - i > 4 * b {
            v.store_aligned(d.add(i));
            v.store_aligned(d.add(i + b));
            v.store_aligned(d.add(i + 2 * b));
            v.store_aligned(d.add(i + 3 * b));
            i += 4 * b;
        }
        while n - i > b {
            v.store_aligned(d.add(i));
            i += b;
        }
        v.store(d.add(n - b));
    }
}

/// First differing index in `[0, n)`.
///
/// # Safety
/// Both readable for `n` bytes.
#[inline(always)]
unsafe fn first_diff<V: Vector>(a: *const u8, b: *const u8, n: usize) -> Option<usize> {
    let w = V::BYTES;
    // SAFETY: every load lies within `[0, n)`: `i` starts in `1..=w <= n`
    // and the loops only load while `w` bytes remain; the last load starts
    // at `n - w >= 0`. The loop's loads of `a` are `w`-aligned.
    unsafe {
        if n < w {
            return V::diff_below(a, b, n);
        }
        // Check the first vector, then continue from the first `w`-aligned
        // offset of `a`: aligned loads of `a` halve the cache-line-crossing
        // loads when the buffers are misaligned.
        let m = V::load(a).ne_mask(V::load(b));
        if m != 0 {
            return Some(m.trailing_zeros() as usize);
        }
        let mut i = w - (a as usize & (w - 1));
        while n - i >= 4 * w {
            let m0 = V::load_aligned(a.add(i)).ne_mask(V::load(b.add(i)));
            let m1 = V::load_aligned(a.add(i + w)).ne_mask(V::load(b.add(i + w)));
            let m2 = V::load_aligned(a.add(i + 2 * w)).ne_mask(V::load(b.add(i + 2 * w)));
            let m3 = V::load_aligned(a.add(i + 3 * w)).ne_mask(V::load(b.add(i + 3 * w)));
            if (m0 | m1 | m2 | m3) != 0 {
                for (k, m) in [m0, m1, m2, m3].into_iter().enumerate() {
                    if m != 0 {
                        return Some(i + k * w + m.trailing_zeros() as usize);
                    }
                }
            }
            i += 4 * w;
        }
        while n - i >= w {
            let m = V::load_aligned(a.add(i)).ne_mask(V::load(b.add(i)));
            if m != 0 {
                return Some(i + m.trailing_zeros() as usize);
            }
            i += w;
        }
        if i >= n {
            return None;
        }
        let t = n - w;
        let m = V::load(a.add(t)).ne_mask(V::load(b.add(t)));
        if m != 0 { Some(t + m.trailing_zeros() as usize) } else { None }
    }
}

/// `memcmp`: the difference of the first differing bytes as unsigned char.
///
/// # Safety
/// As C `memcmp`.
#[inline(always)]
pub(super) unsafe fn compare<V: Vector>(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: forwarded caller contract; `i < n`.
    unsafe {
        match first_diff::<V>(a, b, n) {
            Some(i) => byte_diff(a, b, i),
            None => 0,
        }
    }
}

/// `bcmp`'s question: are the first `n` bytes equal? Cheaper than
/// [`compare`] because it only needs the or of the xors.
///
/// # Safety
/// Both readable for `n` bytes.
#[inline(always)]
pub(super) unsafe fn equal<V: Vector>(a: *const u8, b: *const u8, n: usize) -> bool {
    let w = V::BYTES;
    // SAFETY: every load lies within `[0, n)`: past the two-vector case
    // `n > 2w`, `i` starts in `1..=w` and the loops load while more than
    // `2w` (or `4w`) bytes remain; loads of `a` in the loops are aligned.
    unsafe {
        if n < w {
            return V::diff_below(a, b, n).is_none();
        }
        if n <= 2 * w {
            let t = n - w;
            return V::xor_or(V::load(a), V::load(b), V::load(a.add(t)), V::load(b.add(t))).is_zero();
        }
        // As in `first_diff`: the first vector, then aligned loads of `a`.
        if V::load(a).ne_mask(V::load(b)) != 0 {
            return false;
        }
        let mut i = w - (a as usize & (w - 1));
        while n - i > 4 * w {
            let x = V::xor_or(
                V::load_aligned(a.add(i)),
                V::load(b.add(i)),
                V::load_aligned(a.add(i + w)),
                V::load(b.add(i + w)),
            );
            let y = V::xor_or(
                V::load_aligned(a.add(i + 2 * w)),
                V::load(b.add(i + 2 * w)),
                V::load_aligned(a.add(i + 3 * w)),
                V::load(b.add(i + 3 * w)),
            );
            if !V::xor_or(x, V::splat(0), y, V::splat(0)).is_zero() {
                return false;
            }
            i += 4 * w;
        }
        // 1..=4 vectors left: compare the last two pairs, overlapping.
        while n - i > 2 * w {
            let x = V::xor_or(
                V::load_aligned(a.add(i)),
                V::load(b.add(i)),
                V::load_aligned(a.add(i + w)),
                V::load(b.add(i + w)),
            );
            if !x.is_zero() {
                return false;
            }
            i += 2 * w;
        }
        let (t0, t1) = (n - 2 * w, n - w);
        V::xor_or(V::load(a.add(t0)), V::load(b.add(t0)), V::load(a.add(t1)), V::load(b.add(t1))).is_zero()
    }
}

/// `strlen` with aligned loads only: an aligned vector never straddles a
/// page, so no load can touch a page that holds none of the string.
///
/// # Safety
/// As C `strlen`.
#[inline(always)]
pub(super) unsafe fn strlen<V: Vector>(s: *const u8) -> usize {
    let w = V::BYTES;
    let start = s as usize;
    let off = start & (w - 1);
    // SAFETY: all loads are `w`-aligned (or `4w`-aligned groups of four),
    // start at or before `s` within its page and stop at the first vector
    // that holds the NUL, so each shares a page with the string.
    unsafe {
        let mut p = s.sub(off);
        let m = V::load_aligned(p).zero_mask() >> off;
        if m != 0 {
            return m.trailing_zeros() as usize;
        }
        p = p.add(w);
        while (p as usize) & (4 * w - 1) != 0 {
            let m = V::load_aligned(p).zero_mask();
            if m != 0 {
                return p as usize - start + m.trailing_zeros() as usize;
            }
            p = p.add(w);
        }
        loop {
            let v0 = V::load_aligned(p);
            let v1 = V::load_aligned(p.add(w));
            let v2 = V::load_aligned(p.add(2 * w));
            let v3 = V::load_aligned(p.add(3 * w));
            if V::min(V::min(v0, v1), V::min(v2, v3)).zero_mask() != 0 {
                for (k, v) in [v0, v1, v2, v3].into_iter().enumerate() {
                    let m = v.zero_mask();
                    if m != 0 {
                        return p as usize - start + k * w + m.trailing_zeros() as usize;
                    }
                }
            }
            p = p.add(4 * w);
        }
    }
}
