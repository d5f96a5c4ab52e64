//! What each benchmarked function is and how its inputs are built for a
//! given size. One entry per function of issue 3's SIMD list; the harness
//! iterates this table, so a function an implementation lacks is simply
//! reported as "n/a" for it.
//!
//! "Size" is bytes of data the call has to touch: the string length for
//! byte strings (the terminator comes after), `size / 4` elements for the
//! `wcs*`/`wmem*` functions.

use core::ffi::c_int;

use crate::buf::Buf;

/// How a function is called (its C signature) — the harness's call loop
/// is one `match` arm per shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `void *f(void *d, const void *s, size_t n)` — memcpy, memmove,
    /// mempcpy, strncpy, stpncpy, strncat.
    DstSrcN,
    /// `strncat` needs its destination string cut back before each call.
    DstSrcNReset,
    /// `void *f(void *d, int c, size_t n)` — memset, wmemset.
    DstCN,
    /// `void f(void *d, size_t n)` — bzero.
    DstN,
    /// `int f(const void *a, const void *b, size_t n)` — memcmp, bcmp,
    /// strncmp, strncasecmp, wcsncmp, wmemcmp.
    CmpN,
    /// `void *f(const void *s, int c, size_t n)` — memchr, memrchr, wmemchr.
    ChrN,
    /// `size_t f(const char *s)` — strlen, wcslen.
    Len,
    /// `size_t f(const char *s, size_t n)` — strnlen, wcsnlen.
    LenN,
    /// `char *f(const char *s, int c)` — strchr, strchrnul, strrchr, wcschr, wcsrchr.
    Chr,
    /// `int f(const char *a, const char *b)` — strcmp, strcasecmp, wcscmp.
    Cmp,
    /// `char *f(char *d, const char *s)` — strcpy, stpcpy, wcscpy.
    DstSrc,
    /// `strcat`: the destination string is cut back before each call.
    DstSrcReset,
    /// `size_t f(const char *s, const char *set)` — strspn, strcspn.
    Span,
    /// `char *f(const char *s, const char *t)` — strpbrk, strstr.
    Find,
    /// `void *memmem(const void *h, size_t hl, const void *n, size_t nl)`.
    Memmem,
    /// `void *memccpy(void *d, const void *s, int c, size_t n)`.
    Memccpy,
}

impl Shape {
    /// Whether the return value is a comparison result (only its sign counts).
    pub fn returns_sign(self) -> bool {
        matches!(self, Shape::CmpN | Shape::Cmp)
    }
}

pub struct Spec {
    pub name: &'static str,
    pub shape: Shape,
    /// Works on `wchar_t` (4-byte) elements.
    pub wide: bool,
    /// The input, in words, for the report.
    pub input: &'static str,
}

const fn s(name: &'static str, shape: Shape, wide: bool, input: &'static str) -> Spec {
    Spec {
        name,
        shape,
        wide,
        input,
    }
}

use Shape::*;

