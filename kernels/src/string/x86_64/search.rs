//! Vector versions of the search family, written once over [`Sv`] and
//! instantiated per ISA in the modules at the bottom of this file.
//!
//! These use their own small vector types rather than the copy/compare
//! [`Vector`](super::Vector) trait: the search loops want byte-broadcast
//! compares, byte-table shuffles and mask-register forms that the memory
//! routines do not, and keeping them here leaves the shared trait alone.
//!
//! Page safety. Scans that stop at a terminator or first match (`memchr`,
//! `strnlen`, `strchr`, `strchrnul`, `strrchr`, `strspn`, `strcspn`,
//! `strpbrk`, `strstr`) read only `W`-aligned vectors, and 4-vector groups
//! only once the pointer is `4W`-aligned (a group then lies in one page).
//! Each vector or group read holds a byte that the function is entitled to
//! read and that lies before the stopping point, so it shares a page with
//! readable memory. `memmem` and `memrchr` read whole buffers, with
//! unaligned loads inside `[s, s + n)` or aligned vectors holding a byte of
//! it. Two exceptions, both safe by construction: `strstr` checks a
//! candidate byte by byte and stops at the first mismatch (at the
//! haystack's NUL at the latest), and the `pcmpistri` head of
//! `strspn`/`strcspn` makes unaligned 16-byte loads only where they cannot
//! reach the next page.

use core::arch::x86_64::*;

use crate::string::search::{bytes_equal, c_str, strstr_two_way, two_way, MemHay};

/// One vector register of bytes. Masks have bit `i` set for byte `i`.
pub(crate) trait Sv: Copy {
    const W: usize;
    /// All `W` mask bits.
    const FULL: u64;

    unsafe fn splat(b: u8) -> Self;
    /// Unaligned load.
    unsafe fn load(p: *const u8) -> Self;
    /// Load from a `W`-aligned address.
    unsafe fn load_aligned(p: *const u8) -> Self;
    unsafe fn eq_mask(self, o: Self) -> u64;
    /// 0xff in the bytes where `self` and `o` agree, 0 elsewhere.
    unsafe fn eq(self, o: Self) -> Self;
    /// Bytes that are zero.
    unsafe fn zero_mask(self) -> u64;
    /// Bytes that are not zero.
    unsafe fn nonzero_mask(self) -> u64;
    unsafe fn xor(self, o: Self) -> Self;
    unsafe fn or(self, o: Self) -> Self;
    unsafe fn and(self, o: Self) -> Self;
    /// Bytewise unsigned minimum.
    unsafe fn min(self, o: Self) -> Self;
    /// A 16-byte table repeated in every 128-bit lane.
    unsafe fn table(t: __m128i) -> Self;
    /// Per-lane table lookup (`pshufb`): byte `i` becomes `self[idx[i] & 15]`,
    /// or 0 where `idx[i] >= 0x80`. Needs SSSE3 for XMM.
    unsafe fn lookup(self, idx: Self) -> Self;
    /// Each byte's high nibble, `b >> 4`.
    unsafe fn high_nibble(self) -> Self;
}

#[inline(always)]
const fn low_bits(k: usize) -> u64 {
    if k >= 64 { !0 } else { (1u64 << k) - 1 }
}

/// Index of the first byte that `stop` marks as zero (or, with `INV`, as
/// non-zero), scanning a string from `s` with aligned vectors only. The
/// scan must be bound to stop within the string (`stop` marks its NUL).
///
/// # Safety
/// `s` is a NUL-terminated string and `stop` marks its terminator.
#[inline(always)]
unsafe fn find_first<V: Sv, const INV: bool>(s: *const u8, stop: impl Fn(V) -> V) -> usize {
    let w = V::W;
    let start = s as usize;
    let off = start & (w - 1);
    // SAFETY: register operations on vectors of the caller's ISA.
    let mask = |x: V| unsafe { if INV { x.nonzero_mask() } else { x.zero_mask() } };
    // SAFETY: as above.
    let reduce = |a: V, b: V| unsafe { if INV { a.or(b) } else { a.min(b) } };
    // SAFETY: aligned loads; see the module comment. Every vector read
    // holds bytes of the string before the stopping point.
    unsafe {
        let mut p = s.sub(off);
        let m = mask(stop(V::load_aligned(p))) >> off;
        if m != 0 {
            return m.trailing_zeros() as usize;
        }
        p = p.add(w);
        while (p as usize) & (4 * w - 1) != 0 {
            let m = mask(stop(V::load_aligned(p)));
            if m != 0 {
                return p as usize - start + m.trailing_zeros() as usize;
            }
            p = p.add(w);
        }
        loop {
            let t0 = stop(V::load_aligned(p));
            let t1 = stop(V::load_aligned(p.add(w)));
            let t2 = stop(V::load_aligned(p.add(2 * w)));
            let t3 = stop(V::load_aligned(p.add(3 * w)));
            if mask(reduce(reduce(t0, t1), reduce(t2, t3))) != 0 {
                for (k, t) in [t0, t1, t2, t3].into_iter().enumerate() {
                    let m = mask(t);
                    if m != 0 {
                        return p as usize - start + k * w + m.trailing_zeros() as usize;
                    }
                }
            }
            p = p.add(4 * w);
        }
    }
}

/// Index of the first `c` in `[s, s + n)`, reading sequentially in
/// aligned vectors.
///
/// # Safety
/// `s` readable up to its first `c` or for `n` bytes, whichever comes first.
#[inline(always)]
unsafe fn memchr_idx<V: Sv>(s: *const u8, c: u8, n: usize) -> Option<usize> {
    let w = V::W;
    if n == 0 {
        return None;
    }
    let start = s as usize;
    let off = start & (w - 1);
    // SAFETY: aligned loads, each holding a byte of `[s, s + n)` that lies
    // before any match found; see the module comment.
    unsafe {
        let cc = V::splat(c);
        let hit = |p: *const u8| V::load_aligned(p).xor(cc);
        let mut p = s.sub(off);
        let m = hit(p).zero_mask() >> off;
        if m != 0 {
            let i = m.trailing_zeros() as usize;
            return if i < n { Some(i) } else { None };
        }
        if n <= w - off {
            return None;
        }
        // Bytes left from `p` on.
        let mut rem = n - (w - off);
        p = p.add(w);
        while (p as usize) & (4 * w - 1) != 0 {
            let m = hit(p).zero_mask();
            if m != 0 {
                let i = m.trailing_zeros() as usize;
                return if i < rem { Some(p as usize - start + i) } else { None };
            }
            if rem <= w {
                return None;
            }
            rem -= w;
            p = p.add(w);
        }
        loop {
            let t0 = hit(p);
            let t1 = hit(p.add(w));
            let t2 = hit(p.add(2 * w));
            let t3 = hit(p.add(3 * w));
            if t0.min(t1).min(t2.min(t3)).zero_mask() != 0 {
                for (k, t) in [t0, t1, t2, t3].into_iter().enumerate() {
                    let m = t.zero_mask();
                    if m != 0 {
                        let i = k * w + m.trailing_zeros() as usize;
                        return if i < rem { Some(p as usize - start + i) } else { None };
                    }
                }
            }
            if rem <= 4 * w {
                return None;
            }
            rem -= 4 * w;
            p = p.add(4 * w);
        }
    }
}

