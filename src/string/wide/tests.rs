//! The exported wide-character routines (dispatched and composed) against
//! simple oracles. The kernels' own variant sweeps (guard pages, alignments)
//! live in `vicuna-kernels`.

use super::*;

fn w(s: &str) -> Vec<WChar> {
    let mut v: Vec<WChar> = s.chars().map(|c| c as WChar).collect();
    v.push(0);
    v
}

/// Deterministic strings over a small alphabet (so that searches match
/// often), sometimes with negative elements.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn string(&mut self, max: usize, alphabet: &[WChar]) -> Vec<WChar> {
        let n = (self.next() % (max as u64 + 1)) as usize;
        let mut v: Vec<WChar> = (0..n).map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize]).collect();
        v.push(0);
        v
    }
}

fn body(s: &[WChar]) -> &[WChar] {
    &s[..s.iter().position(|&c| c == 0).unwrap()]
}

fn naive_find(h: &[WChar], n: &[WChar]) -> Option<usize> {
    (0..=h.len().checked_sub(n.len())?).find(|&i| &h[i..i + n.len()] == n)
}

#[test]
fn dispatched_routines_resolve_and_work() {
    let s = w("hello, wide world");
    let mut d = vec![0x55; 32];
    // SAFETY: terminated strings and big enough buffers throughout.
    unsafe {
        assert_eq!(wcslen(s.as_ptr()), 17);
        assert_eq!(wcsnlen(s.as_ptr(), 5), 5);
        assert_eq!(wcsnlen(s.as_ptr(), 100), 17);
        assert_eq!(wcschr(s.as_ptr(), 'w' as WChar).offset_from(s.as_ptr()), 7);
        assert_eq!(wcsrchr(s.as_ptr(), 'w' as WChar).offset_from(s.as_ptr()), 12);
        assert_eq!(wcschr(s.as_ptr(), 0).offset_from(s.as_ptr()), 17);
        assert!(wcschr(s.as_ptr(), 'z' as WChar).is_null());
        assert_eq!(wcscpy(d.as_mut_ptr(), s.as_ptr()), d.as_mut_ptr());
        assert_eq!(&d[..18], &s[..]);
        assert_eq!(wcscmp(d.as_ptr(), s.as_ptr()), 0);
        assert_eq!(wcscmp(w("abc").as_ptr(), w("abz").as_ptr()), 'c' as i32 - 'z' as i32);
        assert_eq!(wcsncmp(w("abc").as_ptr(), w("abz").as_ptr(), 2), 0);
        assert_eq!(wmemcmp(w("abc").as_ptr(), w("abd").as_ptr(), 3), -1);
        assert_eq!(wmemchr(s.as_ptr(), 'o' as WChar, 5).offset_from(s.as_ptr()), 4);
        assert_eq!(wmemset(d.as_mut_ptr(), -7, 3), d.as_mut_ptr());
        assert_eq!(&d[..4], &[-7, -7, -7, 'l' as WChar]);
        // The overflow cases: musl's `*l - *r` has the wrong sign here.
        let (big, neg) = ([i32::MAX, 0], [-1, 0]);
        assert!(wcscmp(big.as_ptr(), neg.as_ptr()) > 0);
        assert!(wcsncmp(neg.as_ptr(), big.as_ptr(), 1) < 0);
        assert!(wmemcmp([i32::MIN].as_ptr(), [1].as_ptr(), 1) < 0);
    }
    for r in ROUTINES {
        let chosen = (r.resolve)();
        assert!((r.variants)().contains(&chosen), "{}: {chosen}", r.name);
    }
    assert_eq!(ROUTINES.len(), 10);
}