/// Every function of the SIMD list, in the list's order.
pub const FUNCTIONS: &[Spec] = &[
    s("memcpy", DstSrcN, false, "copy n bytes"),
    s(
        "memmove",
        DstSrcN,
        false,
        "backward-overlapping move of n bytes (dst = src + min(n/2, 2 KiB))",
    ),
    s("memset", DstCN, false, "fill n bytes"),
    s("memcmp", CmpN, false, "n equal bytes"),
    s("bcmp", CmpN, false, "n equal bytes"),
    s("memchr", ChrN, false, "byte found at index n-1"),
    s(
        "memrchr",
        ChrN,
        false,
        "byte found at index 0 (scans all n backwards)",
    ),
    s("strlen", Len, false, "string of length n"),
    s("strnlen", LenN, false, "string of length n, limit n+64"),
    s("strchr", Chr, false, "byte found at index n-1"),
    s("strchrnul", Chr, false, "byte found at index n-1"),
    s(
        "strrchr",
        Chr,
        false,
        "byte only at index 0, string of length n",
    ),
    s("strcmp", Cmp, false, "equal strings of length n"),
    s("strncmp", CmpN, false, "equal strings of length n, limit n"),
    s("strcpy", DstSrc, false, "string of length n"),
    s("stpcpy", DstSrc, false, "string of length n"),
    s(
        "strncpy",
        DstSrcN,
        false,
        "string of length n/2, limit n (half copy, half padding)",
    ),
    s(
        "stpncpy",
        DstSrcN,
        false,
        "string of length n/2, limit n (half copy, half padding)",
    ),
    s(
        "strcat",
        DstSrcReset,
        false,
        "n/2 appended to a string of length n/2",
    ),
    s(
        "strncat",
        DstSrcNReset,
        false,
        "n/2 appended to a string of length n/2, limit n",
    ),
    s("strspn", Span, false, "n letters, accept set a-z"),
    s(
        "strcspn",
        Span,
        false,
        "n letters, reject set of 6 delimiters",
    ),
    s(
        "strpbrk",
        Find,
        false,
        "n letters, set of 6 delimiters (not found)",
    ),
    s(
        "strstr",
        Find,
        false,
        "needle (16 B, n/4 below 64) at the end; near-misses every 32 B",
    ),
    s(
        "memmem",
        Memmem,
        false,
        "needle (16 B, n/4 below 64) at the end; near-misses every 32 B",
    ),
    s(
        "strcasecmp",
        Cmp,
        false,
        "strings of length n equal up to case",
    ),
    s(
        "strncasecmp",
        CmpN,
        false,
        "strings of length n equal up to case, limit n",
    ),
    s("memccpy", Memccpy, false, "stop byte at index n-1"),
    s("mempcpy", DstSrcN, false, "copy n bytes"),
    s("bzero", DstN, false, "zero n bytes"),
    s("wcslen", Len, true, "n/4 wide chars"),
    s("wcsnlen", LenN, true, "n/4 wide chars, limit n/4+16"),
    s("wcschr", Chr, true, "found at element n/4-1"),
    s("wcsrchr", Chr, true, "only at element 0, n/4 wide chars"),
    s("wcscmp", Cmp, true, "equal, n/4 wide chars"),
    s("wcsncmp", CmpN, true, "equal, n/4 wide chars, limit n/4"),
    s("wmemchr", ChrN, true, "found at element n/4-1"),
    s("wmemcmp", CmpN, true, "equal, n/4 elements"),
    s("wmemset", DstCN, true, "fill n/4 elements"),
    s("wcscpy", DstSrc, true, "n/4 wide chars"),
];

#[cfg(test)]
pub fn find(name: &str) -> Option<&'static Spec> {
    FUNCTIONS.iter().find(|s| s.name == name)
}

/// Where the two buffers lie relative to pages and to each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Both 64-byte aligned; the second buffer starts 2 KiB into its page,
    /// so the two never share a 4 KiB page offset.
    Aligned,
    /// As `Aligned`, then the first pointer +1 and the second +3 bytes
    /// (+4 and +12 for wide functions: one and three elements).
    Misaligned,
    /// glibc bug 30994: source at page offset 1, destination at page
    /// offset 3 (same page offset up to 2 bytes, different alignment).
    PageAlias,
}

impl Placement {
    pub fn label(self) -> &'static str {
        match self {
            Placement::Aligned => "aligned",
            Placement::Misaligned => "misaligned",
            Placement::PageAlias => "4k-alias",
        }
    }
}

/// What a correct call returns, so the harness can check that its inputs
/// are what the report says (every implementation is also compared with
/// glibc: return value and output bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    Ptr(usize),
    Null,
    /// A comparison whose result must be 0.
    Equal,
    Size(usize),
    /// Nothing useful (bzero).
    Nothing,
}

/// One prepared call: its arguments, the memory behind them, and what the
/// call must produce.
pub struct Case {
    pub a: *mut u8,
    pub b: *mut u8,
    pub c: c_int,
    pub n: usize,
    /// `memmem`'s haystack length (the `n` argument is its needle length).
    pub hay: usize,
    /// `strcat`/`strncat`: this byte is set to 0 before each call.
    pub reset: *mut u8,
    /// The bytes a call writes (compared across implementations).
    pub out: Option<(*mut u8, usize)>,
    pub expect: Expect,
    bufs: Vec<Buf>,
    snapshot: Vec<Vec<u8>>,
}

