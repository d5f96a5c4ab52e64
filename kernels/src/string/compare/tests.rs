//! Every variant of the compare/copy family that this CPU runs (both
//! AVX-512 forms included) against byte-loop oracles written from musl's
//! definitions: strings pressed against `PROT_NONE` guard pages, alignment
//! pairs out of 0..63, lengths around every block and page boundary, bytes
//! >= 0x80, differences at every position, `n` below, at and above the
//! string lengths (and arrays with no NUL at all for the `n` forms).

use core::ffi::{c_char, c_int, c_void};

use crate::string::tests::{Guarded, fill, pattern, read, runnable};
use crate::variant::Variant;

#[cfg(target_arch = "x86_64")]
use super::all as t;
#[cfg(not(target_arch = "x86_64"))]
mod t {
    pub(super) use super::super::*;
}

fn fold(c: u8) -> u8 {
    c.to_ascii_lowercase()
}

/// musl's strncmp/strncasecmp loop, unbounded with `n = usize::MAX`.
fn oracle_cmp(a: &[u8], b: &[u8], n: usize, case: bool) -> i32 {
    let f = |c: u8| if case { fold(c) } else { c };
    let mut i = 0;
    while i < n {
        let (x, y) = (a[i], b[i]);
        if x == 0 || f(x) != f(y) {
            return f(x) as i32 - f(y) as i32;
        }
        i += 1;
    }
    0
}

/// Non-NUL text with letters of both cases and bytes >= 0x80.
fn text(seed: usize, n: usize) -> Vec<u8> {
    let alphabet = b"aAbBzZ@[`{09 \x7f\x80\xc1\xdf\xe0\xff";
    pattern(seed, n)
        .into_iter()
        .enumerate()
        .map(|(i, x)| if i % 3 == 0 { alphabet[x as usize % alphabet.len()] } else { x.max(1) })
        .collect()
}

/// The same text with the case of every other letter swapped.
fn recase(s: &[u8]) -> Vec<u8> {
    s.iter().enumerate().map(|(i, &c)| if i % 2 == 1 && c.is_ascii_alphabetic() { c ^ 0x20 } else { c }).collect()
}

fn lengths() -> Vec<usize> {
    let mut v: Vec<usize> = (0..=200).collect();
    for base in [255, 256, 257, 300, 511, 512, 1000, 4095, 4096, 4097, 4160, 8193] {
        v.push(base);
    }
    v
}

type Cmp = unsafe extern "C" fn(*const c_char, *const c_char, usize) -> c_int;