#[test]
fn copies_and_concatenation() {
    let s = w("abcdef");
    // SAFETY: buffers sized for each call.
    unsafe {
        let mut d = vec![9; 12];
        let end = wcpcpy(d.as_mut_ptr(), s.as_ptr());
        assert_eq!(end.offset_from(d.as_ptr()), 6);
        assert_eq!(&d[..8], &[97, 98, 99, 100, 101, 102, 0, 9]);

        assert_eq!(wcscat(d.as_mut_ptr(), w("XY").as_ptr()), d.as_mut_ptr());
        assert_eq!(body(&d), &w("abcdefXY")[..8]);

        let mut d = vec![9; 10];
        assert_eq!(wcsncpy(d.as_mut_ptr(), s.as_ptr(), 9), d.as_mut_ptr());
        assert_eq!(d, [97, 98, 99, 100, 101, 102, 0, 0, 0, 9]);
        let mut d = vec![9; 10];
        wcsncpy(d.as_mut_ptr(), s.as_ptr(), 3);
        assert_eq!(d, [97, 98, 99, 9, 9, 9, 9, 9, 9, 9]);
        let mut d = vec![9; 10];
        assert_eq!(wcpncpy(d.as_mut_ptr(), s.as_ptr(), 3).offset_from(d.as_ptr()), 3);
        assert_eq!(wcpncpy(d.as_mut_ptr(), s.as_ptr(), 8).offset_from(d.as_ptr()), 6);
        assert_eq!(d, [97, 98, 99, 100, 101, 102, 0, 0, 9, 9]);
        assert_eq!(wcsncpy(d.as_mut_ptr(), s.as_ptr(), 0), d.as_mut_ptr());

        let mut d = w("ab");
        d.resize(12, 9);
        assert_eq!(wcsncat(d.as_mut_ptr(), s.as_ptr(), 3), d.as_mut_ptr());
        assert_eq!(&d[..7], &[97, 98, 97, 98, 99, 0, 9]);
        wcsncat(d.as_mut_ptr(), s.as_ptr(), 100);
        assert_eq!(&d[..12], &[97, 98, 97, 98, 99, 97, 98, 99, 100, 101, 102, 0]);
        wcsncat(d.as_mut_ptr(), s.as_ptr(), 0);
        assert_eq!(wcslen(d.as_ptr()), 11);

        let src: Vec<WChar> = (0..100).map(|i| i * 7 - 300).collect();
        let mut dst = vec![0; 100];
        assert_eq!(wmemcpy(dst.as_mut_ptr(), src.as_ptr(), 100), dst.as_mut_ptr());
        assert_eq!(dst, src);
        let mut buf = src.clone();
        assert_eq!(wmemmove(buf.as_mut_ptr().add(3), buf.as_ptr(), 90), buf.as_mut_ptr().add(3));
        assert_eq!(&buf[3..93], &src[..90]);
        let mut buf = src.clone();
        wmemmove(buf.as_mut_ptr(), buf.as_ptr().add(5), 95);
        assert_eq!(&buf[..95], &src[5..]);
    }
}

#[test]
fn spans_and_breaks_against_oracles() {
    let mut rng = Rng(0x1234_5678);
    let alphabet = [1, 2, 3, -1, i32::MIN, 0x10_ffff];
    for _ in 0..5000 {
        let s = rng.string(40, &alphabet);
        let set = rng.string(4, &alphabet);
        let (sb, setb) = (body(&s), body(&set));
        let spn = sb.iter().position(|c| !setb.contains(c)).unwrap_or(sb.len());
        let cspn = sb.iter().position(|c| setb.contains(c)).unwrap_or(sb.len());
        // SAFETY: terminated strings.
        unsafe {
            assert_eq!(wcsspn(s.as_ptr(), set.as_ptr()), spn, "{sb:?} {setb:?}");
            assert_eq!(wcscspn(s.as_ptr(), set.as_ptr()), cspn, "{sb:?} {setb:?}");
            let p = wcspbrk(s.as_ptr(), set.as_ptr());
            let want = if cspn < sb.len() { cspn as isize } else { -1 };
            assert_eq!(if p.is_null() { -1 } else { p.offset_from(s.as_ptr()) }, want);
        }
    }
}

#[test]
fn wcstok_splits_like_musl() {
    let mut s = w("  ab,,c d ,");
    let sep = w(" ,");
    let mut save: *mut WChar = core::ptr::null_mut();
    let mut toks = Vec::new();
    // SAFETY: `s` is a writable terminated string; `save` is ours.
    unsafe {
        let mut t = wcstok(s.as_mut_ptr(), sep.as_ptr(), &mut save);
        while !t.is_null() {
            toks.push(core::slice::from_raw_parts(t, wcslen(t)).to_vec());
            t = wcstok(core::ptr::null_mut(), sep.as_ptr(), &mut save);
        }
        assert!(save.is_null());
        // Exhausted: further calls keep returning null.
        assert!(wcstok(core::ptr::null_mut(), sep.as_ptr(), &mut save).is_null());
        // A last token running to the end leaves `save` null.
        let mut s2 = w("xy");
        let t = wcstok(s2.as_mut_ptr(), sep.as_ptr(), &mut save);
        assert_eq!(t, s2.as_mut_ptr());
        assert!(save.is_null());
        // Only separators.
        let mut s3 = w(" ,, ");
        assert!(wcstok(s3.as_mut_ptr(), sep.as_ptr(), &mut save).is_null());
        assert!(save.is_null());
    }
    let want: Vec<Vec<WChar>> = ["ab", "c", "d"].iter().map(|t| body(&w(t)).to_vec()).collect();
    assert_eq!(toks, want);
}