impl Case {
    /// Puts every buffer back as it was built (before a checked call).
    pub fn restore(&mut self) {
        for (b, s) in self.bufs.iter_mut().zip(&self.snapshot) {
            b.bytes_mut().copy_from_slice(s);
        }
    }

    /// The bytes the call wrote, for comparison.
    pub fn output(&self) -> Vec<u8> {
        match self.out {
            // SAFETY: `out` lies inside one of `self.bufs`, which are alive.
            Some((p, len)) => unsafe { core::slice::from_raw_parts(p, len) }.to_vec(),
            None => Vec::new(),
        }
    }
}

/// A small deterministic generator (xorshift), so every run builds the
/// same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn letter(&mut self) -> u8 {
        b'a' + (self.next() % 26) as u8
    }
}

/// The byte searched for (never part of the filler text).
const NEEDLE_BYTE: u8 = b'#';
/// The wide character searched for.
const NEEDLE_WCHAR: u32 = 0x1F600;
const DELIMITERS: &[u8] = b" \t\n,;:\0";

fn letters(rng: &mut Rng, dst: &mut [u8]) {
    for b in dst {
        *b = rng.letter();
    }
}

/// Wide text: letters with a CJK character now and then.
fn wide_text(rng: &mut Rng, dst: &mut [u8]) {
    for (i, w) in dst.chunks_exact_mut(4).enumerate() {
        let v = if i % 7 == 3 {
            0x4E00 + (rng.next() % 512) as u32
        } else {
            rng.letter() as u32
        };
        w.copy_from_slice(&v.to_ne_bytes());
    }
}

fn put_w(buf: &mut [u8], idx: usize, v: u32) {
    buf[idx * 4..idx * 4 + 4].copy_from_slice(&v.to_ne_bytes());
}

/// Needle length for `strstr`/`memmem` at size `n`.
pub fn needle_len(n: usize) -> usize {
    if n >= 64 { 16 } else { (n / 4).max(1) }
}

/// Overlap distance for the backward `memmove` at size `n`.
pub fn move_distance(n: usize) -> usize {
    if n >= 128 {
        (n / 2).min(2048) & !63
    } else {
        (n / 2).max(1)
    }
}