/// Index of the last `c` in `[s, s + n)`.
///
/// # Safety
/// `s` readable for `n` bytes.
#[inline(always)]
unsafe fn memrchr_idx<V: Sv>(s: *const u8, c: u8, n: usize) -> Option<usize> {
    let w = V::W;
    if n == 0 {
        return None;
    }
    if n < w {
        // SAFETY: forwarded caller contract.
        return unsafe { memrchr_short::<V>(s, c, n) };
    }
    let start = s as usize;
    let end = start + n;
    let top = |p: usize, m: u64| Some(p + 63 - m.leading_zeros() as usize - start);
    // SAFETY: `n >= W`: the first load is the buffer's last `W` bytes, the
    // last one its first `W`; in between, aligned loads lying wholly in
    // `(start, end)` (each starts above `start` and ends at or below the
    // already-checked end).
    unsafe {
        let cc = V::splat(c);
        let hit = |p: usize| V::load_aligned(p as *const u8).eq_mask(cc);
        let m = V::load((end - w) as *const u8).eq_mask(cc);
        if m != 0 {
            return top(end - w, m);
        }
        if n <= 3 * w {
            // One or two more unaligned vectors, the last at `s`.
            if n > 2 * w {
                let m = V::load((end - 2 * w) as *const u8).eq_mask(cc);
                if m != 0 {
                    return top(end - 2 * w, m);
                }
            }
            let m = V::load(s).eq_mask(cc);
            return if m != 0 { top(start, m) } else { None };
        }
        // Bytes from `p` on are checked; `p` is `W`-aligned.
        let mut p = end & !(w - 1);
        while p >= start + 4 * w {
            p -= 4 * w;
            let m = [hit(p), hit(p + w), hit(p + 2 * w), hit(p + 3 * w)];
            if (m[0] | m[1] | m[2] | m[3]) != 0 {
                for k in (0..4).rev() {
                    if m[k] != 0 {
                        return top(p + k * w, m[k]);
                    }
                }
            }
        }
        while p >= start + w {
            p -= w;
            let m = hit(p);
            if m != 0 {
                return top(p, m);
            }
        }
        if p > start {
            let m = V::load(s).eq_mask(cc) & low_bits(p - start);
            if m != 0 {
                return top(start, m);
            }
        }
        None
    }
}

/// [`memrchr_idx`] for `n < W`: at most two aligned blocks, each holding a
/// byte of the buffer.
///
/// # Safety
/// `s` readable for `n` bytes.
#[inline(always)]
unsafe fn memrchr_short<V: Sv>(s: *const u8, c: u8, n: usize) -> Option<usize> {
    let w = V::W;
    let start = s as usize;
    let end = start + n;
    // SAFETY: aligned loads, each holding at least one byte of `[s, s + n)`.
    unsafe {
        let cc = V::splat(c);
        let hit = |p: usize| V::load_aligned(p as *const u8).eq_mask(cc);
        // Keeps the bits of block `p` that lie in `[start, end)`.
        let clip = |p: usize, m: u64| {
            let mut m = m & low_bits(end - p);
            if p < start {
                m &= !low_bits(start - p);
            }
            m
        };
        let top = |p: usize, m: u64| Some(p + 63 - m.leading_zeros() as usize - start);
        let p = (end - 1) & !(w - 1);
        let m = clip(p, hit(p));
        if m != 0 {
            return top(p, m);
        }
        if p <= start {
            return None;
        }
        let p = p - w;
        let m = clip(p, hit(p));
        if m != 0 { top(p, m) } else { None }
    }
}

/// Pointer to the first byte of `s` that is `c` or NUL.
///
/// # Safety
/// `s` is a NUL-terminated string.
#[inline(always)]
unsafe fn chrnul<V: Sv>(s: *const u8, c: u8) -> *const u8 {
    // SAFETY: forwarded caller contract; the stop marks the NUL (min(v ^ c,
    // v) is zero exactly where v is c or 0).
    unsafe {
        let cc = V::splat(c);
        s.add(find_first::<V, false>(s, |v: V| v.xor(cc).min(v)))
    }
}

