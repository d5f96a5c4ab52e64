//! Every wide-character variant the CPU supports against simple element-loop
//! oracles: every 4-byte-aligned start 0..63, lengths around each vector and
//! loop-stride boundary, values with the sign bit set, `L'\0'` handling,
//! buffers pressed against `PROT_NONE` guard pages on both sides, strings
//! running across a page boundary, and misaligned pointers (which the SIMD
//! variants hand to the portable loops).

use core::ptr::{read_unaligned, write_unaligned};

use super::tests::Guarded;
use super::wide::*;
use crate::variant::Variant;

fn runnable<F: Copy>(table: &'static [Variant<F>]) -> impl Iterator<Item = &'static Variant<F>> {
    #[cfg(target_arch = "x86_64")]
    let top = crate::cpu::detect().level();
    #[cfg(not(target_arch = "x86_64"))]
    let top = Level::Generic;
    table.iter().filter(move |v| v.level.runs_under(top))
}

/// Element counts around every vector width (4, 8, 16 lanes) and 4x loop
/// stride (16, 32, 64 lanes), a few past a whole 4 KiB page.
fn lengths() -> Vec<usize> {
    let mut v: Vec<usize> = (0..=140).collect();
    for base in [255usize, 256, 511, 1023, 1024, 1100] {
        v.extend([base - 1, base, base + 1]);
    }
    v
}

/// Every 4-byte-aligned start within 0..63.
fn starts() -> impl Iterator<Item = usize> {
    (0..64).step_by(4)
}

/// Awkward nonzero values: sign bit set, extremes, values sharing bytes.
const ALPHABET: [i32; 10] = [1, 2, 0x41, -1, i32::MIN, i32::MAX, 0x100, 0x1_0000, -0x7fff_ff00, 0x0101_0101];

/// Deterministic nonzero elements drawn from `ALPHABET` and beyond.
fn wpattern(seed: usize, n: usize) -> Vec<i32> {
    let mut x = (seed as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let r = (x >> 20) as u32;
            let v = if r.is_multiple_of(3) { ALPHABET[(r as usize >> 2) % ALPHABET.len()] } else { (r ^ (r << 9)) as i32 };
            if v == 0 { 7 } else { v }
        })
        .collect()
}

fn put(p: *mut u8, vals: &[i32]) -> *mut i32 {
    for (i, &v) in vals.iter().enumerate() {
        // SAFETY: callers pass buffers of at least `4 * vals.len()` bytes.
        unsafe { write_unaligned((p as *mut i32).add(i), v) };
    }
    p as *mut i32
}

fn get(p: *const i32, n: usize) -> Vec<i32> {
    // SAFETY: callers pass readable buffers of at least `n` elements.
    (0..n).map(|i| unsafe { read_unaligned(p.add(i)) }).collect()
}

/// `vals` followed by a terminator.
fn terminated(vals: &[i32]) -> Vec<i32> {
    let mut v = vals.to_vec();
    v.push(0);
    v
}

/// Places for a buffer of `bytes` bytes: each aligned start 0..63 after the
/// lower guard page (or only a few for long buffers), then flush against the
/// upper guard page.
fn places(g: &Guarded, bytes: usize) -> Vec<*mut u8> {
    let mut v: Vec<*mut u8> =
        if bytes > 1200 { vec![0, 4, 60] } else { starts().collect() }.into_iter().map(|o| g.at_start(o, bytes)).collect();
    v.push(g.at_end(bytes));
    v
}

/// Misaligned places (the SIMD variants' portable fallback), one of them
/// ending one byte short of the upper guard page.
fn misaligned_places(g: &Guarded, bytes: usize) -> Vec<*mut u8> {
    let mut v: Vec<*mut u8> = [1, 2, 3, 37].into_iter().map(|o| g.at_start(o, bytes)).collect();
    v.push(g.at_end(bytes + 1));
    v
}

fn oracle_cmp(a: &[i32], b: &[i32], n: usize, strings: bool) -> i32 {
    for i in 0..n {
        let (x, y) = (a[i], b[i]);
        if x != y || (strings && x == 0) {
            return x.saturating_sub(y);
        }
    }
    0
}

