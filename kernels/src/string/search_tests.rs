//! The search family: every variant the CPU supports (and both AVX-512
//! forms, 32- and 64-byte, whichever the table picks) against plain loops,
//! with buffers pressed against `PROT_NONE` guard pages on both sides, every
//! start alignment 0..63, lengths around each block boundary, bytes >= 0x80
//! and adversarial inputs for the substring searches.

use core::ffi::{c_char, c_int, c_void};

use super::search::*;
use crate::variant::Variant;
use crate::Level;

fn machine_level() -> Level {
    #[cfg(target_arch = "x86_64")]
    return crate::cpu::detect().level();
    #[cfg(not(target_arch = "x86_64"))]
    Level::Generic
}

/// The runnable variants of `table`, plus the extra AVX-512 forms.
fn variants<F: Copy>(table: &'static [Variant<F>], extra: &[(&'static str, F)]) -> Vec<(&'static str, F)> {
    let top = machine_level();
    let mut v: Vec<(&'static str, F)> =
        table.iter().filter(|v| v.level.runs_under(top)).map(|v| (v.name, v.func)).collect();
    if Level::Avx512.runs_under(top) {
        v.extend_from_slice(extra);
    }
    v
}

#[cfg(target_arch = "x86_64")]
macro_rules! extra {
    ($f:ident) => {
        [
            ("evex", super::x86_64::search::evex::$f as _),
            ("zmm", super::x86_64::search::zmm::$f as _),
        ]
    };
}
#[cfg(not(target_arch = "x86_64"))]
macro_rules! extra {
    ($f:ident) => {
        []
    };
}

/// The shared guard-page mapping (`tests::Guarded`), filled from byte
/// slices.
struct Guarded(super::tests::Guarded);

impl Guarded {
    fn new(len: usize) -> Guarded {
        Guarded(super::tests::Guarded::new(len))
    }
    /// Copies `bytes` so that they end exactly at the upper guard page.
    fn at_end(&self, bytes: &[u8]) -> *mut u8 {
        let p = self.0.at_end(bytes.len());
        super::tests::fill(p, bytes);
        p
    }
    /// Copies `bytes` to `off` bytes above the lower guard page.
    fn at_start(&self, off: usize, bytes: &[u8]) -> *mut u8 {
        let p = self.0.at_start(off, bytes.len());
        super::tests::fill(p, bytes);
        p
    }
}

/// Where a test buffer goes: `off` bytes above the lower guard page, or
/// flush against the upper one.
#[derive(Clone, Copy, Debug)]
enum Place {
    Start(usize),
    End,
}

fn places(aligns: Vec<usize>) -> impl Iterator<Item = Place> {
    aligns.into_iter().map(Place::Start).chain([Place::End])
}

impl Guarded {
    /// Copies `bytes` to `place` and returns where they went.
    fn put(&self, place: Place, bytes: &[u8]) -> *mut u8 {
        match place {
            Place::Start(a) => self.at_start(a, bytes),
            Place::End => self.at_end(bytes),
        }
    }
}

fn lengths() -> Vec<usize> {
    let mut v: Vec<usize> = (0..=270).collect();
    for b in [511, 512, 1024, 4096] {
        v.extend([b - 1, b, b + 1]);
    }
    v
}

/// Deterministic bytes over all 256 values.
fn pattern(seed: usize, n: usize) -> Vec<u8> {
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

/// Positions worth planting a byte at in a buffer of `n`.
fn spots(n: usize) -> Vec<usize> {
    let mut v = vec![];
    if n > 0 {
        v.extend([0, n - 1, n / 2]);
        for k in [15usize, 16, 31, 32, 63, 64, 127, 128, 255, 256] {
            if k < n {
                v.push(k);
            }
        }
    }
    v
}

/// Start alignments: all of 0..63 for short buffers, a spread otherwise.
fn starts(n: usize) -> Vec<usize> {
    if n <= 140 { (0..64).collect() } else { vec![0, 1, 15, 17, 31, 32, 33, 63] }
}

fn off(base: *const u8, p: *const c_void) -> Option<usize> {
    if p.is_null() { None } else { Some(p as usize - base as usize) }
}

#[test]
fn tables_start_generic_and_climb() {
    use super::tests::assert_climbs as check;
    check(MEMCHR);
    check(MEMRCHR);
    check(STRNLEN);
    check(STRCHR);
    check(STRCHRNUL);
    check(STRRCHR);
    check(STRSPN);
    check(STRCSPN);
    check(STRPBRK);
    check(STRSTR);
    check(MEMMEM);
}

#[test]
fn memchr_memrchr_strnlen() {
    let g = Guarded::new(8192);
    let fwd = variants(MEMCHR, &extra!(memchr));
    let rev = variants(MEMRCHR, &extra!(memrchr));
    let nlen = variants(STRNLEN, &extra!(strnlen));
    for n in lengths() {
        for c in [0u8, 0x41, 0xc3] {
            // Background without `c`.
            let mut buf: Vec<u8> = pattern(n * 3 + c as usize, n).into_iter().map(|b| if b == c { b ^ 1 } else { b }).collect();
            let mut plants: Vec<Vec<usize>> = vec![vec![]];
            plants.extend(spots(n).into_iter().map(|k| vec![k]));
            if n > 40 {
                plants.push(vec![3, n - 5]);
            }
            for pl in &plants {
                for &k in pl {
                    buf[k] = c;
                }
                let first = buf.iter().position(|&b| b == c);
                let last = buf.iter().rposition(|&b| b == c);
                for place in places(starts(n)) {
                    let p = g.put(place, &buf);
                    for &(name, f) in &fwd {
                        // SAFETY: `p` holds `n` bytes.
                        let r = unsafe { f(p.cast(), c as c_int | 0x7700, n) };
                        assert_eq!(off(p, r), first, "memchr {name} n={n} c={c:#x} at {pl:?} {place:?}");
                    }
                    for &(name, f) in &rev {
                        // SAFETY: as above.
                        let r = unsafe { f(p.cast(), c as c_int - 0x100, n) };
                        assert_eq!(off(p, r), last, "memrchr {name} n={n} c={c:#x} at {pl:?} {place:?}");
                    }
                    if c == 0 {
                        for &(name, f) in &nlen {
                            for lim in [n, n / 2, n + 1, n + 100, usize::MAX] {
                                if lim > n && first.is_none() {
                                    continue;
                                }
                                // SAFETY: reads stop at the NUL or at `lim <= n`.
                                let r = unsafe { f(p.cast(), lim) };
                                let want = first.map_or(lim, |k| k.min(lim)).min(lim);
                                assert_eq!(r, want, "strnlen {name} n={n} lim={lim} at {pl:?} {place:?}");
                            }
                        }
                    }
                }
                for &k in pl {
                    buf[k] ^= 1;
                }
            }
        }
    }
    // memchr may be given a size beyond the object when the byte is there:
    // it must stop at the match (here the last byte before the guard page).
    for &(name, f) in &fwd {
        for n in [1usize, 2, 17, 64, 65, 300] {
            let mut buf = vec![7u8; n];
            buf[n - 1] = 9;
            let p = g.at_end(&buf);
            // SAFETY: the match is the last readable byte.
            let r = unsafe { f(p.cast(), 9, usize::MAX) };
            assert_eq!(off(p, r), Some(n - 1), "memchr {name} unbounded n={n}");
        }
    }
}

fn oracle_strchr(s: &[u8], c: u8) -> Option<usize> {
    s.iter().position(|&b| b == c || b == 0).filter(|&k| s[k] == c)
}

#[test]
fn strchr_strchrnul_strrchr() {
    let g = Guarded::new(8192);
    let chr = variants(STRCHR, &extra!(strchr));
    let nul = variants(STRCHRNUL, &extra!(strchrnul));
    let rchr = variants(STRRCHR, &extra!(strrchr));
    for n in lengths() {
        for c in [0x61u8, 0x80, 0xff, 0] {
            let mut s: Vec<u8> =
                pattern(n + c as usize, n).into_iter().map(|b| if b == 0 || b == c { 0x5a } else { b }).collect();
            s.push(0);
            let mut plants: Vec<Vec<usize>> = vec![vec![]];
            if c != 0 {
                plants.extend(spots(n).into_iter().map(|k| vec![k]));
                if n > 40 {
                    plants.push(vec![2, 33, n - 3]);
                }
            }
            for pl in &plants {
                for &k in pl {
                    s[k] = c;
                }
                let first = oracle_strchr(&s, c);
                let last = s.iter().rposition(|&b| b == c);
                // c as the C caller may pass it: plain, sign-extended char,
                // with junk in the high bits.
                let cs = [c as c_int, c as i8 as c_int, c as c_int | 0x1200];
                for place in places(starts(n + 1)) {
                    let p = g.put(place, &s);
                    for &ci in &cs {
                        for &(name, f) in &chr {
                            // SAFETY: `p` holds a NUL-terminated string.
                            let r = unsafe { f(p as *const c_char, ci) };
                            assert_eq!(off(p, r.cast()), first, "strchr {name} n={n} c={ci:#x} {pl:?} {place:?}");
                        }
                        for &(name, f) in &nul {
                            // SAFETY: as above.
                            let r = unsafe { f(p as *const c_char, ci) };
                            let want = s.iter().position(|&b| b == c || b == 0);
                            assert_eq!(off(p, r.cast()), want, "strchrnul {name} n={n} c={ci:#x} {pl:?} {place:?}");
                        }
                        for &(name, f) in &rchr {
                            // SAFETY: as above.
                            let r = unsafe { f(p as *const c_char, ci) };
                            assert_eq!(off(p, r.cast()), last, "strrchr {name} n={n} c={ci:#x} {pl:?} {place:?}");
                        }
                    }
                }
                for &k in pl {
                    s[k] = 0x5a;
                }
            }
        }
    }
}

fn oracle_span(s: &[u8], set: &[u8], reject: bool) -> usize {
    s.iter().position(|&b| b == 0 || set.contains(&b) == reject).unwrap()
}

#[test]
fn strspn_strcspn_strpbrk() {
    let g = Guarded::new(8192);
    let gs = Guarded::new(4096);
    let spn = variants(STRSPN, &extra!(strspn));
    let cspn = variants(STRCSPN, &extra!(strcspn));
    let pbrk = variants(STRPBRK, &extra!(strpbrk));
    let mut big: Vec<u8> = (1..=255u8).filter(|b| b % 3 != 0).collect();
    big.push(0x80);
    let sets: Vec<Vec<u8>> = vec![
        vec![],
        b"a".to_vec(),
        vec![0xe9],
        b"ab".to_vec(),
        b" \t\n".to_vec(),
        b"aaaaaaaaaaab".to_vec(),
        vec![0xff, b'q', 0x01, 0x80, b'Q'],
        b"-,;:!?".to_vec(),
        b"abcdefgh".to_vec(),
        b"abcdefghi".to_vec(),
        vec![b'x', 0x80, 0xff, 0x7f, 0x01, 0x10, 0x90],
        (b'a'..=b'z').collect(),
        big,
    ];
    let mut lens: Vec<usize> = (0..=140).collect();
    lens.extend([255, 256, 257, 1023, 1024, 1025, 4095]);
    for set in &sets {
        let mut cset = set.clone();
        cset.push(0);
        // Bytes in the set and bytes outside it (never NUL).
        let inside: Vec<u8> = if set.is_empty() { vec![1] } else { set.clone() };
        let outside: Vec<u8> = (1..=255u8).filter(|b| !set.contains(b)).collect();
        for &n in &lens {
            for (mode, pool) in [(0, &inside), (1, &outside)] {
                let mut s: Vec<u8> = pattern(n + mode, n).into_iter().map(|x| pool[x as usize % pool.len()]).collect();
                s.push(0);
                let mut plants = vec![None];
                plants.extend(spots(n).into_iter().map(Some));
                for pl in plants {
                    let saved = pl.map(|k| s[k]);
                    if let Some(k) = pl {
                        // A byte from the other pool.
                        let other = if mode == 0 { &outside } else { &inside };
                        s[k] = other[k % other.len()];
                    }
                    let want_spn = oracle_span(&s, set, false);
                    let want_cspn = oracle_span(&s, set, true);
                    let want_pbrk = if s[want_cspn] == 0 { None } else { Some(want_cspn) };
                    let aligns = if n <= 70 { starts(n + 1) } else { vec![0, 31] };
                    for (pi, place) in places(aligns.clone()).enumerate() {
                        let p = g.put(place, &s);
                        // The set string ends at a guard page, or lies
                        // well inside one (so 16-byte loads of it are used).
                        let setp = if pi % 2 == 0 { gs.at_end(&cset) } else { gs.at_start(pi % 64, &cset) } as *const c_char;
                        let sc = p as *const c_char;
                        for &(name, f) in &spn {
                            // SAFETY: both NUL-terminated.
                            assert_eq!(unsafe { f(sc, setp) }, want_spn, "strspn {name} n={n} set={set:?} {pl:?} {place:?}");
                        }
                        for &(name, f) in &cspn {
                            // SAFETY: both NUL-terminated.
                            assert_eq!(unsafe { f(sc, setp) }, want_cspn, "strcspn {name} n={n} set={set:?} {pl:?} {place:?}");
                        }
                        for &(name, f) in &pbrk {
                            // SAFETY: both NUL-terminated.
                            let r = unsafe { f(sc, setp) };
                            assert_eq!(off(p, r.cast()), want_pbrk, "strpbrk {name} n={n} set={set:?} {pl:?} {place:?}");
                        }
                    }
                    if let (Some(k), Some(b)) = (pl, saved) {
                        s[k] = b;
                    }
                }
            }
        }
    }
}

fn oracle_find(h: &[u8], nd: &[u8], fold: fn(u8) -> u8) -> Option<usize> {
    if nd.is_empty() {
        return Some(0);
    }
    if nd.len() > h.len() {
        return None;
    }
    (0..=h.len() - nd.len()).find(|&i| h[i..i + nd.len()].iter().zip(nd).all(|(a, b)| fold(*a) == fold(*b)))
}

fn same(b: u8) -> u8 {
    b
}

/// Calls every `strstr` and `memmem` variant and `strcasestr` on `h` and
/// `nd` placed against guard pages, checking each against the oracle.
struct Finders {
    strstr: Vec<(&'static str, StrpbrkFn)>,
    memmem: Vec<(&'static str, MemmemFn)>,
    g: Guarded,
    gn: Guarded,
}

impl Finders {
    fn new() -> Finders {
        Finders {
            strstr: variants(STRSTR, &extra!(strstr)),
            memmem: variants(MEMMEM, &extra!(memmem)),
            g: Guarded::new(1 << 20),
            gn: Guarded::new(1 << 16),
        }
    }
    fn check(&self, h: &[u8], nd: &[u8], aligns: &[usize]) {
        assert!(!h.contains(&0) && !nd.contains(&0));
        let want = oracle_find(h, nd, same);
        let mut hz = h.to_vec();
        hz.push(0);
        let mut nz = nd.to_vec();
        nz.push(0);
        for place in places(aligns.to_vec()) {
            let hp = self.g.put(place, &hz);
            let np = match place {
                Place::End => self.gn.at_end(&nz),
                Place::Start(a) => self.gn.at_start(a * 7 % 64, &nz),
            };
            for &(name, f) in &self.strstr {
                // SAFETY: both NUL-terminated.
                let r = unsafe { f(hp as *const c_char, np as *const c_char) };
                assert_eq!(off(hp, r.cast()), want, "strstr {name} h={} n={}", h.len(), nd.len());
            }
        }
        // memmem without terminators, both ends pressed against guards.
        let hp = self.g.at_end(h);
        let np = self.gn.at_end(nd);
        let hs = self.g.at_start(aligns.first().copied().unwrap_or(0), h);
        for &(name, f) in &self.memmem {
            for p in [hp, hs] {
                // SAFETY: `p` holds `h.len()` bytes, `np` `nd.len()`.
                let r = unsafe { f(p.cast(), h.len(), np.cast(), nd.len()) };
                assert_eq!(off(p, r), want, "memmem {name} h={} n={}", h.len(), nd.len());
            }
        }
        // strcasestr on a case-scrambled copy.
        let flip = |v: &[u8], salt: usize| -> Vec<u8> {
            v.iter()
                .enumerate()
                .map(|(i, &b)| if (i + salt).is_multiple_of(3) && b.is_ascii_alphabetic() { b ^ 0x20 } else { b })
                .chain([0])
                .collect()
        };
        let (hc, nc) = (flip(h, 1), flip(nd, 2));
        let hp = self.g.at_end(&hc);
        let np = self.gn.at_end(&nc);
        let want_ci = if nd.is_empty() && h.is_empty() { None } else { oracle_find(h, nd, |b| b.to_ascii_lowercase()) };
        // SAFETY: both NUL-terminated.
        let r = unsafe { strcasestr(hp as *const c_char, np as *const c_char) };
        assert_eq!(off(hp, r.cast()), want_ci, "strcasestr h={} n={}", h.len(), nd.len());
    }
}

#[test]
fn substring_edge_cases() {
    let f = Finders::new();
    let all: Vec<usize> = (0..64).collect();
    f.check(b"", b"", &all);
    f.check(b"abc", b"", &all);
    f.check(b"", b"a", &all);
    f.check(b"ab", b"abc", &all);
    f.check(b"abc", b"abc", &all);
    f.check(b"xabc", b"c", &all);
    f.check(b"\x80\xff\x80\xfe", b"\xff\x80\xfe", &all);
    for n in [15usize, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257] {
        let mut h = vec![b'x'; n];
        for m in [1usize, 2, 3, 8, 16, 17, 33, 64, 65] {
            if m > n {
                continue;
            }
            let nd: Vec<u8> = (0..m).map(|i| b'a' + (i % 26) as u8).collect();
            f.check(&h, &nd, &all);
            for at in [0, n - m, (n - m) / 2] {
                h[at..at + m].copy_from_slice(&nd);
                f.check(&h, &nd, &all);
                h.iter_mut().for_each(|b| *b = b'x');
            }
            // Needle's first two bytes everywhere, the rest nowhere.
            let mut hh = vec![0u8; n];
            for (i, b) in hh.iter_mut().enumerate() {
                *b = nd[i % 2.min(m)];
            }
            f.check(&hh, &nd, &[0, 1, 31, 63]);
        }
    }
}

#[test]
fn substring_random_small_alphabet() {
    let f = Finders::new();
    let mut x = 0x1234_5678_9abc_def1u64;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..3000 {
        let hl = (next() % 300) as usize;
        let nl = 1 + (next() % if round % 3 == 0 { 40 } else { 6 }) as usize;
        let alpha = 2 + (next() % 3) as u8;
        let h: Vec<u8> = (0..hl).map(|_| b'a' + (next() % alpha as u64) as u8).collect();
        let nd: Vec<u8> = if hl > nl && round % 2 == 0 {
            let at = (next() as usize) % (hl - nl);
            h[at..at + nl].to_vec()
        } else {
            (0..nl).map(|_| b'a' + (next() % alpha as u64) as u8).collect()
        };
        f.check(&h, &nd, &[(round % 64) as usize]);
    }
}

#[test]
fn substring_adversarial_inputs_stay_linear() {
    // Quadratic matchers would take minutes here (10^5 positions times a
    // 4000-byte needle that almost matches at each).
    let f = Finders::new();
    let h = vec![b'a'; 200_000];
    let mut nd = vec![b'a'; 4000];
    nd.push(b'b');
    f.check(&h, &nd, &[0, 5]);
    let mut h2 = h.clone();
    h2.extend_from_slice(&nd);
    f.check(&h2, &nd, &[3]);
    // Periodic needle with a twist near its start.
    let mut nd2 = vec![b'a'; 3000];
    nd2[1] = b'b';
    let h3: Vec<u8> = (0..150_000).map(|i| if i % 3001 == 1 { b'b' } else { b'a' }).collect();
    f.check(&h3, &nd2, &[7]);
    // "abab...abc" in "abab..."
    let h4: Vec<u8> = (0..200_000).map(|i| if i % 2 == 0 { b'a' } else { b'b' }).collect();
    let mut nd4: Vec<u8> = (0..2000).map(|i| if i % 2 == 0 { b'a' } else { b'b' }).collect();
    nd4.push(b'c');
    f.check(&h4, &nd4, &[1]);
}

#[test]
fn two_way_matches_the_oracle_on_every_short_binary_pair() {
    // Every needle of length 1..=7 over {a, b} against a set of haystacks.
    let mut hays: Vec<Vec<u8>> = vec![];
    for bits in 0u32..(1 << 12) {
        if bits % 7 == 0 {
            hays.push((0..12).map(|i| if bits >> i & 1 == 1 { b'b' } else { b'a' }).collect());
        }
    }
    for m in 1..=7usize {
        for nb in 0u32..(1 << m) {
            let nd: Vec<u8> = (0..m).map(|i| if nb >> i & 1 == 1 { b'b' } else { b'a' }).collect();
            for h in &hays {
                let mut hay = MemHay { p: h.as_ptr(), n: h.len() };
                let got = two_way(&mut hay, &nd, same);
                assert_eq!(got, oracle_find(h, &nd, same), "h={:?} n={:?}", h, nd);
            }
        }
    }
}

#[test]
fn generic_strrchr_and_index_cases() {
    let s = b"a/b/c\0";
    // SAFETY: NUL-terminated.
    unsafe {
        let p = s.as_ptr() as *const c_char;
        assert_eq!(off(p.cast(), strrchr(p, b'/' as c_int).cast()), Some(3));
        assert_eq!(off(p.cast(), strrchr(p, 0).cast()), Some(5));
        assert_eq!(off(p.cast(), strchr(p, 0).cast()), Some(5));
        assert!(strchr(p, b'z' as c_int).is_null());
    }
}