/// `strrchr`: remembers the last block (or 4-block group) with a match
/// before the NUL, then finds the highest match in it.
///
/// # Safety
/// `s` is a NUL-terminated string.
#[inline(always)]
unsafe fn strrchr_v<V: Sv>(s: *const u8, c: u8) -> *const u8 {
    let w = V::W;
    let off = s as usize & (w - 1);
    // SAFETY: `e` is a non-zero mask of block `p`, so the result is in it.
    let hi = |p: *const u8, e: u64| unsafe { p.add(63 - e.leading_zeros() as usize) };
    // SAFETY: aligned loads up to the block holding the NUL, groups only
    // once `4W`-aligned and after blocks without a NUL (see the module
    // comment); the final rescan re-reads a group already read.
    unsafe {
        let cc = V::splat(c);
        let mut p = s.sub(off);
        let mut last: *const u8 = core::ptr::null();
        let mut keep = !low_bits(off);
        // Single blocks: up to the first `4W` boundary, and again once a
        // group holds the NUL.
        let single = |p: *const u8, keep: u64, last: &mut *const u8| -> bool {
            let v = V::load_aligned(p);
            let z = v.zero_mask() & keep;
            let mut e = v.eq_mask(cc) & keep;
            if z != 0 {
                e &= z ^ (z - 1);
            }
            if e != 0 {
                *last = hi(p, e);
            }
            z != 0
        };
        loop {
            if single(p, keep, &mut last) {
                return last;
            }
            keep = !0;
            p = p.add(w);
            if (p as usize) & (4 * w - 1) == 0 {
                break;
            }
        }
        let mut group: *const u8 = core::ptr::null();
        loop {
            let v = [0, 1, 2, 3].map(|k| V::load_aligned(p.add(k * w)));
            let z = v[0].min(v[1]).min(v[2].min(v[3])).zero_mask();
            if z != 0 {
                break;
            }
            let e = v[0].eq(cc).or(v[1].eq(cc)).or(v[2].eq(cc).or(v[3].eq(cc)));
            if e.nonzero_mask() != 0 {
                group = p;
            }
            p = p.add(4 * w);
        }
        // The group at `p` holds the NUL.
        let mut tail: *const u8 = core::ptr::null();
        while !single(p, !0, &mut tail) {
            p = p.add(w);
        }
        if !tail.is_null() {
            return tail;
        }
        if !group.is_null() {
            for k in (0..4).rev() {
                let e = V::load_aligned(group.add(k * w)).eq_mask(cc);
                if e != 0 {
                    return hi(group.add(k * w), e);
                }
            }
        }
        last
    }
}

/// A byte set as three 16-byte tables for the nibble lookup: byte `b` is
/// in the set iff `row(b) & bit(b >> 4) != 0`, where `row` comes from
/// `LO[b & 15]` for `b < 0x80` and `HI[b & 15]` otherwise.
struct SetTables<V> {
    lo: V,
    hi: V,
    bit: V,
    flip: V,
}

/// # Safety
/// `set` is a NUL-terminated string; vector instructions of `V` enabled.
#[inline(always)]
unsafe fn set_tables<V: Sv>(set: *const u8, with_nul: bool) -> SetTables<V> {
    // Bit `(b >> 4) & 7` of byte `b & 15` of the low (b < 0x80) or high
    // table. Sets shorter than 16 bytes go straight into XMM registers (a
    // compare and an or per byte); longer ones first into sixteen 16-bit
    // rows in memory, bit `b >> 4` of row `b & 15` (a few scalar
    // instructions per byte), split into the low and high bytes of the rows
    // afterwards: loading the rows waits once for the byte stores, which
    // only pays off on long sets.
    let mut p = set;
    // SAFETY: reads the set string up to its NUL (the length check reads
    // aligned 16-byte blocks, the second one only when the first holds no
    // NUL); SSE2 register operations and unaligned loads of the local array.
    unsafe {
        let zero = _mm_setzero_si128();
        let off = set as usize & 15;
        let base = set.sub(off);
        let z = (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128(base.cast()), zero)) as u32) >> off;
        let long = if z != 0 {
            false
        } else {
            let z1 = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128(base.add(16).cast()), zero)) as u32;
            z1 == 0 || 16 - off + z1.trailing_zeros() as usize >= 16
        };
        let (lo, hi);
        if long {
            let mut rows = [0u16; 16];
            rows[0] = with_nul as u16;
            while *p != 0 {
                let b = *p;
                rows[(b & 15) as usize] |= 1u16.wrapping_shl((b >> 4) as u32);
                p = p.add(1);
            }
            let r0 = _mm_loadu_si128(rows.as_ptr().cast());
            let r1 = _mm_loadu_si128(rows.as_ptr().add(8).cast());
            let low = _mm_set1_epi16(0xff);
            lo = _mm_packus_epi16(_mm_and_si128(r0, low), _mm_and_si128(r1, low));
            hi = _mm_packus_epi16(_mm_srli_epi16::<8>(r0), _mm_srli_epi16::<8>(r1));
        } else {
            let iota = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            let (mut l, mut h) = (_mm_cvtsi32_si128(with_nul as i32), zero);
            while *p != 0 {
                let b = *p;
                let row = _mm_cmpeq_epi8(iota, _mm_set1_epi8((b & 15) as i8));
                let bit = _mm_and_si128(row, _mm_set1_epi8((1u8 << ((b >> 4) & 7)) as i8));
                if b < 0x80 {
                    l = _mm_or_si128(l, bit);
                } else {
                    h = _mm_or_si128(h, bit);
                }
                p = p.add(1);
            }
            (lo, hi) = (l, h);
        }
        let bits = _mm_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128);
        SetTables { lo: V::table(lo), hi: V::table(hi), bit: V::table(bits), flip: V::splat(0x80) }
    }
}

impl<V: Sv> SetTables<V> {
    /// Non-zero exactly in the bytes of `v` that are in the set.
    #[inline(always)]
    unsafe fn members(&self, v: V) -> V {
        // SAFETY: register operations only.
        unsafe {
            let row = self.lo.lookup(v).or(self.hi.lookup(v.xor(self.flip)));
            row.and(self.bit.lookup(v.high_nibble()))
        }
    }
}

/// Whether a 16-byte load at `p` could reach into the next page.
#[inline(always)]
fn near_page_end(p: *const u8) -> bool {
    (p as usize & 4095) > 4096 - 16
}

/// The head of a `strspn` (`reject` false) or `strcspn` scan by SSE4.2
/// `pcmpistri`, for sets shorter than 16 bytes: it needs no tables, so
/// short spans are cheap. Looks at the first 16 bytes only (`pcmpistri`
/// is slow enough that more chunks lose to the table scan here). `Ok(span)`
/// when it finds the stop, else `Err(k)`: the first `k` bytes are known to
/// be in the span (none when the set is long or a load could cross a page).
///
/// # Safety
/// Both NUL-terminated; SSE4.2 enabled in the caller.
#[inline(always)]
unsafe fn span_head(s: *const u8, set: *const u8, reject: bool) -> Result<usize, usize> {
    if near_page_end(s) || near_page_end(set) {
        return Err(0);
    }
    // SAFETY: the two unaligned loads do not cross into the next page and
    // start at readable bytes.
    unsafe {
        let sv = _mm_loadu_si128(set.cast());
        let zero = _mm_setzero_si128();
        if _mm_movemask_epi8(_mm_cmpeq_epi8(sv, zero)) == 0 {
            return Err(0);
        }
        // The stop in a 16-byte chunk, if any. Implicit lengths: the
        // chunk's bytes from its first NUL on count as ended.
        let stop = |chunk: __m128i| -> Option<usize> {
            if reject {
                let i = _mm_cmpistri::<{ _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ANY | _SIDD_LEAST_SIGNIFICANT }>(sv, chunk);
                if i < 16 {
                    return Some(i as usize);
                }
                let z = _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, zero));
                if z != 0 { Some(z.trailing_zeros() as usize) } else { None }
            } else {
                // Negative polarity also marks the bytes from the NUL on.
                let i = _mm_cmpistri::<
                    { _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ANY | _SIDD_NEGATIVE_POLARITY | _SIDD_LEAST_SIGNIFICANT },
                >(sv, chunk);
                if i < 16 { Some(i as usize) } else { None }
            }
        };
        match stop(_mm_loadu_si128(s.cast())) {
            Some(i) => Ok(i),
            None => Err(16),
        }
    }
}