#[test]
fn tables_start_generic_and_climb() {
    fn check<F: Copy>(t: &[Variant<F>]) {
        super::tests::assert_climbs(t);
        #[cfg(target_arch = "x86_64")]
        assert_eq!(t.len(), 4);
    }
    check(WCSLEN);
    check(WCSNLEN);
    check(WCSCHR);
    check(WCSRCHR);
    check(WCSCMP);
    check(WCSNCMP);
    check(WMEMCHR);
    check(WMEMCMP);
    check(WMEMSET);
    check(WCSCPY);
}

#[test]
fn wdiff_is_musl_value_unless_it_overflows() {
    assert_eq!(wdiff(3, 5), -2);
    assert_eq!(wdiff(-1, 0), -1);
    assert_eq!(wdiff(i32::MAX, -1), i32::MAX);
    assert_eq!(wdiff(i32::MIN, 1), i32::MIN);
    assert_eq!(wdiff(i32::MIN, i32::MAX), i32::MIN);
    assert_eq!(wdiff(i32::MAX, i32::MIN), i32::MAX);
    assert_eq!(wdiff(7, 7), 0);
}

#[test]
fn wcslen_all_variants() {
    let g = Guarded::new(8 * 1200);
    for v in runnable(WCSLEN) {
        for n in lengths() {
            let s = terminated(&wpattern(n, n));
            let bytes = s.len() * 4;
            for p in places(&g, bytes).into_iter().chain(misaligned_places(&g, bytes)) {
                let p = put(p, &s);
                // SAFETY: `p` holds a terminated wide string.
                assert_eq!(unsafe { (v.func)(p) }, n, "{} n={n} p={p:?}", v.name);
            }
        }
    }
}

#[test]
fn wcsnlen_and_wmemchr_all_variants() {
    let g = Guarded::new(8 * 1200);
    for (vl, vc) in runnable(WCSNLEN).zip(runnable(WMEMCHR)) {
        assert_eq!(vl.name, vc.name);
        for n in lengths() {
            let body = wpattern(n + 11, n);
            // Bounds below, at and past the terminator; the buffer holds
            // exactly the elements the bound allows, so the guard page
            // catches any element-granular over-read.
            for bound in [0, n / 2, n.saturating_sub(1), n, n + 1, n + 17, usize::MAX] {
                let len = bound.min(n + 1);
                let buf = &terminated(&body)[..len];
                let bytes = len * 4;
                for p in places(&g, bytes).into_iter().chain(misaligned_places(&g, bytes)) {
                    let p = put(p, buf);
                    // SAFETY: readable up to the terminator or `bound`.
                    let got = unsafe { (vl.func)(p, bound) };
                    assert_eq!(got, n.min(bound), "wcsnlen {} n={n} bound={bound} p={p:?}", vl.name);
                }
            }
            // wmemchr: the element at `k` (or none) is the first `c`; the
            // buffer holds exactly `n` elements; copies of `c` just past `n`
            // (when there is room) must not be found.
            let mut ks: Vec<Option<usize>> = vec![None];
            if n > 0 {
                ks.extend([0, n - 1, n / 2, n / 3].map(Some));
                for k in [3usize, 4, 7, 8, 15, 16, 31, 32, 63, 64, 65, 127, 255, 256] {
                    if k < n {
                        ks.push(Some(k));
                    }
                }
            }
            for k in ks {
                for c in [0, -1, i32::MIN, 0x41, i32::MAX] {
                    let mut buf: Vec<i32> = body.iter().map(|&x| if x == c { 5 } else { x }).collect();
                    if let Some(k) = k {
                        buf[k] = c;
                    }
                    let want = k;
                    let bytes = n * 4;
                    for p in places(&g, bytes + 8).into_iter().chain(misaligned_places(&g, bytes)) {
                        let p = put(p, &buf);
                        if p as usize + bytes + 8 <= g.at_end(0) as usize {
                            put(unsafe { p.add(n) }.cast(), &[c, c]);
                        }
                        // SAFETY: `p` holds `n` elements.
                        let got = unsafe { (vc.func)(p, c, n) };
                        let got = if got.is_null() { None } else { Some((got as usize - p as usize) / 4) };
                        assert_eq!(got, want, "wmemchr {} n={n} k={k:?} c={c} p={p:?}", vc.name);
                    }
                    // Flush against the upper guard page with exactly `n`.
                    let p = put(g.at_end(bytes), &buf);
                    let got = unsafe { (vc.func)(p, c, n) };
                    let got = if got.is_null() { None } else { Some((got as usize - p as usize) / 4) };
                    assert_eq!(got, want, "wmemchr {} guard n={n} k={k:?} c={c}", vc.name);
                }
            }
        }
    }
}