/// The four compares as one signature: (name, case, bounded, function).
fn compares() -> Vec<(String, bool, bool, Box<dyn Fn(*const u8, *const u8, usize) -> i32>)> {
    let mut out: Vec<(String, bool, bool, Box<dyn Fn(*const u8, *const u8, usize) -> i32>)> = Vec::new();
    for v in runnable(t::STRCMP) {
        let f = v.func;
        // SAFETY: the tests pass valid strings.
        out.push((
            format!("strcmp/{}", v.name),
            false,
            false,
            Box::new(move |a, b, _| unsafe { f(a.cast(), b.cast()) }),
        ));
    }
    for v in runnable(t::STRCASECMP) {
        let f = v.func;
        // SAFETY: as above.
        out.push((
            format!("strcasecmp/{}", v.name),
            true,
            false,
            Box::new(move |a, b, _| unsafe { f(a.cast(), b.cast()) }),
        ));
    }
    let bounded: [(&str, bool, &'static [Variant<Cmp>]); 2] =
        [("strncmp", false, t::STRNCMP), ("strncasecmp", true, t::STRNCASECMP)];
    for (name, case, table) in bounded {
        for v in runnable(table) {
            let f = v.func;
            // SAFETY: as above.
            out.push((
                format!("{name}/{}", v.name),
                case,
                true,
                Box::new(move |a, b, n| unsafe { f(a.cast(), b.cast(), n) }),
            ));
        }
    }
    out
}

#[test]
fn compares_every_length_and_difference() {
    let (ga, gb) = (Guarded::new(9000), Guarded::new(9000));
    let fs = compares();
    for len in lengths() {
        let a0 = text(len, len);
        // Variations of b: equal, shorter, longer, one byte changed at
        // selected positions (both signs, >= 0x80, case-only changes).
        let mut cases: Vec<(Vec<u8>, Vec<u8>)> = vec![(a0.clone(), a0.clone()), (a0.clone(), recase(&a0))];
        if len > 0 {
            cases.push((a0.clone(), a0[..len - 1].to_vec()));
            cases.push((a0[..len - 1].to_vec(), a0.clone()));
        }
        let mut positions: Vec<usize> = vec![0, len / 2, len.saturating_sub(1)];
        for k in [15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 4095, 4096] {
            positions.push(k);
        }
        if len <= 70 {
            positions.extend(0..len);
        }
        for &p in positions.iter().filter(|&&p| p < len) {
            let mut b = a0.clone();
            b[p] = b[p].wrapping_add(0x80 + (p as u8 & 1));
            if b[p] == 0 {
                b[p] = 1;
            }
            cases.push((a0.clone(), b.clone()));
            cases.push((b, a0.clone()));
            let mut c = recase(&a0);
            c[p] = if c[p].is_ascii_alphabetic() { c[p] ^ 0x20 } else { b'Q' };
            cases.push((a0.clone(), c));
        }
        for (a, b) in &cases {
            let (mut az, mut bz) = (a.clone(), b.clone());
            az.push(0);
            bz.push(0);
            let aligns: &[(usize, usize)] =
                if len <= 300 { &[(0, 0), (1, 2), (63, 5), (16, 48), (7, 7), (33, 0)] } else { &[(0, 0), (3, 61)] };
            let mut places: Vec<(*const u8, *const u8)> = Vec::new();
            for &(x, y) in aligns {
                places.push((ga.at_start(x, az.len()), gb.at_start(y, bz.len())));
            }
            // Both strings end exactly at a guard page.
            places.push((ga.at_end(az.len()), gb.at_end(bz.len())));
            for (pa, pb) in places {
                fill(pa as *mut u8, &az);
                fill(pb as *mut u8, &bz);
                for (name, case, bounded, f) in &fs {
                    let ns: Vec<usize> = if *bounded {
                        vec![0, 1, len / 2, len.saturating_sub(1), len, len + 1, len + 100, usize::MAX]
                    } else {
                        vec![usize::MAX]
                    };
                    for n in ns {
                        let want = oracle_cmp(&az, &bz, n, *case);
                        let got = f(pa, pb, n);
                        assert_eq!(
                            got,
                            want,
                            "{name} len={len} n={n} a={:?} b={:?}",
                            &az[..az.len().min(80)],
                            &bz[..bz.len().min(80)]
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn compares_every_alignment_pair_and_page_offset() {
    let (ga, gb) = (Guarded::new(3 * 4096), Guarded::new(3 * 4096));
    let fs = compares();
    for len in [0usize, 1, 15, 16, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200, 257] {
        let a: Vec<u8> = text(len + 99, len).into_iter().chain([0]).collect();
        for sa in 0..64 {
            for sb in 0..64 {
                // Vary the page offset too: place the pair so that either
                // string straddles the middle page boundary.
                let shift = (sa * 67 + sb * 13 + len) % 200;
                let (pa, pb) = (ga.at_start(4096 - shift + sa, a.len()), gb.at_start(4096 - shift / 2 + sb, a.len()));
                fill(pa, &a);
                let mut b = a.clone();
                if len > 0 {
                    let p = (sa + sb * 3) % len;
                    b[p] ^= 0x81;
                }
                fill(pb, &b);
                for (name, case, bounded, f) in &fs {
                    let n = if *bounded { len.max(1) + (sa & 3) - 1 } else { usize::MAX };
                    assert_eq!(f(pa, pb, n), oracle_cmp(&a, &b, n, *case), "{name} len={len} sa={sa} sb={sb} n={n}");
                    assert_eq!(f(pb, pa, n), oracle_cmp(&b, &a, n, *case), "{name} rev len={len} sa={sa} sb={sb}");
                }
            }
        }
    }
}

#[test]
fn bounded_compares_read_no_further_than_n() {
    // Arrays with no NUL at all, ending exactly at a guard page: only `n`
    // bytes of each exist.
    let (ga, gb) = (Guarded::new(16384), Guarded::new(16384));
    let fs = compares();
    for n in (0..=300).chain([511, 512, 1023, 4095, 4096, 4097, 8000]) {
        let a = text(n + 5, n);
        for diff_at in [None, Some(0), Some(n / 2), Some(n.saturating_sub(1))] {
            let mut b = recase(&a);
            if let Some(p) = diff_at.filter(|&p| p < n) {
                b[p] = b[p].wrapping_add(1).max(1);
            }
            for lead in [0usize, 1, 17, 4000] {
                // `a` ends at its guard page; `b` ends `lead` bytes earlier
                // in its page but is still `n` bytes long.
                let pa = ga.at_end(n);
                let pb = gb.at_end(n + lead);
                fill(pa, &a);
                fill(pb, &b);
                for (name, case, bounded, f) in &fs {
                    if *bounded {
                        assert_eq!(f(pa, pb, n), oracle_cmp(&a, &b, n, *case), "{name} n={n} lead={lead}");
                        assert_eq!(f(pb, pa, n), oracle_cmp(&b, &a, n, *case), "{name} rev n={n} lead={lead}");
                    }
                }
            }
        }
    }
}

/// Runs a copy-like `f(dst, src)` with the source string (and separately
/// the destination) against guard pages and checks the bytes around.
#[test]
fn strcpy_stpcpy_strcat() {
    let (gs, gd) = (Guarded::new(9000), Guarded::new(9000));
    for len in lengths() {
        let s: Vec<u8> = text(len + 1, len).into_iter().chain([0]).collect();
        let prefix = text(len + 2, len % 37);
        let aligns: &[(usize, usize)] =
            if len <= 300 { &[(0, 0), (1, 0), (0, 1), (63, 17), (5, 33)] } else { &[(0, 0), (7, 60)] };
        let mut places: Vec<(*mut u8, *mut u8, bool)> =
            aligns.iter().map(|&(x, y)| (gs.at_start(x, s.len()), gd.at_start(y, s.len() + 80), false)).collect();
        // Source ending at its guard page; destination ending at its guard page.
        places.push((gs.at_end(s.len()), gd.at_start(3, s.len() + 80), false));
        places.push((gs.at_start(9, s.len()), gd.at_end(s.len() + prefix.len() + 1), true));
        for (ps, pd, tight) in places {
            fill(ps, &s);
            for (v, kind) in runnable(t::STRCPY)
                .map(|v| (v, 0))
                .chain(runnable(t::STPCPY).map(|v| (v, 1)))
                .chain(runnable(t::STRCAT).map(|v| (v, 2)))
            {
                let room = if tight { s.len() + prefix.len() + 1 } else { s.len() + 80 };
                let before: Vec<u8> = pattern(len + kind, room);
                fill(pd, &before);
                let mut want = before.clone();
                let start = if kind == 2 {
                    let mut pre = prefix.clone();
                    pre.push(0);
                    fill(pd, &pre);
                    want[..pre.len()].copy_from_slice(&pre);
                    prefix.len()
                } else {
                    0
                };
                want[start..start + s.len()].copy_from_slice(&s);
                // SAFETY: `pd` has room for the result, `ps` is a string.
                let r = unsafe { (v.func)(pd.cast(), ps.cast()) } as *mut u8;
                let want_r = if kind == 1 { pd.wrapping_add(len) } else { pd };
                assert_eq!(r, want_r, "kind {kind} {} len={len}", v.name);
                assert_eq!(read(pd, room), want, "kind {kind} {} len={len}", v.name);
            }
        }
    }
}

#[test]
fn strcpy_every_alignment_pair() {
    let (gs, gd) = (Guarded::new(2 * 4096), Guarded::new(2 * 4096));
    for len in [0usize, 1, 15, 16, 31, 32, 63, 64, 65, 127, 128, 200, 300] {
        let s: Vec<u8> = text(len, len).into_iter().chain([0]).collect();
        for sa in 0..64 {
            for da in 0..64 {
                let shift = (sa * 31 + da * 7 + len) % 300;
                let ps = gs.at_start(4096 - shift + sa, s.len());
                let pd = gd.at_start(da, s.len() + 2);
                fill(ps, &s);
                for v in runnable(t::STPCPY) {
                    fill(pd, &[0xee; 2]);
                    fill(pd.wrapping_add(s.len()), &[0xee; 2]);
                    // SAFETY: room for the result.
                    let r = unsafe { (v.func)(pd.cast(), ps.cast()) } as *mut u8;
                    assert_eq!(r, pd.wrapping_add(len));
                    assert_eq!(
                        read(pd, s.len() + 2),
                        [&s[..], &[0xee, 0xee]].concat(),
                        "{} len={len} sa={sa} da={da}",
                        v.name
                    );
                }
            }
        }
    }
}

#[test]
fn strncpy_stpncpy_strncat() {
    let (gs, gd) = (Guarded::new(9000), Guarded::new(9000));
    for len in lengths() {
        let body = text(len + 3, len);
        for n in [0, 1, len / 2, len.saturating_sub(1), len, len + 1, len + 63, len + 300] {
            // With and without a NUL; without one, only `min(n, len)` bytes
            // exist, pressed against the guard page.
            for terminated in [true, false] {
                if !terminated && n > len {
                    continue;
                }
                let mut s = body.clone();
                if terminated {
                    s.push(0);
                } else {
                    s.truncate(n.min(len));
                }
                let aligns: &[usize] = if len <= 300 { &[0, 1, 31, 62] } else { &[0, 5] };
                for &sa in aligns {
                    let ps = if sa == 0 { gs.at_end(s.len()) } else { gs.at_start(sa, s.len()) };
                    fill(ps, &s);
                    let copied = n.min(len);
                    let mut want: Vec<u8> = s[..copied].to_vec();
                    want.resize(n, 0);
                    for (v, stp) in
                        runnable(t::STRNCPY).map(|v| (v, false)).chain(runnable(t::STPNCPY).map(|v| (v, true)))
                    {
                        // Destination of exactly `n` bytes before the guard page.
                        let pd = gd.at_end(n);
                        fill(pd, &pattern(n, n));
                        // SAFETY: `pd` holds `n` bytes, `ps` `min(n, len)` or a string.
                        let r = unsafe { (v.func)(pd.cast(), ps.cast(), n) } as *mut u8;
                        assert_eq!(read(pd, n), want, "{} stp={stp} len={len} n={n} sa={sa}", v.name);
                        let want_r = if stp { pd.wrapping_add(copied) } else { pd };
                        assert_eq!(r, want_r, "{} return stp={stp} len={len} n={n}", v.name);
                    }
                    let prefix = text(n + 7, (len + n) % 45);
                    for v in runnable(t::STRNCAT) {
                        let total = prefix.len() + copied + 1;
                        let pd = gd.at_end(total);
                        let pre: Vec<u8> = prefix.iter().copied().chain([0]).collect();
                        fill(pd, &pattern(n + 1, total));
                        fill(pd, &pre);
                        // SAFETY: room for the result.
                        let r = unsafe { (v.func)(pd.cast(), ps.cast(), n) } as *mut u8;
                        assert_eq!(r, pd);
                        let want: Vec<u8> = prefix.iter().chain(&s[..copied]).copied().chain([0]).collect();
                        assert_eq!(read(pd, total), want, "strncat {} len={len} n={n} sa={sa}", v.name);
                    }
                }
            }
        }
    }
}

#[test]
fn memccpy_mempcpy_bzero() {
    let (gs, gd) = (Guarded::new(9000), Guarded::new(9000));
    for n in lengths() {
        let src = pattern(n + 11, n);
        // Stop bytes: absent, at selected positions, and one >= 0x80.
        let mut stops: Vec<Option<usize>> = vec![None, Some(0), Some(n / 2), Some(n.saturating_sub(1))];
        for k in [15, 16, 31, 32, 63, 64, 65, 127, 128, 255, 256, 4095, 4096] {
            stops.push(Some(k));
        }
        for stop in stops {
            let c: u8 = 0xc3;
            let mut s: Vec<u8> = src.iter().map(|&b| if b == c { c ^ 1 } else { b }).collect();
            if let Some(p) = stop.filter(|&p| p < n) {
                s[p] = c;
            }
            let copied = stop.filter(|&p| p < n).map_or(n, |p| p + 1);
            for &(sa, da) in &[(0usize, 0usize), (1, 0), (63, 7), (usize::MAX, usize::MAX)] {
                // usize::MAX: both pressed against their guard pages
                // (source exactly `n` bytes, destination exactly `copied`).
                let (ps, pd) = if sa == usize::MAX {
                    (gs.at_end(n), gd.at_end(copied))
                } else {
                    (gs.at_start(sa, n), gd.at_start(da, n + 2))
                };
                fill(ps, &s);
                for v in runnable(t::MEMCCPY) {
                    let room = if sa == usize::MAX { copied } else { n + 2 };
                    let before = pattern(n + 5, room);
                    fill(pd, &before);
                    // SAFETY: `ps` holds `n` bytes, `pd` at least `copied`.
                    let r = unsafe { (v.func)(pd.cast(), ps.cast(), c as c_int | 0x7700, n) } as *mut u8;
                    let found = stop.is_some_and(|p| p < n);
                    let want_r = if found { pd.wrapping_add(copied) } else { core::ptr::null_mut() };
                    assert_eq!(r, want_r, "memccpy {} n={n} stop={stop:?}", v.name);
                    let mut want = before.clone();
                    want[..copied].copy_from_slice(&s[..copied]);
                    assert_eq!(read(pd, room), want, "memccpy {} n={n} stop={stop:?} sa={sa}", v.name);
                }
            }
        }
        for v in runnable(t::MEMPCPY) {
            let (ps, pd) = (gs.at_end(n), gd.at_start(3, n + 1));
            fill(ps, &src);
            fill(pd, &vec![0xee; n + 1]);
            // SAFETY: both hold `n` bytes.
            let r = unsafe { (v.func)(pd.cast(), ps.cast(), n) } as *mut u8;
            assert_eq!(r, pd.wrapping_add(n), "mempcpy {}", v.name);
            assert_eq!(read(pd, n + 1), [&src[..], &[0xee]].concat(), "mempcpy {} n={n}", v.name);
        }
        for v in runnable(t::BZERO) {
            for pd in [gd.at_end(n), gd.at_start(5, n + 1)] {
                fill(pd, &vec![0xee; n]);
                // SAFETY: `pd` holds `n` bytes.
                unsafe { (v.func)(pd.cast::<c_void>(), n) };
                assert!(read(pd, n).iter().all(|&b| b == 0), "bzero {} n={n}", v.name);
            }
        }
    }
}

#[test]
fn tables_are_ordered_and_complete() {
    fn check<F: Copy>(t: &[Variant<F>]) {
        crate::string::tests::assert_climbs(t);
        #[cfg(target_arch = "x86_64")]
        assert!(t.len() >= 3 && t[2].name == "avx2");
    }
    use super::*;
    check(STRCMP);
    check(STRNCMP);
    check(STRCASECMP);
    check(STRNCASECMP);
    check(STRCPY);
    check(STPCPY);
    check(STRNCPY);
    check(STPNCPY);
    check(STRCAT);
    check(STRNCAT);
    check(MEMCCPY);
    check(MEMPCPY);
    check(BZERO);
}

#[test]
fn compares_random_placements_near_page_ends() {
    // Random strings placed at random distances from the end of their
    // pages (both often within one vector of it), random `n`, random
    // single differences: the page-cross path against the oracle.
    let (ga, gb) = (Guarded::new(3 * 4096), Guarded::new(3 * 4096));
    let fs = compares();
    let mut x: u64 = 0x1234_5678_9abc_def1;
    let mut next = |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as usize
    };
    for round in 0..4000 {
        let len = [next(20), next(140), next(600)][round % 3];
        let a: Vec<u8> = text(round, len).into_iter().chain([0]).collect();
        let mut b = if round % 2 == 0 { a.clone() } else { recase(&a) };
        if len > 0 && next(4) != 0 {
            let p = next(len);
            b[p] = [0, b[p] ^ 0x80, b[p].wrapping_add(1), b'a'][next(4)];
        }
        // End of the middle page minus a small distance, so the string
        // crosses into the last page (which ends at the guard).
        let (da, db) = (next(300), next(300));
        let pa = ga.at_start(2 * 4096 - da, a.len());
        let pb = gb.at_start(2 * 4096 - db, b.len());
        fill(pa, &a);
        fill(pb, &b);
        let n = [next(len + 2), len + 1, usize::MAX, next(70)][next(4)];
        for (name, case, bounded, f) in &fs {
            let n = if *bounded { n } else { usize::MAX };
            assert_eq!(f(pa, pb, n), oracle_cmp(&a, &b, n, *case), "{name} len={len} da={da} db={db} n={n}");
        }
    }
}