/// # Safety
/// As C `strspn`.
#[inline(always)]
unsafe fn strspn_v<V: Sv>(s: *const u8, accept: *const u8) -> usize {
    // SAFETY: both are strings; NUL is never a member, so the scan stops at
    // the terminator at the latest.
    unsafe {
        if *accept == 0 {
            return 0;
        }
        if *accept.add(1) == 0 {
            let cc = V::splat(*accept);
            // Stop where the byte differs from `c` (NUL included, c != 0).
            return find_first::<V, true>(s, |v: V| v.xor(cc));
        }
        if *accept.add(2) == 0 {
            return span_small::<V, 2>(s, [*accept, *accept.add(1)], false);
        }
        let k = match span_head(s, accept, false) {
            Ok(i) => return i,
            Err(k) => k,
        };
        let t = set_tables::<V>(accept, false);
        k + find_first::<V, false>(s.add(k), |v: V| t.members(v))
    }
}

/// # Safety
/// As C `strcspn`.
#[inline(always)]
unsafe fn strcspn_v<V: Sv>(s: *const u8, reject: *const u8) -> usize {
    // SAFETY: both are strings; NUL is in the set.
    unsafe {
        if *reject == 0 || *reject.add(1) == 0 {
            return chrnul::<V>(s, *reject) as usize - s as usize;
        }
        if *reject.add(2) == 0 {
            return span_small::<V, 2>(s, [*reject, *reject.add(1)], true);
        }
        let k = match span_head(s, reject, true) {
            Ok(i) => return i,
            Err(k) => k,
        };
        let t = set_tables::<V>(reject, true);
        k + find_first::<V, true>(s.add(k), |v: V| t.members(v))
    }
}

/// Up to `K` distinct bytes of a set, padded by repeating the first; `None`
/// when the set has more.
///
/// # Safety
/// `set` is a non-empty NUL-terminated string.
#[inline(always)]
unsafe fn small_set<const K: usize>(set: *const u8) -> Option<[u8; K]> {
    let mut out = [0u8; K];
    let mut len = 0;
    let mut p = set;
    // SAFETY: reads the set up to its NUL.
    unsafe {
        while *p != 0 {
            if !out[..len].contains(&*p) {
                if len == K {
                    return None;
                }
                out[len] = *p;
                len += 1;
            }
            p = p.add(1);
        }
    }
    let first = out[0];
    // A plain loop: `fill` would lower to a call to `memset`.
    for slot in out.iter_mut().skip(len) {
        *slot = first;
    }
    Some(out)
}

/// `strspn`/`strcspn` for sets of at most `K` bytes with one compare per
/// set byte: the SSE2 form, which has no byte shuffle.
///
/// # Safety
/// `s` is a NUL-terminated string.
#[inline(always)]
unsafe fn span_small<V: Sv, const K: usize>(s: *const u8, set: [u8; K], reject: bool) -> usize {
    // SAFETY: the stop marks NUL in both modes (never a member when
    // accepting; compared with explicitly when rejecting).
    unsafe {
        let cs = set.map(|c| V::splat(c));
        let zero = V::splat(0);
        let members = |v: V| {
            let mut m = v.eq(cs[0]);
            for c in &cs[1..] {
                m = m.or(v.eq(*c));
            }
            m
        };
        if reject {
            find_first::<V, true>(s, |v: V| members(v).or(v.eq(zero)))
        } else {
            find_first::<V, false>(s, members)
        }
    }
}

/// SSE2 `strspn`/`strcspn`: sets of up to 8 bytes by compares, larger
/// ones by the portable bitmap scan.
///
/// # Safety
/// As C `strspn` (`reject` false) or `strcspn` (true).
#[inline(always)]
unsafe fn span_sse2(s: *const u8, set: *const u8, reject: bool) -> usize {
    use crate::string::search as g;
    // SAFETY: forwarded caller contract.
    unsafe {
        if *set == 0 {
            return if reject { chrnul::<X16>(s, 0) as usize - s as usize } else { 0 };
        }
        if let Some(k) = small_set::<4>(set) {
            return span_small::<X16, 4>(s, k, reject);
        }
        if let Some(k) = small_set::<8>(set) {
            return span_small::<X16, 8>(s, k, reject);
        }
        if reject { g::strcspn(s.cast(), set.cast()) } else { g::strspn(s.cast(), set.cast()) }
    }
}

/// What one block of a `strstr` scan found.
enum Block {
    /// Keep scanning.
    Next,
    /// The search is over: a match, or null at the haystack's end.
    Done(*const u8),
}

/// State of one `strstr` scan.
struct StrStr<V> {
    h: *const u8,
    n: *const u8,
    c0: V,
    c1: V,
    /// The needle's byte at `j` (`1 <= j < W`, `j` below the needle's
    /// length): the second filter byte for blocks known to hold no NUL.
    cj: V,
    j: usize,
    /// The needle from its first byte, and the mask of its bytes, when it
    /// is shorter than a vector and could be loaded whole (else `nm == 0`).
    nv: V,
    nm: u64,
    /// Bytes compared while checking candidates.
    work: usize,
}