#[test]
fn wcschr_and_wcsrchr_all_variants() {
    let g = Guarded::new(8 * 1200);
    for (vf, vr) in runnable(WCSCHR).zip(runnable(WCSRCHR)) {
        assert_eq!(vf.name, vr.name);
        for n in lengths() {
            let body = wpattern(n + 5, n);
            let mut cases: Vec<(i32, Vec<usize>)> = vec![(0, vec![]), (-1, vec![]), (0x41, vec![])];
            if n > 0 {
                cases.push((i32::MIN, vec![n - 1]));
                cases.push((-1, vec![0]));
                cases.push((0x41, vec![n / 2]));
                cases.push((i32::MAX, vec![0, n / 3, n - 1]));
                for k in [4usize, 15, 16, 17, 31, 32, 63, 64, 65, 255, 256, 1023] {
                    if k < n {
                        cases.push((-0x7fff_ff00, vec![k, (k + 5).min(n - 1)]));
                    }
                }
            }
            for (c, at) in cases {
                let mut s: Vec<i32> = body.iter().map(|&x| if x == c { 9 } else { x }).collect();
                for &k in &at {
                    s[k] = c;
                }
                s.push(0);
                // Past the terminator: copies of `c` that must not count.
                let (first, last) = if c == 0 { (Some(n), Some(n)) } else { (at.first().copied(), at.last().copied()) };
                let bytes = s.len() * 4;
                for p in places(&g, bytes + 8).into_iter().chain(misaligned_places(&g, bytes)) {
                    let p = put(p, &s);
                    if p as usize + bytes + 8 <= g.at_end(0) as usize {
                        put(unsafe { p.add(n + 1) }.cast(), &[c | 1, c | 1]);
                    }
                    let idx = |r: *mut i32| if r.is_null() { None } else { Some((r as usize - p as usize) / 4) };
                    // SAFETY: `p` holds a terminated wide string.
                    assert_eq!(idx(unsafe { (vf.func)(p, c) }), first, "wcschr {} n={n} c={c} p={p:?}", vf.name);
                    assert_eq!(idx(unsafe { (vr.func)(p, c) }), last, "wcsrchr {} n={n} c={c} p={p:?}", vr.name);
                }
                let p = put(g.at_end(bytes), &s);
                let idx = |r: *mut i32| if r.is_null() { None } else { Some((r as usize - p as usize) / 4) };
                assert_eq!(idx(unsafe { (vf.func)(p, c) }), first, "wcschr {} guard n={n} c={c}", vf.name);
                assert_eq!(idx(unsafe { (vr.func)(p, c) }), last, "wcsrchr {} guard n={n} c={c}", vr.name);
            }
        }
    }
}

/// Pairs of (a, b) strings of length `n`, differing at various positions,
/// by signed and overflowing amounts, or one ending early.
fn cmp_cases(n: usize) -> Vec<(Vec<i32>, Vec<i32>)> {
    let a = wpattern(n + 3, n);
    let mut out = vec![(a.clone(), a.clone())];
    if n == 0 {
        out.push((vec![], vec![]));
        return out;
    }
    let mut pos = vec![0, n - 1, n / 2];
    pos.extend([3usize, 4, 7, 8, 15, 16, 17, 31, 32, 63, 64, 65, 255, 256, 1023].into_iter().filter(|&k| k < n));
    for (j, &k) in pos.iter().enumerate() {
        let mut b = a.clone();
        b[k] = match j % 4 {
            0 => a[k].wrapping_add(1).max(1),
            1 => if a[k] >= 0 { i32::MIN } else { i32::MAX },
            2 => a[k].wrapping_neg() | 1,
            _ => 0, // b ends early
        };
        if b[k] == a[k] {
            b[k] = a[k] ^ 0x40;
        }
        out.push((a.clone(), b));
    }
    out
}