/// Builds the call of `spec` on `n` bytes placed as `place`.
pub fn make_case(spec: &Spec, n: usize, place: Placement) -> Case {
    let slack = 8192;
    let mut a_buf = Buf::new(n + slack);
    let mut b_buf = Buf::new(n + slack);
    let (mis_a, mis_b) = match place {
        Placement::Aligned => (0, 0),
        Placement::Misaligned if spec.wide => (4, 12),
        Placement::Misaligned => (1, 3),
        Placement::PageAlias => (3, 1),
    };
    let b_page_off = if place == Placement::PageAlias {
        0
    } else {
        2048
    };
    let ao = mis_a;
    let bo = b_page_off + mis_b;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ n as u64);
    let m = n / 4; // wide elements
    let mut c: c_int = 0;
    let mut count = n;
    let mut reset_at: Option<usize> = None;
    let mut out: Option<(bool, usize, usize)> = None; // (in a?, offset, len)
    let a0 = a_buf.ptr() as usize + ao;
    let mut a_off = ao; // where argument `a` points inside a_buf
    let expect;
    {
        let a = &mut a_buf.bytes_mut()[ao..];
        let b = &mut b_buf.bytes_mut()[bo..];
        match spec.name {
            "memcpy" | "mempcpy" => {
                letters(&mut rng, &mut b[..n]);
                out = Some((true, ao, n));
                expect = Expect::Ptr(if spec.name == "memcpy" { a0 } else { a0 + n });
            }
            "memmove" => {
                // Source and destination both in `a`: dst = src + d.
                let d = move_distance(n) + if place == Placement::Misaligned { 2 } else { 0 };
                letters(&mut rng, &mut a[..n + d]);
                // `b` carries the source pointer; `a` the destination.
                a_off = ao + d;
                out = Some((true, ao, n + d));
                expect = Expect::Ptr(a0 + d);
            }
            "memset" => {
                c = 0x5A;
                out = Some((true, ao, n));
                expect = Expect::Ptr(a0);
            }
            "bzero" => {
                a[..n].fill(0xA5);
                out = Some((true, ao, n));
                expect = Expect::Nothing;
            }
            "memcmp" | "bcmp" => {
                letters(&mut rng, &mut a[..n]);
                b[..n].copy_from_slice(&a[..n]);
                expect = Expect::Equal;
            }
            "memchr" | "strchr" | "strchrnul" => {
                letters(&mut rng, &mut a[..n]);
                a[n - 1] = NEEDLE_BYTE;
                a[n] = 0;
                c = NEEDLE_BYTE as c_int;
                expect = Expect::Ptr(a0 + n - 1);
            }
            "memrchr" | "strrchr" => {
                letters(&mut rng, &mut a[..n]);
                a[0] = NEEDLE_BYTE;
                a[n] = 0;
                c = NEEDLE_BYTE as c_int;
                expect = Expect::Ptr(a0);
            }
            "strlen" => {
                letters(&mut rng, &mut a[..n]);
                a[n] = 0;
                expect = Expect::Size(n);
            }
            "strnlen" => {
                letters(&mut rng, &mut a[..n]);
                a[n] = 0;
                count = n + 64;
                expect = Expect::Size(n);
            }
            "strcmp" | "strncmp" => {
                letters(&mut rng, &mut a[..n]);
                a[n] = 0;
                b[..=n].copy_from_slice(&a[..=n]);
                expect = Expect::Equal;
            }
            "strcasecmp" | "strncasecmp" => {
                letters(&mut rng, &mut a[..n]);
                a[n] = 0;
                for i in 0..=n {
                    b[i] = a[i].to_ascii_uppercase();
                }
                expect = Expect::Equal;
            }
            "strcpy" | "stpcpy" => {
                letters(&mut rng, &mut b[..n]);
                b[n] = 0;
                a[..=n].fill(0xA5);
                out = Some((true, ao, n + 1));
                expect = Expect::Ptr(if spec.name == "strcpy" { a0 } else { a0 + n });
            }
            "strncpy" | "stpncpy" => {
                let len = n / 2;
                letters(&mut rng, &mut b[..len]);
                b[len] = 0;
                a[..n].fill(0xA5);
                out = Some((true, ao, n));
                expect = Expect::Ptr(if spec.name == "strncpy" { a0 } else { a0 + len });
            }
            "strcat" | "strncat" => {
                let head = n / 2;
                letters(&mut rng, &mut a[..head]);
                a[head] = 0;
                letters(&mut rng, &mut b[..n - head]);
                b[n - head] = 0;
                reset_at = Some(ao + head);
                out = Some((true, ao, n + 1));
                expect = Expect::Ptr(a0);
            }
            "strspn" => {
                letters(&mut rng, &mut a[..n]);
                a[n] = 0;
                let set: Vec<u8> = (b'a'..=b'z').chain([0]).collect();
                b[..set.len()].copy_from_slice(&set);
                expect = Expect::Size(n);
            }
            "strcspn" | "strpbrk" => {
                letters(&mut rng, &mut a[..n]);
                a[n] = 0;
                b[..DELIMITERS.len()].copy_from_slice(DELIMITERS);
                expect = if spec.name == "strcspn" {
                    Expect::Size(n)
                } else {
                    Expect::Null
                };
            }
            "strstr" | "memmem" => {
                let l = needle_len(n);
                let needle: Vec<u8> = (0..l).map(|_| rng.letter()).collect();
                letters(&mut rng, &mut a[..n]);
                // Near misses: the needle's first bytes (up to 3, never all
                // of it) every 32 bytes.
                let pre = (l - 1).min(3);
                let mut i = 7;
                while pre > 0 && i + pre < n - l {
                    a[i..i + pre].copy_from_slice(&needle[..pre]);
                    i += 32;
                }
                a[n - l..n].copy_from_slice(&needle);
                a[n] = 0;
                // No earlier (accidental) occurrence.
                let mut j = 0;
                while j + l < n {
                    if a[j..j + l] == needle[..] {
                        a[j + l - 1] = if needle[l - 1] == b'a' { b'b' } else { b'a' };
                    }
                    j += 1;
                }
                b[..l].copy_from_slice(&needle);
                b[l] = 0;
                count = l;
                expect = Expect::Ptr(a0 + n - l);
            }
            "memccpy" => {
                letters(&mut rng, &mut b[..n]);
                b[n - 1] = NEEDLE_BYTE;
                c = NEEDLE_BYTE as c_int;
                out = Some((true, ao, n));
                expect = Expect::Ptr(a0 + n);
            }
            "wcslen" | "wcsnlen" => {
                wide_text(&mut rng, &mut a[..m * 4]);
                put_w(a, m, 0);
                if spec.name == "wcsnlen" {
                    count = m + 16;
                }
                expect = Expect::Size(m);
            }
            "wcschr" | "wmemchr" => {
                wide_text(&mut rng, &mut a[..m * 4]);
                put_w(a, m - 1, NEEDLE_WCHAR);
                put_w(a, m, 0);
                c = NEEDLE_WCHAR as c_int;
                count = m;
                expect = Expect::Ptr(a0 + 4 * (m - 1));
            }
            "wcsrchr" => {
                wide_text(&mut rng, &mut a[..m * 4]);
                put_w(a, 0, NEEDLE_WCHAR);
                put_w(a, m, 0);
                c = NEEDLE_WCHAR as c_int;
                expect = Expect::Ptr(a0);
            }
            "wcscmp" | "wcsncmp" | "wmemcmp" => {
                wide_text(&mut rng, &mut a[..m * 4]);
                put_w(a, m, 0);
                b[..m * 4 + 4].copy_from_slice(&a[..m * 4 + 4]);
                count = m;
                expect = Expect::Equal;
            }
            "wmemset" => {
                c = NEEDLE_WCHAR as c_int;
                count = m;
                out = Some((true, ao, m * 4));
                expect = Expect::Ptr(a0);
            }
            "wcscpy" => {
                wide_text(&mut rng, &mut b[..m * 4]);
                put_w(b, m, 0);
                a[..m * 4 + 4].fill(0xA5);
                out = Some((true, ao, m * 4 + 4));
                expect = Expect::Ptr(a0);
            }
            other => panic!("spec.rs: no input builder for {other}"),
        }
    }
    let a_ptr = a_buf.ptr();
    let b_ptr = b_buf.ptr();
    // SAFETY: every offset below is within the buffers (n + slack bytes).
    let (a, b, reset, out) = unsafe {
        let (a, b) = if spec.name == "memmove" {
            (a_ptr.add(a_off), a_ptr.add(ao))
        } else {
            (a_ptr.add(a_off), b_ptr.add(bo))
        };
        let reset = reset_at.map_or(core::ptr::null_mut(), |o| a_ptr.add(o));
        let out = out.map(|(in_a, off, len)| (if in_a { a_ptr } else { b_ptr }.add(off), len));
        (a, b, reset, out)
    };
    let bufs = vec![a_buf, b_buf];
    let snapshot = bufs.iter().map(|b| b.bytes().to_vec()).collect();
    Case {
        a,
        b,
        c,
        n: count,
        hay: n,
        reset,
        out,
        expect,
        bufs,
        snapshot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_script_lists_the_same_functions() {
        let build = include_str!("../build.rs");
        for f in FUNCTIONS {
            assert!(
                build.contains(&format!("\"{}\"", f.name)),
                "{} missing from build.rs",
                f.name
            );
        }
        assert_eq!(FUNCTIONS.len(), 40);
    }

    #[test]
    fn every_function_builds_at_every_size_and_placement() {
        for f in FUNCTIONS {
            for n in [16, 132, 4100] {
                for p in [Placement::Aligned, Placement::Misaligned] {
                    let c = make_case(f, n, p);
                    assert!(!c.a.is_null() && !c.b.is_null(), "{}", f.name);
                }
            }
        }
    }

    #[test]
    fn strstr_haystack_has_one_occurrence_at_the_end() {
        for n in [16, 132, 4100] {
            let c = make_case(find("strstr").unwrap(), n, Placement::Aligned);
            let l = needle_len(n);
            // SAFETY: the case's buffers hold n + 1 and l + 1 bytes.
            let (h, nd) = unsafe {
                (
                    core::slice::from_raw_parts(c.a, n),
                    core::slice::from_raw_parts(c.b, l),
                )
            };
            let hits: Vec<usize> = (0..=n - l).filter(|&i| &h[i..i + l] == nd).collect();
            assert_eq!(hits, vec![n - l]);
        }
    }
}