impl<V: Sv> StrStr<V> {
    /// Checks the candidate positions `cand` (bits) of the block at `p`.
    ///
    /// # Safety
    /// Every candidate position holds a haystack byte before its NUL.
    #[inline(always)]
    unsafe fn verify(&mut self, p: *const u8, mut cand: u64) -> Option<*const u8> {
        let w = V::W;
        // SAFETY: the byte checks stop at the first mismatch, at the
        // haystack's NUL at the latest (the needle's bytes are non-zero
        // before its own NUL).
        unsafe {
            while cand != 0 {
                let pos = p.add(cand.trailing_zeros() as usize);
                cand &= cand - 1;
                let mut k = 1;
                loop {
                    let nk = *self.n.add(k);
                    if nk == 0 {
                        return Some(pos);
                    }
                    if *pos.add(k) != nk {
                        break;
                    }
                    k += 1;
                }
                self.work += k;
                if self.work > 2 * (p as usize + w - self.h as usize) + 256 {
                    return Some(strstr_two_way(pos.add(1), c_str(self.n)) as *const u8);
                }
            }
            None
        }
    }

    /// As [`Self::verify`], for a block `p` with no NUL: the haystack is
    /// readable up to `p + 2W`, so a candidate takes one vector compare
    /// when the needle is short.
    ///
    /// # Safety
    /// `p` is `W`-aligned, its candidates are haystack positions, and its
    /// block holds no NUL, so the string goes on into block `p + W`.
    #[inline(always)]
    unsafe fn verify_open(&mut self, p: *const u8, mut cand: u64) -> Option<*const u8> {
        // SAFETY: the load at `pos < p + W` reads `[pos, pos + W)` inside the
        // blocks `p` and `p + W`, both readable (caller contract).
        unsafe {
            if self.nm == 0 {
                return self.verify(p, cand);
            }
            while cand != 0 {
                let pos = p.add(cand.trailing_zeros() as usize);
                cand &= cand - 1;
                if !V::load(pos).eq_mask(self.nv) & self.nm == 0 {
                    return Some(pos);
                }
            }
            None
        }
    }

    /// Checks the aligned block at `p` (bytes below `keep`'s set bits are
    /// not haystack).
    ///
    /// # Safety
    /// `p` is `W`-aligned and holds a haystack byte before its NUL.
    #[inline(always)]
    unsafe fn block(&mut self, p: *const u8, keep: u64) -> Block {
        let w = V::W;
        // SAFETY: an aligned load sharing a page with a haystack byte. When
        // the block holds no NUL the string goes on into the next block, so
        // the unaligned load at `p + j` (`j < W`) reads only the two blocks
        // `p` and `p + W`, both holding string bytes.
        unsafe {
            let v = V::load_aligned(p);
            let z = v.zero_mask() & keep;
            let first = v.eq_mask(self.c0) & keep;
            if z != 0 {
                // Candidates: the first byte matches and so does the second
                // (or it lies in the next block and is checked below).
                let cand = first
                    & ((v.eq_mask(self.c1) >> 1) | (1u64 << (w - 1)))
                    & low_bits(z.trailing_zeros() as usize);
                return Block::Done(self.verify(p, cand).unwrap_or(core::ptr::null()));
            }
            let cand = first & V::load(p.add(self.j)).eq_mask(self.cj);
            match self.verify_open(p, cand) {
                Some(r) => Block::Done(r),
                None => Block::Next,
            }
        }
    }
}

/// `strstr`: scans aligned blocks for the needle's first byte together
/// with its byte at `j` (its last one for needles shorter than a vector),
/// checks candidates byte by byte, and hands over to two-way when checking
/// costs more than scanning (so the worst case stays linear). Groups of
/// four blocks are screened in one branch when they hold no NUL.
///
/// # Safety
/// As C `strstr`.
#[inline(always)]
unsafe fn strstr_v<V: Sv>(h: *const u8, n: *const u8) -> *const u8 {
    let w = V::W;
    // SAFETY: aligned loads up to the haystack's NUL block (groups only once
    // `4W`-aligned); unaligned loads at `+ j` only where the blocks before
    // them hold no NUL (see `StrStr::block`). The needle's first block is
    // read with one aligned load, which shares a page with its first byte.
    unsafe {
        let n0 = *n;
        if n0 == 0 {
            return h;
        }
        let n1 = *n.add(1);
        if n1 == 0 {
            let p = chrnul::<V>(h, n0);
            return if *p == n0 { p } else { core::ptr::null() };
        }
        // The needle's length if it ends in its first aligned block (then
        // `j` is its last byte), else a byte known to lie before its NUL.
        let noff = n as usize & (w - 1);
        let nz = V::load_aligned(n.sub(noff)).zero_mask() >> noff;
        let j = if nz != 0 { nz.trailing_zeros() as usize - 1 } else { (w - noff - 1).max(1) };
        // A whole-needle vector when the needle ends in that block and an
        // unaligned load from its start stays in its page.
        let whole = nz != 0 && (n as usize & 4095) <= 4096 - w;
        let (nv, nm) = if whole { (V::load(n), low_bits(j + 1)) } else { (V::splat(0), 0) };
        let mut st =
            StrStr { h, n, c0: V::splat(n0), c1: V::splat(n1), cj: V::splat(*n.add(j)), j, nv, nm, work: 0 };
        let off = h as usize & (w - 1);
        let mut p = h.sub(off);
        if let Block::Done(r) = st.block(p, !low_bits(off)) {
            return r;
        }
        p = p.add(w);
        while (p as usize) & (4 * w - 1) != 0 {
            if let Block::Done(r) = st.block(p, !0) {
                return r;
            }
            p = p.add(w);
        }
        loop {
            let v = [0, 1, 2, 3].map(|k| V::load_aligned(p.add(k * w)));
            if v[0].min(v[1]).min(v[2].min(v[3])).zero_mask() != 0 {
                // The block with the NUL ends the search.
                for k in 0..4 {
                    if let Block::Done(r) = st.block(p.add(k * w), !0) {
                        return r;
                    }
                }
            } else {
                // No NUL in the group: the string goes on past it, so the
                // loads at `+ j` stay within the group and the block after.
                let c = |k: usize| v[k].eq_mask(st.c0) & V::load(p.add(k * w + st.j)).eq_mask(st.cj);
                let m = [c(0), c(1), c(2), c(3)];
                if (m[0] | m[1] | m[2] | m[3]) != 0 {
                    for (k, &mk) in m.iter().enumerate() {
                        if let Some(r) = st.verify_open(p.add(k * w), mk) {
                            return r;
                        }
                    }
                }
            }
            p = p.add(4 * w);
        }
    }
}