#[test]
fn wcsstr_against_naive_search() {
    let mut rng = Rng(0x9e37_79b9);
    // Small alphabets make periodic needles and near-misses common.
    for alphabet in [&[1, 2][..], &[1, 2, 3][..], &[-1, i32::MIN, i32::MAX, 5][..]] {
        for _ in 0..20000 {
            let h = rng.string(60, alphabet);
            let mut n = rng.string(9, alphabet);
            // Half the time, take the needle from the haystack.
            if rng.next().is_multiple_of(2) && h.len() > 1 {
                let hb = body(&h);
                let a = (rng.next() as usize) % hb.len();
                let b = a + (rng.next() as usize) % (hb.len() - a).min(12) + 1;
                n = hb[a..b.min(hb.len())].to_vec();
                n.push(0);
            }
            let want = naive_find(body(&h), body(&n));
            // SAFETY: terminated strings.
            let got = unsafe { wcsstr(h.as_ptr(), n.as_ptr()) };
            let got = if got.is_null() { None } else { Some(unsafe { got.offset_from(h.as_ptr()) } as usize) };
            assert_eq!(got, want, "h={:?} n={:?}", body(&h), body(&n));
            assert_eq!(unsafe { wcswcs(h.as_ptr(), n.as_ptr()) }, unsafe { wcsstr(h.as_ptr(), n.as_ptr()) });
        }
    }
    // Long periodic and non-periodic needles in long haystacks.
    let mut h: Vec<WChar> = (0..5000).map(|i| if i % 7 == 6 { 2 } else { 1 }).collect();
    h.extend([1; 40]);
    h.push(0);
    for needle in [vec![1; 40], [vec![1; 6], vec![2], vec![1; 6], vec![2], vec![1; 3]].concat(), vec![1, 1, 2, 1, 1, 1]] {
        let mut n = needle.clone();
        n.push(0);
        let want = naive_find(body(&h), &needle);
        let got = unsafe { wcsstr(h.as_ptr(), n.as_ptr()) };
        assert_eq!(Some(unsafe { got.offset_from(h.as_ptr()) } as usize), want);
    }
    // Empty needle and empty haystack.
    let e = w("");
    let s = w("abc");
    unsafe {
        assert_eq!(wcsstr(s.as_ptr(), e.as_ptr()), s.as_ptr() as *mut WChar);
        assert_eq!(wcsstr(e.as_ptr(), e.as_ptr()), e.as_ptr() as *mut WChar);
        assert!(wcsstr(e.as_ptr(), s.as_ptr()).is_null());
        assert!(wcsstr(w("ab").as_ptr(), s.as_ptr()).is_null());
    }
}

#[test]
fn case_insensitive_compares_like_musl() {
    // SAFETY: terminated strings throughout.
    unsafe {
        assert_eq!(wcscasecmp(w("Hello").as_ptr(), w("hELLO").as_ptr()), 0);
        assert_eq!(wcscasecmp(w("abc").as_ptr(), w("ABD").as_ptr()), -1);
        assert_eq!(wcscasecmp(w("ÀÉ").as_ptr(), w("àé").as_ptr()), 0);
        assert_eq!(wcscasecmp(w("ΣΑΣ").as_ptr(), w("σας").as_ptr()), 'σ' as i32 - 'ς' as i32);
        assert_eq!(wcscasecmp(w("a").as_ptr(), w("").as_ptr()), 'a' as i32);
        assert_eq!(wcscasecmp(w("").as_ptr(), w("B").as_ptr()), -('b' as i32));
        assert_eq!(wcsncasecmp(w("abcX").as_ptr(), w("ABCy").as_ptr(), 3), 0);
        assert_eq!(wcsncasecmp(w("abcX").as_ptr(), w("ABCy").as_ptr(), 4), 'x' as i32 - 'y' as i32);
        assert_eq!(wcsncasecmp(w("x").as_ptr(), w("y").as_ptr(), 0), 0);
        // towlower of every code point, through the difference with "".
        let empty = w("");
        for c in [0x41, 0xc0, 0x130, 0x24b6, 0x10400, 0x10ffff] {
            let s = [c as WChar, 0];
            assert_eq!(wcsncasecmp(s.as_ptr(), empty.as_ptr(), 1), crate::ctype::towlower(c) as i32);
        }
        // Values outside Unicode compare as wint_t, wrapping, as in musl.
        let (a, b) = ([-1, 0], [1, 0]);
        assert_eq!(wcscasecmp(a.as_ptr(), b.as_ptr()), -2);
        let l = core::ptr::null_mut();
        assert_eq!(wcscasecmp_l(w("Q").as_ptr(), w("q").as_ptr(), l), 0);
        assert_eq!(wcsncasecmp_l(w("Qa").as_ptr(), w("qB").as_ptr(), 1, l), 0);
    }
}