#[test]
fn wcscmp_wcsncmp_wmemcmp_all_variants() {
    let g = Guarded::new(8 * 1200);
    let h = Guarded::new(8 * 1200);
    let vs = runnable(WCSCMP).zip(runnable(WCSNCMP)).zip(runnable(WMEMCMP));
    for ((vc, vn), vm) in vs {
        assert!(vc.name == vn.name && vc.name == vm.name);
        for n in lengths() {
            for (a, b) in cmp_cases(n) {
                let (sa, sb) = (terminated(&a), terminated(&b));
                let want = oracle_cmp(&sa, &sb, n + 1, true);
                let bytes = sa.len() * 4;
                let (pa_list, pb_list) = (places(&g, bytes), places(&h, bytes));
                let mut pairs: Vec<(*mut u8, *mut u8)> = Vec::new();
                for (i, &pa) in pa_list.iter().enumerate() {
                    // Every placement of `a` against a few of `b`, so the two
                    // reach page ends at different times.
                    for j in [i, (i + 5) % pb_list.len(), pb_list.len() - 1] {
                        pairs.push((pa, pb_list[j]));
                    }
                }
                for (x, y) in misaligned_places(&g, bytes).into_iter().zip(misaligned_places(&h, bytes)) {
                    pairs.push((x, y));
                }
                pairs.push((g.at_start(4, bytes), h.at_start(3, bytes)));
                for (pa, pb) in pairs {
                    let (pa, pb) = (put(pa, &sa), put(pb, &sb));
                    // SAFETY: both hold terminated strings of `n + 1` elements.
                    unsafe {
                        assert_eq!((vc.func)(pa, pb), want, "wcscmp {} n={n} pa={pa:?} pb={pb:?}", vc.name);
                        assert_eq!((vc.func)(pb, pa), oracle_cmp(&sb, &sa, n + 1, true), "wcscmp {} rev n={n}", vc.name);
                        for bound in [0, 1, n / 2, n, n + 1, n + 5, usize::MAX] {
                            let w = oracle_cmp(&sa, &sb, bound.min(n + 1), true);
                            assert_eq!((vn.func)(pa, pb, bound), w, "wcsncmp {} n={n} bound={bound} pa={pa:?}", vn.name);
                        }
                        for len in [n, n / 2] {
                            let w = oracle_cmp(&a, &b, len, false);
                            assert_eq!((vm.func)(pa, pb, len), w, "wmemcmp {} n={len} pa={pa:?} pb={pb:?}", vm.name);
                        }
                    }
                }
                // wcsncmp/wmemcmp with buffers of exactly `bound` elements
                // flush against the guard page, without terminators.
                for bound in [n / 2, n] {
                    let (pa, pb) = (put(g.at_end(bound * 4), &a[..bound]), put(h.at_end(bound * 4), &b[..bound]));
                    let w = oracle_cmp(&a, &b, bound, true);
                    // SAFETY: both hold `bound` elements.
                    unsafe {
                        assert_eq!((vn.func)(pa, pb, bound), w, "wcsncmp {} guard n={n} bound={bound}", vn.name);
                        let w = oracle_cmp(&a, &b, bound, false);
                        assert_eq!((vm.func)(pa, pb, bound), w, "wmemcmp {} guard n={n} bound={bound}", vm.name);
                    }
                }
            }
        }
    }
}