/// `memmem`: compares the needle's first and last bytes across a window
/// with two unaligned loads, checks candidates, and hands over to two-way
/// when checking costs more than scanning. Haystacks with fewer than `W`
/// candidate positions use 16-byte vectors, or below 16 positions a direct
/// check of each (at most 15 needle comparisons, so still linear).
///
/// # Safety
/// As GNU `memmem`.
#[inline(always)]
unsafe fn memmem_v<V: Sv>(h: *const u8, n: usize, nd: *const u8, m: usize) -> *const u8 {
    // SAFETY: every read lies in `[h, h + n)` or `[nd, nd + m)`: the tiny
    // path checks positions `i <= n - m` over `[i, i + m)`.
    unsafe {
        if m == 0 {
            return h;
        }
        if m > n {
            return core::ptr::null();
        }
        if m == 1 {
            return match memchr_idx::<V>(h, *nd, n) {
                Some(i) => h.add(i),
                None => core::ptr::null(),
            };
        }
        let positions = n - m + 1;
        if positions >= V::W {
            return memmem_scan::<V>(h, n, nd, m);
        }
        if positions >= X16::W {
            return memmem_scan::<X16>(h, n, nd, m);
        }
        let (f, l) = (*nd, *nd.add(m - 1));
        for i in 0..positions {
            if *h.add(i) == f && *h.add(i + m - 1) == l && bytes_equal(h.add(i + 1), nd.add(1), m - 2) {
                return h.add(i);
            }
        }
        core::ptr::null()
    }
}

/// The vector loop of [`memmem_v`].
///
/// # Safety
/// As GNU `memmem`, with `2 <= m` and `n - m + 1 >= V::W`.
#[inline(always)]
unsafe fn memmem_scan<V: Sv>(h: *const u8, n: usize, nd: *const u8, m: usize) -> *const u8 {
    let w = V::W;
    // SAFETY: window loads cover `[i, i + w)` and `[i + m - 1, i + m - 1 + w)`
    // with `i + w <= n - m + 1`, so they stay inside the haystack; the
    // candidate checks read `[pos + 1, pos + m - 1)` with `pos + m <= n`.
    unsafe {
        let positions = n - m + 1;
        let (cf, cl) = (V::splat(*nd), V::splat(*nd.add(m - 1)));
        let mut i = 0;
        let mut work = 0usize;
        while i < positions {
            // Screen four windows at a time; examine one where any has a
            // candidate.
            if i + 4 * w <= positions {
                let c = |k: usize| V::load(h.add(i + k * w)).eq_mask(cf) & V::load(h.add(i + k * w + m - 1)).eq_mask(cl);
                if (c(0) | c(1) | c(2) | c(3)) == 0 {
                    i += 4 * w;
                    continue;
                }
            }
            let mut skip = 0;
            if i + w > positions {
                skip = i - (positions - w);
                i = positions - w;
            }
            let a = V::load(h.add(i));
            let b = V::load(h.add(i + m - 1));
            let mut cand = a.eq_mask(cf) & b.eq_mask(cl) & !low_bits(skip);
            while cand != 0 {
                let pos = i + cand.trailing_zeros() as usize;
                cand &= cand - 1;
                if bytes_equal(h.add(pos + 1), nd.add(1), m - 2) {
                    return h.add(pos);
                }
                work += m;
                if work > 2 * (i + w) + 512 {
                    let rest = pos + 1;
                    let needle = core::slice::from_raw_parts(nd, m);
                    let mut hay = MemHay { p: h.add(rest), n: n - rest };
                    return match two_way(&mut hay, needle, |b| b) {
                        Some(k) => h.add(rest + k),
                        None => core::ptr::null(),
                    };
                }
            }
            i += w;
        }
        core::ptr::null()
    }
}

/// The C entry points of one vector type, inside `#[target_feature]`.
macro_rules! search_entry_points {
    (core, $features:literal, $V:ty) => {
        use core::ffi::{c_char, c_int, c_void};

        use super::*;

        /// # Safety
        /// As C `memchr`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn memchr(s: *const c_void, c: c_int, n: usize) -> *mut c_void {
            // SAFETY: forwarded caller contract.
            match unsafe { memchr_idx::<$V>(s.cast(), c as u8, n) } {
                Some(i) => s.cast::<u8>().wrapping_add(i) as *mut c_void,
                None => core::ptr::null_mut(),
            }
        }

        /// # Safety
        /// As GNU `memrchr`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn memrchr(s: *const c_void, c: c_int, n: usize) -> *mut c_void {
            // SAFETY: forwarded caller contract.
            match unsafe { memrchr_idx::<$V>(s.cast(), c as u8, n) } {
                Some(i) => s.cast::<u8>().wrapping_add(i) as *mut c_void,
                None => core::ptr::null_mut(),
            }
        }

        /// # Safety
        /// As C `strnlen`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strnlen(s: *const c_char, n: usize) -> usize {
            // SAFETY: forwarded caller contract.
            unsafe { memchr_idx::<$V>(s.cast(), 0, n) }.unwrap_or(n)
        }

        /// # Safety
        /// As C `strchr`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strchr(s: *const c_char, c: c_int) -> *mut c_char {
            // SAFETY: forwarded caller contract; `p` points into the string.
            unsafe {
                let p = chrnul::<$V>(s.cast(), c as u8);
                if *p == c as u8 { p as *mut c_char } else { core::ptr::null_mut() }
            }
        }

        /// # Safety
        /// As GNU `strchrnul`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strchrnul(s: *const c_char, c: c_int) -> *mut c_char {
            // SAFETY: forwarded caller contract.
            unsafe { chrnul::<$V>(s.cast(), c as u8) as *mut c_char }
        }

        /// # Safety
        /// As C `strrchr`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strrchr(s: *const c_char, c: c_int) -> *mut c_char {
            // SAFETY: forwarded caller contract.
            unsafe { strrchr_v::<$V>(s.cast(), c as u8) as *mut c_char }
        }

        /// # Safety
        /// As C `strstr`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strstr(h: *const c_char, n: *const c_char) -> *mut c_char {
            // SAFETY: forwarded caller contract.
            unsafe { strstr_v::<$V>(h.cast(), n.cast()) as *mut c_char }
        }

        /// # Safety
        /// As GNU `memmem`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn memmem(h: *const c_void, n: usize, nd: *const c_void, m: usize) -> *mut c_void {
            // SAFETY: forwarded caller contract.
            unsafe { memmem_v::<$V>(h.cast(), n, nd.cast(), m) as *mut c_void }
        }
    };
    (sets, $features:literal, $V:ty) => {
        /// # Safety
        /// As C `strspn`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strspn(s: *const c_char, accept: *const c_char) -> usize {
            // SAFETY: forwarded caller contract.
            unsafe { strspn_v::<$V>(s.cast(), accept.cast()) }
        }

        /// # Safety
        /// As C `strcspn`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strcspn(s: *const c_char, reject: *const c_char) -> usize {
            // SAFETY: forwarded caller contract.
            unsafe { strcspn_v::<$V>(s.cast(), reject.cast()) }
        }

        /// # Safety
        /// As C `strpbrk`; the CPU must support this module's features.
        #[target_feature(enable = $features)]
        pub unsafe extern "C" fn strpbrk(s: *const c_char, accept: *const c_char) -> *mut c_char {
            // SAFETY: forwarded caller contract; the index is in the string.
            unsafe {
                let p = s.add(strcspn_v::<$V>(s.cast(), accept.cast()));
                if *p == 0 { core::ptr::null_mut() } else { p as *mut c_char }
            }
        }
    };
}

