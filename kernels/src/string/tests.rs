//! Every variant the CPU supports against plain byte-loop oracles, on every
//! alignment 0..63, lengths around each block boundary, overlapping moves in
//! both directions, and buffers pressed against `PROT_NONE` guard pages.

use core::ffi::{c_char, c_void};

use super::*;
use crate::variant::Variant;
use crate::Level;

/// The levels this machine can run.
pub(crate) fn machine_level() -> Level {
    #[cfg(target_arch = "x86_64")]
    return crate::cpu::detect().level();
    #[cfg(not(target_arch = "x86_64"))]
    Level::Generic
}

pub(crate) fn runnable<F: Copy>(table: &'static [Variant<F>]) -> impl Iterator<Item = &'static Variant<F>> {
    let top = machine_level();
    table.iter().filter(move |v| v.level.runs_under(top))
}

/// Lengths around every block boundary the variants use (8, 16, 32, 64 and
/// their 4x loop strides), plus a few large ones.
fn lengths() -> Vec<usize> {
    let mut v: Vec<usize> = (0..=300).collect();
    for base in [511, 512, 1024, 4096, 4100, 8192, 65536] {
        v.extend([base - 1, base, base + 1, base + 3]);
    }
    v
}

/// A few interesting alignments out of 0..63 for the big sweeps.
const ALIGNS: [usize; 8] = [0, 1, 7, 15, 16, 31, 33, 63];

/// A mapping with an inaccessible page on each side of `len` usable bytes.
pub(crate) struct Guarded {
    base: *mut u8,
    total: usize,
    data: *mut u8,
    len: usize,
}

const PAGE: usize = 4096;

impl Guarded {
    pub(crate) fn new(len: usize) -> Guarded {
        let data_pages = len.div_ceil(PAGE).max(1);
        let total = (data_pages + 2) * PAGE;
        // SAFETY: an anonymous private mapping; the result is checked.
        unsafe {
            let base = libc::mmap(
                core::ptr::null_mut(),
                total,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            ) as *mut u8;
            assert_ne!(base as *mut c_void, libc::MAP_FAILED);
            assert_eq!(libc::mprotect(base as *mut c_void, PAGE, libc::PROT_NONE), 0);
            let last = base.add(total - PAGE);
            assert_eq!(libc::mprotect(last as *mut c_void, PAGE, libc::PROT_NONE), 0);
            Guarded { base, total, data: base.add(PAGE), len: data_pages * PAGE }
        }
    }
    /// `n` bytes ending exactly at the upper guard page.
    pub(crate) fn at_end(&self, n: usize) -> *mut u8 {
        assert!(n <= self.len);
        // SAFETY: within the data pages.
        unsafe { self.data.add(self.len - n) }
    }
    /// `n` bytes starting exactly at the lower guard page, plus `off`.
    pub(crate) fn at_start(&self, off: usize, n: usize) -> *mut u8 {
        assert!(off + n <= self.len);
        // SAFETY: within the data pages.
        unsafe { self.data.add(off) }
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in `new`.
        unsafe { libc::munmap(self.base as *mut c_void, self.total) };
    }
}

/// Deterministic bytes, including NULs and bytes >= 0x80.
pub(crate) fn pattern(seed: usize, n: usize) -> Vec<u8> {
    let mut x = (seed as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

pub(crate) fn fill(p: *mut u8, bytes: &[u8]) {
    for (i, &b) in bytes.iter().enumerate() {
        // SAFETY: callers pass buffers of at least `bytes.len()`.
        unsafe { *p.add(i) = b };
    }
}

pub(crate) fn read(p: *const u8, n: usize) -> Vec<u8> {
    // SAFETY: callers pass readable buffers of at least `n` bytes.
    (0..n).map(|i| unsafe { *p.add(i) }).collect()
}

/// A variant table starts with the generic variant and climbs strictly.
pub(crate) fn assert_climbs<F: Copy>(t: &[Variant<F>]) {
    assert_eq!(t[0].level, Level::Generic);
    assert!(t.windows(2).all(|w| w[0].level < w[1].level));
}

#[test]
fn every_table_starts_generic_and_climbs() {
    assert_climbs(MEMCPY);
    assert_climbs(MEMMOVE);
    assert_climbs(MEMSET);
    assert_climbs(MEMCMP);
    assert_climbs(BCMP);
    assert_climbs(STRLEN);
    #[cfg(target_arch = "x86_64")]
    assert_eq!(MEMCPY.len(), 4);
}

#[test]
fn memcpy_all_variants() {
    let g = Guarded::new(70_000 + 128);
    let h = Guarded::new(70_000 + 128);
    for v in runnable(MEMCPY) {
        for n in lengths() {
            let src = pattern(n, n);
            let aligns: &[usize] = if n <= 300 { &ALIGNS } else { &[0, 1, 63] };
            for &sa in aligns {
                for &da in aligns {
                    let s = g.at_start(sa, n);
                    let d = h.at_start(da, n + 2);
                    fill(s, &src);
                    fill(d, &vec![0xAA; n + 2]);
                    // SAFETY: both buffers hold `n` bytes and do not overlap.
                    let r = unsafe { (v.func)(d.cast(), s.cast(), n) };
                    assert_eq!(r, d.cast(), "{} n={n}", v.name);
                    assert_eq!(read(d, n), src, "{} n={n} sa={sa} da={da}", v.name);
                    assert_eq!(read(unsafe { d.add(n) }, 2), [0xAA, 0xAA], "{} overrun n={n}", v.name);
                }
            }
            // Both buffers pressed against the upper guard page.
            let (s, d) = (g.at_end(n), h.at_end(n));
            fill(s, &src);
            // SAFETY: both buffers hold `n` bytes.
            unsafe { (v.func)(d.cast(), s.cast(), n) };
            assert_eq!(read(d, n), src, "{} guard-end n={n}", v.name);
        }
    }
}

#[test]
fn memcpy_every_alignment_pair() {
    let g = Guarded::new(8192);
    let h = Guarded::new(8192);
    for v in runnable(MEMCPY) {
        for n in [0, 1, 15, 16, 17, 31, 63, 64, 65, 129, 257, 300, 1000] {
            let src = pattern(n + 1, n);
            for sa in 0..64 {
                for da in 0..64 {
                    let (s, d) = (g.at_start(sa, n), h.at_start(da, n));
                    fill(s, &src);
                    // SAFETY: both buffers hold `n` bytes and do not overlap.
                    unsafe { (v.func)(d.cast(), s.cast(), n) };
                    assert_eq!(read(d, n), src, "{} n={n} sa={sa} da={da}", v.name);
                }
            }
        }
    }
}

#[test]
fn memmove_overlaps_both_ways() {
    let g = Guarded::new(3 * 70_000);
    // The 64-byte form is not in the table (the AVX2 one measured faster
    // on AVX-512 machines) but is kept correct and tested.
    #[cfg(target_arch = "x86_64")]
    let zmm: &[Variant<MemcpyFn>] =
        &[Variant { name: "avx512 (64-byte)", level: Level::Avx512, func: super::x86_64::avx512::memmove }];
    #[cfg(not(target_arch = "x86_64"))]
    let zmm: &[Variant<MemcpyFn>] = &[];
    let top = machine_level();
    for v in runnable(MEMMOVE).chain(zmm.iter().filter(|v| v.level.runs_under(top))) {
        let mut lens: Vec<usize> = (0..=300).step_by(1).collect();
        lens.extend([511, 512, 513, 1000, 4097, 65536 + 5]);
        for n in lens {
            let shifts: &[isize] = if n <= 300 {
                &[-70, -65, -64, -63, -33, -32, -17, -16, -8, -1, 0, 1, 7, 8, 16, 17, 31, 32, 63, 64, 65, 70]
            } else {
                &[-4097, -129, -64, -1, 0, 1, 3, 64, 129, 4097]
            };
            for &shift in shifts {
                let init = pattern(n * 31 + shift.unsigned_abs(), 2 * n + 9000);
                let base = g.at_start(0, init.len());
                fill(base, &init);
                let s_off = 4500 + (n % 61);
                let d_off = (s_off as isize + shift) as usize;
                // SAFETY: source and destination both lie inside `base`'s buffer.
                let r = unsafe { (v.func)(base.add(d_off).cast(), base.add(s_off).cast(), n) };
                assert_eq!(r, unsafe { base.add(d_off) }.cast());
                let mut want = init.clone();
                want.copy_within(s_off..s_off + n, d_off);
                assert_eq!(read(base, init.len()), want, "{} n={n} shift={shift}", v.name);
            }
        }
        // Non-overlapping moves against the guard pages behave like memcpy.
        let h = Guarded::new(4096);
        for n in [0, 5, 64, 300, 4096] {
            let src = pattern(n, n);
            let s = g.at_end(n);
            fill(s, &src);
            let d = h.at_start(0, n);
            // SAFETY: both buffers hold `n` bytes.
            unsafe { (v.func)(d.cast(), s.cast(), n) };
            assert_eq!(read(d, n), src, "{} guard n={n}", v.name);
        }
    }
}

#[test]
fn memset_all_variants() {
    let g = Guarded::new(70_000 + 128);
    for v in runnable(MEMSET) {
        for n in lengths() {
            for &da in &ALIGNS {
                for c in [0i32, 0x5a, 0xff, 0x1234_5680] {
                    let d = g.at_start(da, n + 2);
                    fill(d, &vec![0x11; n + 2]);
                    // SAFETY: the buffer holds `n` bytes.
                    let r = unsafe { (v.func)(d.cast(), c, n) };
                    assert_eq!(r, d.cast());
                    let got = read(d, n + 2);
                    assert!(got[..n].iter().all(|&b| b == c as u8), "{} n={n} da={da} c={c}", v.name);
                    assert_eq!(&got[n..], &[0x11, 0x11], "{} overrun n={n}", v.name);
                }
            }
            let d = g.at_end(n);
            // SAFETY: the buffer holds `n` bytes.
            unsafe { (v.func)(d.cast(), 0x77, n) };
            assert!(read(d, n).iter().all(|&b| b == 0x77));
        }
    }
}

fn oracle_cmp(a: &[u8], b: &[u8]) -> i32 {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return *x as i32 - *y as i32;
        }
    }
    0
}

#[test]
fn memcmp_and_bcmp_all_variants() {
    let g = Guarded::new(70_000);
    let h = Guarded::new(70_000);
    for (vc, ve) in runnable(MEMCMP).zip(runnable(BCMP)) {
        assert_eq!(vc.name, ve.name);
        for n in lengths() {
            let a = pattern(n + 7, n);
            // Difference positions: none, first, last, every block edge.
            let mut positions: Vec<Option<usize>> = vec![None];
            if n > 0 {
                positions.extend([0, n - 1, n / 2].map(Some));
                for k in [15usize, 16, 31, 32, 63, 64, 127, 128, 255, 256] {
                    if k < n {
                        positions.push(Some(k));
                    }
                }
            }
            for pos in positions {
                let mut b = a.clone();
                if let Some(p) = pos {
                    // Flip so that both signs and bytes >= 0x80 occur.
                    b[p] = b[p].wrapping_add(0x80 + (p as u8 & 1));
                }
                let want = oracle_cmp(&a, &b);
                let aligns: &[(usize, usize)] = if n <= 300 { &[(0, 0), (1, 2), (63, 5), (16, 48)] } else { &[(0, 0), (3, 1)] };
                for &(aa, ba) in aligns {
                    let (pa, pb) = (g.at_start(aa, n), h.at_start(ba, n));
                    fill(pa, &a);
                    fill(pb, &b);
                    // SAFETY: both buffers hold `n` bytes.
                    let got = unsafe { (vc.func)(pa.cast(), pb.cast(), n) };
                    assert_eq!(got, want, "{} n={n} pos={pos:?}", vc.name);
                    let rev = unsafe { (vc.func)(pb.cast(), pa.cast(), n) };
                    assert_eq!(rev, -want, "{} reversed n={n} pos={pos:?}", vc.name);
                    let eq = unsafe { (ve.func)(pa.cast(), pb.cast(), n) };
                    assert_eq!(eq == 0, want == 0, "bcmp {} n={n} pos={pos:?}", ve.name);
                }
                // Both pressed against the guard pages.
                let (pa, pb) = (g.at_end(n), h.at_end(n));
                fill(pa, &a);
                fill(pb, &b);
                let got = unsafe { (vc.func)(pa.cast(), pb.cast(), n) };
                assert_eq!(got, want, "{} guard n={n} pos={pos:?}", vc.name);
                let eq = unsafe { (ve.func)(pa.cast(), pb.cast(), n) };
                assert_eq!(eq == 0, want == 0, "bcmp {} guard n={n}", ve.name);
            }
        }
    }
}

#[test]
fn strlen_all_variants() {
    let g = Guarded::new(70_000);
    for v in runnable(STRLEN) {
        for n in lengths() {
            let mut s: Vec<u8> = pattern(n + 3, n).into_iter().map(|b| b | 1).collect();
            s.push(0);
            for start in 0..64 {
                if start > 4 && n > 300 {
                    break;
                }
                let p = g.at_start(start, s.len());
                fill(p, &s);
                // SAFETY: `p` holds a NUL-terminated string.
                assert_eq!(unsafe { (v.func)(p as *const c_char) }, n, "{} n={n} start={start}", v.name);
            }
            // NUL as the very last byte before the guard page.
            let p = g.at_end(s.len());
            fill(p, &s);
            assert_eq!(unsafe { (v.func)(p as *const c_char) }, n, "{} guard-end n={n}", v.name);
        }
    }
}

#[test]
fn large_blocks_take_the_non_temporal_path() {
    // A 1 MiB threshold (the smallest configure allows) so that the
    // streaming loops run on test-sized buffers. Other tests may run
    // meanwhile: the threshold changes speed, never results.
    let l3 = 2 << 20;
    crate::tuning::configure(&crate::cpu::Caches { line: 64, l1d: 32 << 10, l2: 1 << 20, l3 });
    assert_eq!(crate::tuning::non_temporal_threshold(), 1 << 20);
    let n0 = 1 << 20;
    let g = Guarded::new(n0 + 4096);
    let h = Guarded::new(n0 + 4096);
    for n in [n0 - 1, n0, n0 + 1, n0 + 63, n0 + 100] {
        let src = pattern(n, n);
        for (sa, da) in [(0, 0), (1, 0), (0, 17), (63, 5)] {
            let (s, d) = (g.at_start(sa, n), h.at_start(da, n + 2));
            fill(s, &src);
            for v in runnable(MEMCPY).chain(runnable(MEMMOVE)) {
                fill(d, &vec![0xAA; n + 2]);
                // SAFETY: both buffers hold `n` bytes and do not overlap.
                unsafe { (v.func)(d.cast(), s.cast(), n) };
                assert!(read(d, n) == src, "{} n={n} sa={sa} da={da}", v.name);
                assert_eq!(read(unsafe { d.add(n) }, 2), [0xAA, 0xAA]);
            }
            for v in runnable(MEMSET) {
                fill(d, &vec![0xAA; n + 2]);
                // SAFETY: the buffer holds `n` bytes.
                unsafe { (v.func)(d.cast(), 0x3c, n) };
                let got = read(d, n + 2);
                assert!(got[..n].iter().all(|&b| b == 0x3c), "{} n={n} da={da}", v.name);
                assert_eq!(&got[n..], &[0xAA, 0xAA]);
            }
        }
    }
    crate::tuning::configure(&crate::cpu::Caches::default());
}

#[test]
fn memset_rep_stosb_path() {
    // A small `rep stosb` threshold so that test-sized fills take it; other
    // tests may run meanwhile: the threshold changes speed, never results.
    crate::tuning::set_rep_stosb_threshold(300);
    let g = Guarded::new(9000);
    for n in [299, 300, 301, 511, 2047, 2048, 2049, 4100, 8191] {
        for da in [0usize, 1, 3, 31, 63] {
            for (place, d) in [("start", g.at_start(da, n + 2)), ("end", g.at_end(n))] {
                let room = if place == "end" { n } else { n + 2 };
                for v in runnable(MEMSET) {
                    fill(d, &vec![0xAA; room]);
                    // SAFETY: the buffer holds `n` bytes.
                    let r = unsafe { (v.func)(d.cast(), 0x1c5, n) };
                    assert_eq!(r, d.cast());
                    let got = read(d, room);
                    assert!(got[..n].iter().all(|&b| b == 0xc5), "{} n={n} da={da} {place}", v.name);
                    assert!(got[n..].iter().all(|&b| b == 0xAA), "{} n={n} da={da} {place}", v.name);
                }
            }
        }
    }
    crate::tuning::set_rep_stosb_threshold(usize::MAX);
}