#[test]
fn wcscmp_across_a_page_boundary() {
    // Strings laid across the boundary between two data pages at every
    // 4-byte offset, so each variant takes its element-stepping path there.
    let g = Guarded::new(3 * 4096);
    let h = Guarded::new(3 * 4096);
    for ((vc, vn), vm) in runnable(WCSCMP).zip(runnable(WCSNCMP)).zip(runnable(WMEMCMP)) {
        for n in [20usize, 40, 100] {
            let a = wpattern(n, n);
            for before in (4..=80).step_by(4) {
                for diff_at in [None, Some(before / 4 - 1), Some(before / 4), Some(n - 1)] {
                    let mut b = a.clone();
                    if let Some(k) = diff_at.filter(|&k| k < n) {
                        b[k] = if a[k] > 0 { i32::MIN } else { i32::MAX };
                    }
                    let (sa, sb) = (terminated(&a), terminated(&b));
                    let want = oracle_cmp(&sa, &sb, n + 1, true);
                    for shift in [0usize, 4, 8, 28, 60] {
                        let pa = put(g.at_start(4096 - before, (n + 1) * 4), &sa);
                        let pb = put(h.at_start(4096 - before - shift, (n + 1) * 4), &sb);
                        // SAFETY: both hold terminated strings.
                        unsafe {
                            assert_eq!((vc.func)(pa, pb), want, "wcscmp {} n={n} before={before} shift={shift}", vc.name);
                            assert_eq!((vc.func)(pb, pa), oracle_cmp(&sb, &sa, n + 1, true), "wcscmp {} rev", vc.name);
                            assert_eq!((vn.func)(pa, pb, n), oracle_cmp(&sa, &sb, n, true), "wcsncmp {}", vn.name);
                            assert_eq!((vm.func)(pa, pb, n), oracle_cmp(&a, &b, n, false), "wmemcmp {}", vm.name);
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn wmemset_all_variants() {
    let g = Guarded::new(8 * 1200 + 64);
    for v in runnable(WMEMSET) {
        for n in lengths() {
            for c in [0, -1, i32::MIN, 0x0102_0304] {
                let bytes = n * 4;
                let mut ps = places(&g, bytes + 8);
                ps.extend([1, 2, 3, 5].map(|o| g.at_start(o, bytes + 8)));
                for p in ps {
                    let p = put(p, &vec![0x5555_5555; n + 2][..if p as usize + bytes + 8 <= g.at_end(0) as usize { n + 2 } else { n }]);
                    // SAFETY: `p` holds `n` elements.
                    let r = unsafe { (v.func)(p, c, n) };
                    assert_eq!(r, p, "{} return", v.name);
                    assert!(get(p, n).iter().all(|&x| x == c), "{} n={n} c={c} p={p:?}", v.name);
                    if p as usize + bytes + 8 <= g.at_end(0) as usize {
                        assert_eq!(get(unsafe { p.add(n) }, 2), [0x5555_5555; 2], "{} overrun n={n} p={p:?}", v.name);
                    }
                }
                let p = g.at_end(bytes) as *mut i32;
                unsafe { (v.func)(p, c, n) };
                assert!(get(p, n).iter().all(|&x| x == c), "{} guard n={n}", v.name);
            }
        }
    }
}

#[test]
fn wcscpy_all_variants() {
    let g = Guarded::new(8 * 1200 + 64);
    let h = Guarded::new(8 * 1200 + 64);
    for v in runnable(WCSCPY) {
        for n in lengths() {
            let s = terminated(&wpattern(n + 1, n));
            let bytes = s.len() * 4;
            let srcs: Vec<*mut u8> = places(&g, bytes).into_iter().chain(misaligned_places(&g, bytes)).collect();
            let mut dsts: Vec<*mut u8> = places(&h, bytes + 8);
            dsts.push(h.at_start(1, bytes + 8));
            dsts.push(h.at_start(6, bytes + 8));
            for (i, &sp) in srcs.iter().enumerate() {
                for dp in [dsts[i % dsts.len()], dsts[(i * 7 + 3) % dsts.len()], *dsts.last().unwrap()] {
                    let sp = put(sp, &s);
                    let room = dp as usize + bytes + 8 <= h.at_end(0) as usize;
                    let dp = put(dp, &vec![0x7777_7777; if room { s.len() + 2 } else { s.len() }]);
                    // SAFETY: `sp` terminated, `dp` holds `n + 1` elements.
                    let r = unsafe { (v.func)(dp, sp) };
                    assert_eq!(r, dp, "{} return", v.name);
                    assert_eq!(get(dp, s.len()), s, "{} n={n} sp={sp:?} dp={dp:?}", v.name);
                    if room {
                        assert_eq!(get(unsafe { dp.add(s.len()) }, 2), [0x7777_7777; 2], "{} overrun n={n}", v.name);
                    }
                }
            }
        }
    }
}