// ---------------------------------------------------------------------------
// Vector types.

/// SSE2 (and SSSE3 for `lookup`) 16-byte vectors.
#[derive(Clone, Copy)]
pub(crate) struct X16(__m128i);

// SAFETY (whole impl): each method is one instruction or a short fixed
// sequence; pointers are valid for `W` bytes (aligned where named) by the
// callers' contracts. SSE2 is baseline; `lookup` is only inlined into the
// SSE4.2-level entry points (SSSE3 enabled).
impl Sv for X16 {
    const W: usize = 16;
    const FULL: u64 = 0xffff;
    #[inline(always)]
    unsafe fn splat(b: u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { X16(_mm_set1_epi8(b as i8)) }
    }
    #[inline(always)]
    unsafe fn load(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { X16(_mm_loadu_si128(p.cast())) }
    }
    #[inline(always)]
    unsafe fn load_aligned(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { X16(_mm_load_si128(p.cast())) }
    }
    #[inline(always)]
    unsafe fn eq_mask(self, o: Self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(self.0, o.0)) as u32 as u64 }
    }
    #[inline(always)]
    unsafe fn eq(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { X16(_mm_cmpeq_epi8(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn zero_mask(self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(self.0, _mm_setzero_si128())) as u32 as u64 }
    }
    #[inline(always)]
    unsafe fn nonzero_mask(self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { self.zero_mask() ^ Self::FULL }
    }
    #[inline(always)]
    unsafe fn xor(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { X16(_mm_xor_si128(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn or(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { X16(_mm_or_si128(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn and(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { X16(_mm_and_si128(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn min(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { X16(_mm_min_epu8(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn table(t: __m128i) -> Self {
        // SAFETY: see the impl comment.
        X16(t)
    }
    #[inline(always)]
    unsafe fn lookup(self, idx: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { X16(_mm_shuffle_epi8(self.0, idx.0)) }
    }
    #[inline(always)]
    unsafe fn high_nibble(self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { X16(_mm_and_si128(_mm_srli_epi16::<4>(self.0), _mm_set1_epi8(0x0f))) }
    }
}

/// AVX2 32-byte vectors with `vpmovmskb` masks.
#[derive(Clone, Copy)]
pub(crate) struct Y32(__m256i);

// SAFETY (whole impl): as for `X16`; only inlined into entry points with
// AVX2 enabled.
impl Sv for Y32 {
    const W: usize = 32;
    const FULL: u64 = 0xffff_ffff;
    #[inline(always)]
    unsafe fn splat(b: u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Y32(_mm256_set1_epi8(b as i8)) }
    }
    #[inline(always)]
    unsafe fn load(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Y32(_mm256_loadu_si256(p.cast())) }
    }
    #[inline(always)]
    unsafe fn load_aligned(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Y32(_mm256_load_si256(p.cast())) }
    }
    #[inline(always)]
    unsafe fn eq_mask(self, o: Self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm256_movemask_epi8(_mm256_cmpeq_epi8(self.0, o.0)) as u32 as u64 }
    }
    #[inline(always)]
    unsafe fn eq(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Y32(_mm256_cmpeq_epi8(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn zero_mask(self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm256_movemask_epi8(_mm256_cmpeq_epi8(self.0, _mm256_setzero_si256())) as u32 as u64 }
    }
    #[inline(always)]
    unsafe fn nonzero_mask(self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { self.zero_mask() ^ Self::FULL }
    }
    #[inline(always)]
    unsafe fn xor(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Y32(_mm256_xor_si256(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn or(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Y32(_mm256_or_si256(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn and(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Y32(_mm256_and_si256(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn min(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Y32(_mm256_min_epu8(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn table(t: __m128i) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Y32(_mm256_broadcastsi128_si256(t)) }
    }
    #[inline(always)]
    unsafe fn lookup(self, idx: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Y32(_mm256_shuffle_epi8(self.0, idx.0)) }
    }
    #[inline(always)]
    unsafe fn high_nibble(self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Y32(_mm256_and_si256(_mm256_srli_epi16::<4>(self.0), _mm256_set1_epi8(0x0f))) }
    }
}

/// AVX-512 VL/BW on 32-byte vectors ("EVEX"): compares straight into mask
/// registers, at YMM width.
#[derive(Clone, Copy)]
pub(crate) struct E32(__m256i);

// SAFETY (whole impl): as for `X16`; only inlined into entry points with
// AVX-512 F/BW/VL enabled.
impl Sv for E32 {
    const W: usize = 32;
    const FULL: u64 = 0xffff_ffff;
    #[inline(always)]
    unsafe fn splat(b: u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { E32(_mm256_set1_epi8(b as i8)) }
    }
    #[inline(always)]
    unsafe fn load(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { E32(_mm256_loadu_si256(p.cast())) }
    }
    #[inline(always)]
    unsafe fn load_aligned(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { E32(_mm256_load_si256(p.cast())) }
    }
    #[inline(always)]
    unsafe fn eq_mask(self, o: Self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm256_cmpeq_epi8_mask(self.0, o.0) as u64 }
    }
    #[inline(always)]
    unsafe fn eq(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { E32(_mm256_movm_epi8(_mm256_cmpeq_epi8_mask(self.0, o.0))) }
    }
    #[inline(always)]
    unsafe fn zero_mask(self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm256_testn_epi8_mask(self.0, self.0) as u64 }
    }
    #[inline(always)]
    unsafe fn nonzero_mask(self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm256_test_epi8_mask(self.0, self.0) as u64 }
    }
    #[inline(always)]
    unsafe fn xor(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { E32(_mm256_xor_si256(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn or(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { E32(_mm256_or_si256(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn and(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { E32(_mm256_and_si256(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn min(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { E32(_mm256_min_epu8(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn table(t: __m128i) -> Self {
        // SAFETY: see the impl comment.
        unsafe { E32(_mm256_broadcastsi128_si256(t)) }
    }
    #[inline(always)]
    unsafe fn lookup(self, idx: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { E32(_mm256_shuffle_epi8(self.0, idx.0)) }
    }
    #[inline(always)]
    unsafe fn high_nibble(self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { E32(_mm256_and_si256(_mm256_srli_epi16::<4>(self.0), _mm256_set1_epi8(0x0f))) }
    }
}

/// AVX-512 BW 64-byte ZMM vectors.
#[derive(Clone, Copy)]
pub(crate) struct Z64(__m512i);

// SAFETY (whole impl): as for `E32`.
impl Sv for Z64 {
    const W: usize = 64;
    const FULL: u64 = !0;
    #[inline(always)]
    unsafe fn splat(b: u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Z64(_mm512_set1_epi8(b as i8)) }
    }
    #[inline(always)]
    unsafe fn load(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Z64(_mm512_loadu_si512(p.cast())) }
    }
    #[inline(always)]
    unsafe fn load_aligned(p: *const u8) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Z64(_mm512_load_si512(p.cast())) }
    }
    #[inline(always)]
    unsafe fn eq_mask(self, o: Self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm512_cmpeq_epi8_mask(self.0, o.0) }
    }
    #[inline(always)]
    unsafe fn eq(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Z64(_mm512_movm_epi8(_mm512_cmpeq_epi8_mask(self.0, o.0))) }
    }
    #[inline(always)]
    unsafe fn zero_mask(self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm512_testn_epi8_mask(self.0, self.0) }
    }
    #[inline(always)]
    unsafe fn nonzero_mask(self) -> u64 {
        // SAFETY: see the impl comment.
        unsafe { _mm512_test_epi8_mask(self.0, self.0) }
    }
    #[inline(always)]
    unsafe fn xor(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Z64(_mm512_xor_si512(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn or(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Z64(_mm512_or_si512(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn and(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Z64(_mm512_and_si512(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn min(self, o: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Z64(_mm512_min_epu8(self.0, o.0)) }
    }
    #[inline(always)]
    unsafe fn table(t: __m128i) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Z64(_mm512_broadcast_i32x4(t)) }
    }
    #[inline(always)]
    unsafe fn lookup(self, idx: Self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Z64(_mm512_shuffle_epi8(self.0, idx.0)) }
    }
    #[inline(always)]
    unsafe fn high_nibble(self) -> Self {
        // SAFETY: see the impl comment.
        unsafe { Z64(_mm512_and_si512(_mm512_srli_epi16::<4>(self.0), _mm512_set1_epi8(0x0f))) }
    }
}

// ---------------------------------------------------------------------------
// Per-ISA entry points.

/// SSE2, the baseline. The set scans compare against each byte of small
/// sets (no `pshufb` here).
pub mod sse2 {
    search_entry_points!(core, "sse2", X16);

    /// # Safety
    /// As C `strspn`.
    #[target_feature(enable = "sse2")]
    pub unsafe extern "C" fn strspn(s: *const c_char, accept: *const c_char) -> usize {
        // SAFETY: forwarded caller contract.
        unsafe { span_sse2(s.cast(), accept.cast(), false) }
    }

    /// # Safety
    /// As C `strcspn`.
    #[target_feature(enable = "sse2")]
    pub unsafe extern "C" fn strcspn(s: *const c_char, reject: *const c_char) -> usize {
        // SAFETY: forwarded caller contract.
        unsafe { span_sse2(s.cast(), reject.cast(), true) }
    }

    /// # Safety
    /// As C `strpbrk`.
    #[target_feature(enable = "sse2")]
    pub unsafe extern "C" fn strpbrk(s: *const c_char, accept: *const c_char) -> *mut c_char {
        // SAFETY: forwarded caller contract; the index is in the string.
        unsafe {
            let p = s.add(span_sse2(s.cast(), accept.cast(), true));
            if *p == 0 { core::ptr::null_mut() } else { p as *mut c_char }
        }
    }
}

/// SSE4.2 level (SSSE3's `pshufb` for the set scans).
pub mod sse42 {
    use core::ffi::c_char;

    use super::*;
    search_entry_points!(sets, "sse2,ssse3,sse4.1,sse4.2,popcnt", X16);
}

/// AVX2 with 32-byte vectors.
pub mod avx2 {
    search_entry_points!(core, "avx2,bmi1,bmi2,popcnt", Y32);
    search_entry_points!(sets, "avx2,bmi1,bmi2,popcnt", Y32);
}

/// AVX-512 VL/BW at 32 bytes (EVEX-encoded YMM with mask registers).
pub mod evex {
    search_entry_points!(core, "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt", E32);
    search_entry_points!(sets, "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt", E32);
}

/// AVX-512 BW at 64 bytes (ZMM).
pub mod zmm {
    search_entry_points!(core, "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt", Z64);
    search_entry_points!(sets, "avx512f,avx512bw,avx512vl,avx2,bmi1,bmi2,popcnt", Z64);
}

/// The AVX-512 level's choice per routine among [`evex`], [`zmm`] and
/// [`avx2`], from measurements on this project's machine (see
/// ARCHITECTURE.md): 64-byte vectors for the scans; `memmem`, whose two
/// unaligned window loads per step split cache lines far more often at 64
/// bytes, keeps the 32-byte AVX2 form.
pub mod avx512 {
    pub use super::avx2::memmem;
    pub use super::zmm::{memchr, memrchr, strchr, strchrnul, strcspn, strnlen, strpbrk, strrchr, strspn, strstr};
}
