//! Differential properties, one per C signature shape ("class").
//!
//! Every class gets a [`Case`] (lengths, alignments, which buffer ends at a
//! guard page, an alphabet and a seed), lays out identical inputs for
//! vicuna and for musl in two pairs of guarded regions, calls both, and
//! compares: the return value (pointers as buffer and offset, integers
//! exactly, by sign or by zero-ness as the registry says), `errno`, and
//! every byte of both regions (so a write before or past the destination
//! shows). Byte-string classes are generic over [`Unit`], so the same code
//! tests the `wchar_t` functions.
//!
//! To add a function whose shape exists: one line in `registry.rs`. To add
//! a shape: a function here of type [`Runner`].

use core::fmt::Debug;
use core::mem::transmute;

use proptest::prelude::*;

use crate::guard::Guarded;
use crate::{errno, set_errno};

/// One generated input. Fields are raw material; each class reads them
/// its own way (documented there).
#[derive(Clone, Debug)]
pub struct Case {
    /// Length of the main operand, in units.
    pub len: usize,
    /// Byte offset of buffer 0 / buffer 1 from its page start (0..63;
    /// rounded down to the unit size).
    pub a: usize,
    pub b: usize,
    /// 0: no buffer at the end; 1: operand 0 ends flush with the guard
    /// page after it; 2: operand 1 does.
    pub end: u8,
    /// Which alphabet the contents come from (see [`Unit::pick`]).
    pub alpha: u8,
    pub seed: u64,
    pub x: u64,
    pub y: u64,
    /// Raw bytes that contents are drawn from before the seed's generator
    /// takes over (fuzzing; empty otherwise).
    pub data: Vec<u8>,
}

/// Lengths around every block boundary the kernels use.
pub const BOUNDARIES: &[usize] = &[
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 95, 96, 127, 128, 129, 191,
    192, 255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 2047, 2048, 4095, 4096, 4097,
];

/// The largest `len` a case has; classes need room for about twice that
/// plus 300 units of wide characters in one region.
pub const MAX_LEN: usize = 4200;

pub fn strategy() -> impl Strategy<Value = Case> {
    let len = prop_oneof![
        3 => proptest::sample::select(BOUNDARIES),
        3 => 0usize..300,
        1 => 0usize..=MAX_LEN,
    ];
    (len, 0usize..64, 0usize..64, prop_oneof![2 => Just(0u8), 1 => 1u8..=2], 0u8..6, any::<u64>(), any::<u64>(), any::<u64>())
        .prop_map(|(len, a, b, end, alpha, seed, x, y)| Case { len, a, b, end, alpha, seed, x, y, data: Vec::new() })
}

/// Deterministic cases: every boundary length at every alignment of
/// operand 0, plus each flush against a guard page; alphabets and other
/// parameters rotate.
pub fn sweep() -> Vec<Case> {
    let mut v = Vec::new();
    let mut k = 0u64;
    for &len in BOUNDARIES {
        for a in 0..64 {
            k += 1;
            let h = k.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            v.push(Case { len, a, b: (a * 7 + len) % 64, end: 0, alpha: (k % 6) as u8, seed: h, x: h >> 7, y: k, data: Vec::new() });
        }
        for end in 1..=2 {
            for alpha in 0..6 {
                k += 1;
                let h = k.wrapping_mul(0x9e37_79b9_7f4a_7c15);
                v.push(Case { len, a: 0, b: 3, end, alpha, seed: h, x: h >> 9, y: k, data: Vec::new() });
            }
        }
    }
    v
}

impl Case {
    /// A case decoded from fuzzer bytes: a 16-byte header for the
    /// parameters, the rest feeds the contents.
    pub fn from_bytes(b: &[u8]) -> Case {
        let h = |i: usize| b.get(i).copied().unwrap_or(0);
        let w = |i: usize| u64::from_le_bytes(core::array::from_fn(|k| h(i + k)));
        let len = if h(0) & 0x80 != 0 {
            BOUNDARIES[h(1) as usize % BOUNDARIES.len()]
        } else {
            (h(1) as usize | (h(0) as usize & 0x1f) << 8) % (MAX_LEN + 1)
        };
        Case {
            len,
            a: h(2) as usize % 64,
            b: h(3) as usize % 64,
            end: h(4) % 3,
            alpha: h(5) % 6,
            seed: w(6),
            x: w(6).rotate_left(17) ^ h(14) as u64,
            y: w(6).rotate_left(41) ^ h(15) as u64,
            data: b.get(16..).unwrap_or(&[]).to_vec(),
        }
    }
}

/// A small deterministic generator for buffer contents: the case's raw
/// bytes first (when fuzzing), then splitmix64 from its seed.
pub struct Rng(u64, Vec<u8>, usize);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x2545_f491_4f6c_dd1d, Vec::new(), 0)
    }
    pub fn for_case(case: &Case) -> Rng {
        Rng(case.seed ^ 0x2545_f491_4f6c_dd1d, case.data.clone(), 0)
    }
    pub fn next_u64(&mut self) -> u64 {
        if self.2 < self.1.len() {
            // one fuzzer byte per draw, spread so every alphabet sees it
            let b = self.1[self.2] as u64;
            self.2 += 1;
            return b | b << 8 | b << 16 | b << 24 | b << 32 | b << 40 | b << 48 | b << 56;
        }
        // splitmix64
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }
}

/// A character unit: `u8` for the byte functions, [`Wc`] (`wchar_t`) for
/// the wide ones.
pub trait Unit: Copy + PartialEq + Debug + 'static {
    const W: usize;
    /// A unit from alphabet `alpha`: 0 any value (NUL rare), 1 a small
    /// set with case pairs and high values, 2 the same with NULs, 3 mostly
    /// 'a', 4 digits and dots, 5 high values only.
    fn pick(alpha: u8, r: &mut Rng) -> Self;
    fn zero() -> Self;
    fn is_zero(self) -> bool;
    /// The value as the `int`/`wchar_t` argument of `strchr`, `memset`...
    /// `junk` goes into the bits the function must ignore (bytes only).
    fn arg(self, junk: u32) -> i32;
    /// Swaps ASCII case.
    fn flip(self) -> Self;
    /// Writes the unit at `p`.
    ///
    /// # Safety
    /// `p` must be valid for writing `W` bytes.
    unsafe fn store(self, p: *mut u8);
}

impl Unit for u8 {
    const W: usize = 1;
    fn pick(alpha: u8, r: &mut Rng) -> u8 {
        let v = r.next_u64();
        match alpha {
            0 => v as u8,
            1 => b"aAbBzZ\x80\xff\xc0\xe0"[(v % 10) as usize],
            2 => b"aAbB\x80\xff\0"[(v % 7) as usize],
            3 => if v.is_multiple_of(16) { (v >> 8) as u8 } else { b'a' },
            4 => b"0012399a.-"[(v % 10) as usize],
            _ => 0x80 | (v as u8),
        }
    }
    fn zero() -> u8 {
        0
    }
    fn is_zero(self) -> bool {
        self == 0
    }
    fn arg(self, junk: u32) -> i32 {
        (self as u32 | (junk << 8)) as i32
    }
    fn flip(self) -> u8 {
        if self.is_ascii_alphabetic() { self ^ 0x20 } else { self }
    }
    unsafe fn store(self, p: *mut u8) {
        // SAFETY: the caller guarantees p is writable.
        unsafe { p.write(self) }
    }
}

/// `wchar_t` on Linux: a signed 32-bit value.
pub type Wc = i32;

impl Unit for Wc {
    const W: usize = 4;
    fn pick(alpha: u8, r: &mut Rng) -> Wc {
        let v = r.next_u64();
        const SET: [i32; 14] =
            [b'a' as i32, b'A' as i32, b'b' as i32, b'B' as i32, 0x80, 0xff, 0xdf, 0x130, 0x3a3, 0x10000, -1, i32::MIN, i32::MAX, 0x7f];
        match alpha {
            0 => if v.is_multiple_of(3) { (v >> 32) as i32 } else { (v >> 40) as i32 & 0x1f_ffff },
            1 => SET[(v % 14) as usize],
            2 => if v.is_multiple_of(8) { 0 } else { SET[(v % 14) as usize] },
            3 => if v.is_multiple_of(16) { (v >> 8) as i32 } else { b'a' as i32 },
            4 => b"0012399a.-"[(v % 10) as usize] as i32,
            _ => if v.is_multiple_of(2) { (v >> 33) as i32 | i32::MIN } else { 0x80 + ((v >> 8) % 0x10_ff80) as i32 },
        }
    }
    fn zero() -> Wc {
        0
    }
    fn is_zero(self) -> bool {
        self == 0
    }
    fn arg(self, _junk: u32) -> i32 {
        self
    }
    fn flip(self) -> Wc {
        if (0..128).contains(&self) && (self as u8).is_ascii_alphabetic() { self ^ 0x20 } else { self }
    }
    unsafe fn store(self, p: *mut u8) {
        // SAFETY: the caller guarantees 4 writable bytes.
        unsafe { p.cast::<i32>().write_unaligned(self) }
    }
}

/// How integer results are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// The same value (musl's `memcmp`/`strcmp` return the byte difference).
    Exact,
    /// The same sign (musl's `wcscmp`/`wmemcmp` compute `*l - *r`, which
    /// can overflow: FACTS.md).
    Sign,
    /// Both zero or both nonzero (`bcmp`).
    Zero,
    /// Wide comparisons (`wcscmp`, `wcsncmp`, `wmemcmp`): the same sign as
    /// musl's, or the sign of comparing the first differing `wchar_t`s as
    /// signed values. musl 1.2.3 returns `*l - *r`, which overflows for
    /// far-apart values (FACTS.md), so an implementation that compares
    /// values correctly is accepted too.
    WideSign,
    /// As `WideSign` after musl's `towlower` (`wcscasecmp` and friends).
    WideSignFolded,
}

/// What a call produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Out {
    Int(i64),
    Size(usize),
    /// Null, or (region, byte offset) of a pointer into the test buffers.
    Ptr(Option<(usize, usize)>),
    /// A pointer outside every test buffer (always a bug here).
    Foreign(usize),
    Void,
    Seq(Vec<Out>),
}

/// The function under test and musl's, as addresses.
#[derive(Clone, Copy, Debug)]
pub struct Impl {
    pub f: usize,
    pub m: usize,
}

/// One class: lays out `case`, calls both implementations, compares.
pub type Runner = fn(&Case, &mut Env, Cmp, Impl) -> Result<(), String>;

/// The two sides' regions: vicuna's and musl's, two each.
pub struct Env {
    v: [Guarded; 2],
    m: [Guarded; 2],
    fill: u8,
}

/// One side's view during a call.
pub struct Side<'a> {
    bufs: &'a [Guarded; 2],
}

impl Side<'_> {
    /// Pointer to byte offset `off` of region `buf`.
    pub fn at<T>(&self, buf: usize, off: usize) -> *mut T {
        debug_assert!(off <= Guarded::SIZE);
        // SAFETY: off lies within the usable area (layouts check).
        unsafe { self.bufs[buf].start().add(off).cast() }
    }
    pub fn ptr<T>(&self, p: *const T) -> Out {
        if p.is_null() {
            return Out::Ptr(None);
        }
        for (i, b) in self.bufs.iter().enumerate() {
            if let Some(o) = b.offset_of(p.cast()) {
                return Out::Ptr(Some((i, o)));
            }
        }
        Out::Foreign(p as usize)
    }
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    pub fn new() -> Env {
        Env { v: [Guarded::new(), Guarded::new()], m: [Guarded::new(), Guarded::new()], fill: 0 }
    }

    /// Starts a case: both sides' regions get the same filler bytes.
    pub fn reset(&mut self, case: &Case) {
        self.fill = (case.seed >> 56) as u8 | 1;
        let f = self.fill;
        for g in self.v.iter_mut().chain(self.m.iter_mut()) {
            g.bytes_mut().fill(f);
        }
    }

    /// Offset where `units` units go in region `buf`: flush against the
    /// guard page when `flush`, else at `align` (rounded to the unit).
    pub fn offset<T: Unit>(&self, units: usize, align: usize, flush: bool) -> usize {
        let bytes = units * T::W;
        assert!(bytes + 64 <= Guarded::SIZE, "case too large");
        if flush { Guarded::SIZE - bytes } else { align / T::W * T::W }
    }

    /// Writes `data` at byte offset `off` of region `buf`, on both sides.
    pub fn put<T: Unit>(&mut self, buf: usize, off: usize, data: &[T]) {
        assert!(off + data.len() * T::W <= Guarded::SIZE);
        for side in [&mut self.v, &mut self.m] {
            let p = side[buf].start();
            for (i, &u) in data.iter().enumerate() {
                // SAFETY: within the region (asserted above).
                unsafe { u.store(p.add(off + i * T::W)) };
            }
        }
    }

    /// Places `data` per the case's alignment/flush rule for operand `buf`
    /// and returns its offset.
    pub fn place<T: Unit>(&mut self, case: &Case, buf: usize, data: &[T]) -> usize {
        let align = if buf == 0 { case.a } else { case.b };
        let off = self.offset::<T>(data.len(), align, case.end as usize == buf + 1);
        self.put(buf, off, data);
        off
    }

    /// Runs `call` on both sides and compares everything observable.
    pub fn check(&mut self, cmp: Cmp, imp: Impl, call: impl Fn(&Side, usize) -> Out) -> Result<(), String> {
        self.check_alt(cmp, imp, None, call)
    }

    /// As `check`, also accepting `alt` as the result (see `Cmp::WideSign`).
    pub fn check_alt(
        &mut self,
        cmp: Cmp,
        imp: Impl,
        alt: Option<Out>,
        call: impl Fn(&Side, usize) -> Out,
    ) -> Result<(), String> {
        set_errno(-4242);
        let ov = call(&Side { bufs: &self.v }, imp.f);
        let ev = errno();
        set_errno(-4242);
        let om = call(&Side { bufs: &self.m }, imp.m);
        let em = errno();
        let norm = |o: Out| normalise(o, cmp);
        let (ov, om) = (norm(ov), norm(om));
        if ov != om && alt.is_none_or(|a| norm(a) != ov) {
            return Err(format!("result: vicuna {ov:?}, musl {om:?}"));
        }
        if ev != em {
            return Err(format!("errno: vicuna {ev}, musl {em}"));
        }
        for i in 0..2 {
            let (a, b) = (self.v[i].bytes(), self.m[i].bytes());
            if a != b {
                let at = a.iter().zip(b).position(|(x, y)| x != y).unwrap();
                let lo = at.saturating_sub(4);
                return Err(format!(
                    "memory: region {i} differs first at byte {at}: vicuna {:02x?}, musl {:02x?} (from byte {lo})",
                    &a[lo..(lo + 12).min(a.len())],
                    &b[lo..(lo + 12).min(b.len())]
                ));
            }
        }
        Ok(())
    }
}

fn normalise(o: Out, cmp: Cmp) -> Out {
    match o {
        Out::Int(v) => Out::Int(match cmp {
            Cmp::Exact => v,
            Cmp::Sign | Cmp::WideSign | Cmp::WideSignFolded => v.signum(),
            Cmp::Zero => (v != 0) as i64,
        }),
        Out::Seq(v) => Out::Seq(v.into_iter().map(|o| normalise(o, cmp)).collect()),
        o => o,
    }
}

/// Calls address `f` as the given C function type.
macro_rules! call {
    ($f:expr, fn($($t:ty),*) -> $r:ty, $($a:expr),*) => {{
        // SAFETY: the registry pairs each function with the class of its C
        // signature, and the arguments satisfy the C contract (valid,
        // terminated where needed, inside the guarded regions).
        unsafe { transmute::<usize, unsafe extern "C" fn($($t),*) -> $r>($f)($($a),*) }
    }};
}

// ---------------------------------------------------------------- inputs

/// `n` units from the case's alphabet (NULs possible).
fn units<T: Unit>(alpha: u8, n: usize, r: &mut Rng) -> Vec<T> {
    (0..n).map(|_| T::pick(alpha, r)).collect()
}

/// A string: `case.len` units (embedded NULs possible: the C string is up
/// to the first) and a terminator.
fn string<T: Unit>(case: &Case, r: &mut Rng) -> Vec<T> {
    let mut v = units::<T>(case.alpha, case.len, r);
    v.push(T::zero());
    v
}

/// A string with no NUL before its terminator, `n` units long.
fn clean_string<T: Unit>(alpha: u8, n: usize, r: &mut Rng) -> Vec<T> {
    let mut v: Vec<T> = (0..n)
        .map(|_| loop {
            let u = T::pick(alpha, r);
            if !u.is_zero() {
                break u;
            }
        })
        .collect();
    v.push(T::zero());
    v
}

/// A second string related to `s` (a terminated vector): equal, one unit
/// changed, a prefix, longer, case-flipped, or unrelated.
fn other<T: Unit>(case: &Case, s: &[T], r: &mut Rng) -> Vec<T> {
    let body = &s[..s.len() - 1];
    let mut t: Vec<T> = body.to_vec();
    match case.y % 6 {
        0 => {}
        1 if !t.is_empty() => {
            let at = (case.x as usize) % t.len();
            t[at] = T::pick(case.alpha ^ 1, r);
        }
        2 => t.truncate((case.x as usize) % (t.len() + 1)),
        3 => t.extend(units::<T>(case.alpha, (case.x % 70) as usize, r)),
        4 => {
            for u in t.iter_mut() {
                if r.next_u64().is_multiple_of(2) {
                    *u = u.flip();
                }
            }
            if !t.is_empty() && case.x.is_multiple_of(3) {
                let at = (case.x as usize / 3) % t.len();
                t[at] = T::pick(case.alpha, r);
            }
        }
        _ => t = units::<T>(case.alpha, (case.x % 300) as usize, r),
    }
    t.push(T::zero());
    t
}

/// A needle or character set for `hay` (terminated): a substring of it,
/// a substring with its last unit changed, or a short or longer string.
fn needle<T: Unit>(case: &Case, hay: &[T], r: &mut Rng) -> Vec<T> {
    let body = &hay[..hay.iter().position(|u| u.is_zero()).unwrap_or(hay.len())];
    let kind = (case.y >> 4) % 4;
    let mut t: Vec<T> = match kind {
        0 | 1 => {
            let pos = (case.x as usize) % (body.len() + 1);
            let max = (body.len() - pos).min(300);
            let n = ((case.y >> 8) as usize) % (max + 1);
            body[pos..pos + n].to_vec()
        }
        2 => units::<T>(case.alpha, ((case.y >> 8) % 8) as usize, r),
        _ => units::<T>(case.alpha, ((case.y >> 8) % 64) as usize, r),
    };
    if kind == 1
        && let Some(l) = t.last_mut() {
            *l = T::pick(case.alpha, r);
        }
    t.push(T::zero());
    t
}

/// A length argument near `len`: exact, a little off either way, small,
/// or (when `huge` is allowed) SIZE_MAX.
fn near(case: &Case, len: usize, room: usize, huge: bool) -> usize {
    let d = ((case.x >> 20) % 5) as usize;
    let n = match (case.x >> 16) % 6 {
        0 => len,
        1 => len.saturating_sub(d + 1),
        2 => len + d + 1,
        3 => ((case.x >> 24) as usize) % (len + 2),
        4 if huge => usize::MAX,
        _ => len + 16,
    };
    if n == usize::MAX { n } else { n.min(room) }
}

// --------------------------------------------------------------- classes

/// `void *(*)(void *d, const void *s, size_t n)` without overlap: memcpy,
/// mempcpy, wmemcpy. Source is operand 0, destination operand 1.
pub fn copy<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let src = units::<T>(case.alpha, case.len, &mut r);
    let s = e.place(case, 0, &src);
    let d = e.offset::<T>(case.len, case.b, case.end == 2);
    let n = case.len;
    e.check(cmp, imp, |sd, f| sd.ptr(call!(f, fn(*mut T, *const T, usize) -> *mut T, sd.at(1, d), sd.at(0, s), n)))
}

/// Offsets for an overlapping move of `len` units inside region 0.
fn move_layout<T: Unit>(case: &Case, e: &mut Env, r: &mut Rng) -> (usize, usize) {
    let span = case.len + 700;
    let data = units::<T>(case.alpha, span, r);
    let base = e.offset::<T>(span, case.a, case.end != 0);
    e.put(0, base, &data);
    let shift = (case.x % 601) as usize; // 0..=600 units, 300 = no shift
    let mid = base + 350 * T::W;
    let (s, d) = match case.end {
        // source flush with the guard page, destination before it
        1 => (base + (span - case.len) * T::W, base + (span - case.len - shift / 2) * T::W),
        // destination flush, source before it
        2 => (base + (span - case.len - shift / 2) * T::W, base + (span - case.len) * T::W),
        _ => (mid, mid + shift * T::W - 300 * T::W + (case.b / T::W % 4) * T::W),
    };
    (s, d)
}

/// `void *(*)(void *d, const void *s, size_t n)` with overlap: memmove,
/// wmemmove. Both operands in region 0, overlapping either way.
pub fn moves<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (s, d) = move_layout::<T>(case, e, &mut r);
    let n = case.len;
    e.check(cmp, imp, |sd, f| sd.ptr(call!(f, fn(*mut T, *const T, usize) -> *mut T, sd.at(0, d), sd.at(0, s), n)))
}

/// `void (*)(const void *s, void *d, size_t n)`: bcopy (may overlap).
pub fn bcopy(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (s, d) = move_layout::<u8>(case, e, &mut r);
    let n = case.len;
    e.check(cmp, imp, |sd, f| {
        call!(f, fn(*const u8, *mut u8, usize) -> (), sd.at(0, s), sd.at(0, d), n);
        Out::Void
    })
}

/// `void *(*)(void *d, const void *s, int c, size_t n)`: memccpy.
pub fn memccpy(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let src = units::<u8>(case.alpha, case.len, &mut r);
    let s = e.place(case, 0, &src);
    let d = e.offset::<u8>(case.len, case.b, case.end == 2);
    let c = pick_char(case, &src, &mut r);
    let n = case.len;
    e.check(cmp, imp, |sd, f| sd.ptr(call!(f, fn(*mut u8, *const u8, i32, usize) -> *mut u8, sd.at(1, d), sd.at(0, s), c, n)))
}

/// A character argument: one that occurs in `data`, NUL, or any; bytes
/// get junk in their high bits a third of the time.
fn pick_char<T: Unit>(case: &Case, data: &[T], r: &mut Rng) -> i32 {
    let junk = if case.y.is_multiple_of(3) { (r.next_u64() as u32) >> 8 } else { 0 };
    let u = match (case.y >> 2) % 4 {
        0 | 1 if !data.is_empty() => data[(case.x as usize) % data.len()],
        2 => T::zero(),
        _ => T::pick(case.alpha, r),
    };
    u.arg(junk)
}

/// `T *(*)(T *d, int c, size_t n)`: memset, wmemset.
pub fn set<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let d = e.offset::<T>(case.len, case.a, case.end != 0);
    let c = T::pick(case.alpha, &mut r).arg((r.next_u64() as u32) >> 8);
    let n = case.len;
    e.check(cmp, imp, |sd, f| sd.ptr(call!(f, fn(*mut T, i32, usize) -> *mut T, sd.at(0, d), c, n)))
}

/// `void (*)(void *d, size_t n)`: bzero, explicit_bzero.
pub fn zero(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let d = e.offset::<u8>(case.len, case.a, case.end != 0);
    let n = case.len;
    e.check(cmp, imp, |sd, f| {
        call!(f, fn(*mut u8, usize) -> (), sd.at(0, d), n);
        Out::Void
    })
}

/// Two blocks of `len` units, equal or differing in one or more places.
fn two_blocks<T: Unit>(case: &Case, r: &mut Rng) -> (Vec<T>, Vec<T>) {
    let a = units::<T>(case.alpha, case.len, r);
    let mut b = a.clone();
    if !b.is_empty() {
        match case.y % 4 {
            0 => {}
            1 => {
                let at = (case.x as usize) % b.len();
                b[at] = T::pick(case.alpha ^ 1, r);
            }
            2 => {
                for _ in 0..3 {
                    let at = r.below(b.len());
                    b[at] = T::pick(case.alpha, r);
                }
            }
            _ => b = units::<T>(case.alpha, case.len, r),
        }
    }
    (a, b)
}

/// The value-comparison answer for `Cmp::WideSign*`: the sign of the
/// first difference among the first `n` units, stopping after a NUL when
/// `strings`.
fn wide_truth<T: Unit>(cmp: Cmp, a: &[T], b: &[T], n: usize, strings: bool) -> Option<Out> {
    if !matches!(cmp, Cmp::WideSign | Cmp::WideSignFolded) {
        return None;
    }
    let fold = |u: T| -> i64 {
        let v = u.arg(0) as i64;
        if cmp == Cmp::WideSignFolded {
            let f = crate::musl::lookup("towlower").expect("musl towlower");
            // SAFETY: musl's towlower(wint_t) is pure (tables only).
            unsafe { transmute::<usize, unsafe extern "C" fn(u32) -> u32>(f)(v as u32) as i32 as i64 }
        } else {
            v
        }
    };
    for i in 0..n.min(a.len()).min(b.len()) {
        let (x, y) = (fold(a[i]), fold(b[i]));
        if x != y {
            return Some(Out::Int((x - y).signum()));
        }
        if strings && a[i].is_zero() {
            break;
        }
    }
    Some(Out::Int(0))
}

/// `int (*)(const T *a, const T *b, size_t n)`: memcmp, bcmp, wmemcmp.
pub fn memcmp<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (a, b) = two_blocks::<T>(case, &mut r);
    let (pa, pb) = (e.place(case, 0, &a), e.place(case, 1, &b));
    let n = case.len;
    let alt = wide_truth(cmp, &a, &b, n, false);
    e.check_alt(cmp, imp, alt, |sd, f| Out::Int(call!(f, fn(*const T, *const T, usize) -> i32, sd.at(0, pa), sd.at(1, pb), n) as i64))
}

/// Two related strings in regions 0 and 1: offsets, a length argument
/// near the longer one (when `bounded`), and the value-comparison answer
/// (wide `Cmp`s only).
fn two_strings<T: Unit>(
    case: &Case,
    e: &mut Env,
    r: &mut Rng,
    cmp: Cmp,
    bounded: bool,
) -> (usize, usize, usize, Option<Out>) {
    let s = string::<T>(case, r);
    let t = other::<T>(case, &s, r);
    let l = s.len().max(t.len());
    let n = if bounded { near(case, l, usize::MAX, true) } else { usize::MAX };
    let alt = wide_truth(cmp, &s, &t, n, true);
    (e.place(case, 0, &s), e.place(case, 1, &t), n, alt)
}

/// `int (*)(const T *a, const T *b)`: strcmp, strcasecmp, strverscmp,
/// wcscmp, wcscasecmp.
pub fn strcmp<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (a, b, _, alt) = two_strings::<T>(case, e, &mut r, cmp, false);
    e.check_alt(cmp, imp, alt, |sd, f| Out::Int(call!(f, fn(*const T, *const T) -> i32, sd.at(0, a), sd.at(1, b)) as i64))
}

/// `int (*)(const T *a, const T *b, locale_t)`: strcasecmp_l,
/// __strcasecmp_l, wcscasecmp_l (called with a null locale: musl ignores
/// it for these).
pub fn strcmp_l<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (a, b, _, alt) = two_strings::<T>(case, e, &mut r, cmp, false);
    let loc = core::ptr::null_mut::<u8>();
    e.check_alt(cmp, imp, alt, |sd, f| Out::Int(call!(f, fn(*const T, *const T, *mut u8) -> i32, sd.at(0, a), sd.at(1, b), loc) as i64))
}

/// `int (*)(const T *a, const T *b, size_t n)`: strncmp, strncasecmp,
/// wcsncmp, wcsncasecmp.
pub fn strncmp<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (a, b, n, alt) = two_strings::<T>(case, e, &mut r, cmp, true);
    e.check_alt(cmp, imp, alt, |sd, f| Out::Int(call!(f, fn(*const T, *const T, usize) -> i32, sd.at(0, a), sd.at(1, b), n) as i64))
}

/// `int (*)(const T *a, const T *b, size_t n, locale_t)`: strncasecmp_l,
/// __strncasecmp_l, wcsncasecmp_l.
pub fn strncmp_l<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (a, b, n, alt) = two_strings::<T>(case, e, &mut r, cmp, true);
    let loc = core::ptr::null_mut::<u8>();
    e.check_alt(cmp, imp, alt, |sd, f| {
        Out::Int(call!(f, fn(*const T, *const T, usize, *mut u8) -> i32, sd.at(0, a), sd.at(1, b), n, loc) as i64)
    })
}

/// `size_t (*)(const T *s)`: strlen, wcslen.
pub fn strlen<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let s = string::<T>(case, &mut r);
    let a = e.place(case, 0, &s);
    e.check(cmp, imp, |sd, f| Out::Size(call!(f, fn(*const T) -> usize, sd.at(0, a))))
}

/// `size_t (*)(const T *s, size_t n)`: strnlen, wcsnlen. `n` may exceed
/// the object when a NUL comes first (also SIZE_MAX).
pub fn strnlen<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let s = string::<T>(case, &mut r);
    let a = e.place(case, 0, &s);
    let n = near(case, case.len, case.len, false);
    let n = if (case.x >> 16) % 6 == 4 { usize::MAX } else if (case.x >> 16) % 6 == 2 { case.len + 1 } else { n };
    e.check(cmp, imp, |sd, f| Out::Size(call!(f, fn(*const T, usize) -> usize, sd.at(0, a), n)))
}

/// `T *(*)(const T *s, int c, size_t n)`: memchr, memrchr, wmemchr.
pub fn memchr<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let s = units::<T>(case.alpha, case.len, &mut r);
    let a = e.place(case, 0, &s);
    let c = pick_char(case, &s, &mut r);
    let n = case.len;
    e.check(cmp, imp, |sd, f| sd.ptr(call!(f, fn(*const T, i32, usize) -> *const T, sd.at(0, a), c, n)))
}

/// `T *(*)(const T *s, int c)`: strchr, strchrnul, strrchr, index,
/// rindex, wcschr, wcsrchr.
pub fn strchr<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let s = string::<T>(case, &mut r);
    let a = e.place(case, 0, &s);
    let c = pick_char(case, &s, &mut r);
    e.check(cmp, imp, |sd, f| sd.ptr(call!(f, fn(*const T, i32) -> *const T, sd.at(0, a), c)))
}

fn hay_needle<T: Unit>(case: &Case, e: &mut Env, r: &mut Rng) -> (usize, usize) {
    let h = string::<T>(case, r);
    let n = needle::<T>(case, &h, r);
    (e.place(case, 0, &h), e.place(case, 1, &n))
}

/// `T *(*)(const T *hay, const T *needle)`: strstr, strcasestr, strpbrk,
/// wcsstr, wcswcs, wcspbrk.
pub fn strstr<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (h, n) = hay_needle::<T>(case, e, &mut r);
    e.check(cmp, imp, |sd, f| sd.ptr(call!(f, fn(*const T, *const T) -> *const T, sd.at(0, h), sd.at(1, n))))
}

/// `size_t (*)(const T *s, const T *set)`: strspn, strcspn, wcsspn,
/// wcscspn.
pub fn strspn<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (h, n) = hay_needle::<T>(case, e, &mut r);
    e.check(cmp, imp, |sd, f| Out::Size(call!(f, fn(*const T, *const T) -> usize, sd.at(0, h), sd.at(1, n))))
}

/// `void *(*)(const void *h, size_t hl, const void *n, size_t nl)`: memmem.
pub fn memmem(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let h = units::<u8>(case.alpha, case.len, &mut r);
    let mut n = needle::<u8>(case, &[h.clone(), vec![1, 0]].concat(), &mut r);
    n.pop();
    if (case.y >> 3).is_multiple_of(5) && !h.is_empty() {
        // a needle spanning embedded NULs: a raw slice of the haystack
        let pos = (case.x as usize) % h.len();
        n = h[pos..(pos + (case.y >> 9) as usize % 40).min(h.len())].to_vec();
    }
    let (ph, pn) = (e.place(case, 0, &h), e.place(case, 1, &n));
    let (hl, nl) = (h.len(), n.len());
    e.check(cmp, imp, |sd, f| {
        sd.ptr(call!(f, fn(*const u8, usize, *const u8, usize) -> *const u8, sd.at(0, ph), hl, sd.at(1, pn), nl))
    })
}

/// A source string in region 0 with no NUL inside (a copy runs to its
/// terminator), and a destination offset in region 1 with `room` units.
fn copy_layout<T: Unit>(case: &Case, e: &mut Env, r: &mut Rng, prefix: usize) -> (usize, usize, Vec<T>) {
    let src = clean_string::<T>(case.alpha, case.len, r);
    let s = e.place(case, 0, &src);
    let total = prefix + case.len + 1;
    let d = e.offset::<T>(total, case.b, case.end == 2);
    let p = clean_string::<T>(case.alpha ^ 2, prefix, r);
    e.put(1, d, &p);
    (s, d, src)
}

/// `T *(*)(T *d, const T *s)`: strcpy, stpcpy, wcscpy, wcpcpy.
pub fn strcpy<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (s, d, _) = copy_layout::<T>(case, e, &mut r, 0);
    e.check(cmp, imp, |sd, f| sd.ptr(call!(f, fn(*mut T, *const T) -> *mut T, sd.at(1, d), sd.at(0, s))))
}

/// `T *(*)(T *d, const T *s)` appending: strcat, wcscat.
pub fn strcat<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (s, d, _) = copy_layout::<T>(case, e, &mut r, (case.x % 300) as usize);
    e.check(cmp, imp, |sd, f| sd.ptr(call!(f, fn(*mut T, *const T) -> *mut T, sd.at(1, d), sd.at(0, s))))
}

/// `T *(*)(T *d, const T *s, size_t n)`: strncpy, stpncpy, wcsncpy,
/// wcpncpy (the destination has room for `n`; the source may be shorter
/// or longer).
pub fn strncpy<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let src = string::<T>(case, &mut r);
    let s = e.place(case, 0, &src);
    let n = near(case, case.len, MAX_LEN + 300, false);
    let d = e.offset::<T>(n, case.b, case.end == 2);
    e.check(cmp, imp, |sd, f| sd.ptr(call!(f, fn(*mut T, *const T, usize) -> *mut T, sd.at(1, d), sd.at(0, s), n)))
}

/// `T *(*)(T *d, const T *s, size_t n)` appending: strncat, wcsncat.
pub fn strncat<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let prefix = (case.x % 300) as usize;
    let src = string::<T>(case, &mut r);
    let s = e.place(case, 0, &src);
    let n = near(case, case.len, usize::MAX, true);
    let d = e.offset::<T>(prefix + case.len + 1, case.b, case.end == 2);
    e.put(1, d, &clean_string::<T>(case.alpha ^ 2, prefix, &mut r));
    e.check(cmp, imp, |sd, f| sd.ptr(call!(f, fn(*mut T, *const T, usize) -> *mut T, sd.at(1, d), sd.at(0, s), n)))
}

/// `size_t (*)(char *d, const char *s, size_t n)`: strlcpy, strlcat (for
/// strlcat the destination may hold no NUL within `n`).
pub fn strlcpy(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let prefix = if case.y.is_multiple_of(3) { 0 } else { (case.x % 300) as usize };
    let src = string::<u8>(case, &mut r);
    let s = e.place(case, 0, &src);
    let total = prefix + case.len + 1;
    let n = near(case, total, total, false);
    let n = if (case.x >> 16) % 6 == 1 { prefix.saturating_sub(((case.x >> 20) % 3) as usize) } else { n };
    let d = e.offset::<u8>(total.max(n), case.b, case.end == 2);
    e.put(1, d, &clean_string::<u8>(case.alpha ^ 2, prefix, &mut r));
    e.check(cmp, imp, |sd, f| Out::Size(call!(f, fn(*mut u8, *const u8, usize) -> usize, sd.at(1, d), sd.at(0, s), n)))
}

/// `void (*)(const void *s, void *d, ssize_t n)`: swab (odd and negative
/// `n` included).
pub fn swab(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let src = units::<u8>(case.alpha, case.len, &mut r);
    let s = e.place(case, 0, &src);
    let d = e.offset::<u8>(case.len, case.b, case.end == 2);
    let n: isize = match case.y % 5 {
        0 => -((case.x % 5) as isize),
        1 => case.len as isize & !1,
        _ => case.len as isize,
    };
    e.check(cmp, imp, |sd, f| {
        call!(f, fn(*const u8, *mut u8, isize) -> (), sd.at(0, s), sd.at(1, d), n);
        Out::Void
    })
}

/// A string to split (region 0) and a delimiter set (region 1).
fn tok_layout<T: Unit>(case: &Case, e: &mut Env, r: &mut Rng) -> (usize, usize) {
    let s = string::<T>(case, r);
    let nd = (case.x % 5) as usize;
    let mut delim: Vec<T> = (0..nd).map(|_| T::pick(case.alpha, r)).filter(|u| !u.is_zero()).collect();
    delim.push(T::zero());
    (e.place(case, 0, &s), e.place(case, 1, &delim))
}

/// `char *(*)(char *s, const char *delim)`, stateful: strtok. Splits the
/// whole string (first call with it, then with NULL until NULL).
pub fn strtok(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (s, d) = tok_layout::<u8>(case, e, &mut r);
    e.check(cmp, imp, |sd, f| {
        let mut seq = Vec::new();
        let mut arg = sd.at::<u8>(0, s);
        for _ in 0..=MAX_LEN {
            let t = call!(f, fn(*mut u8, *const u8) -> *mut u8, arg, sd.at(1, d));
            seq.push(sd.ptr(t));
            if t.is_null() {
                break;
            }
            arg = core::ptr::null_mut();
        }
        Out::Seq(seq)
    })
}

/// `T *(*)(T *s, const T *delim, T **save)`: strtok_r, wcstok.
pub fn strtok_r<T: Unit>(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (s, d) = tok_layout::<T>(case, e, &mut r);
    e.check(cmp, imp, |sd, f| {
        let mut seq = Vec::new();
        let mut save: *mut T = core::ptr::null_mut();
        let mut arg = sd.at::<T>(0, s);
        for _ in 0..=MAX_LEN {
            let t = call!(f, fn(*mut T, *const T, *mut *mut T) -> *mut T, arg, sd.at(1, d), &mut save);
            seq.push(sd.ptr(t));
            if t.is_null() {
                break;
            }
            seq.push(sd.ptr(save));
            arg = core::ptr::null_mut();
        }
        Out::Seq(seq)
    })
}

/// `char *(*)(char **sp, const char *delim)`: strsep, until `*sp` is NULL.
pub fn strsep(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let mut r = Rng::for_case(case);
    let (s, d) = tok_layout::<u8>(case, e, &mut r);
    e.check(cmp, imp, |sd, f| {
        let mut seq = Vec::new();
        let mut p = sd.at::<u8>(0, s);
        for _ in 0..=MAX_LEN + 1 {
            let t = call!(f, fn(*mut *mut u8, *const u8) -> *mut u8, &mut p, sd.at(1, d));
            seq.push(sd.ptr(t));
            seq.push(sd.ptr(p));
            if p.is_null() {
                break;
            }
        }
        Out::Seq(seq)
    })
}

/// Code points for the `wint_t` classes: 64 consecutive values from a
/// point chosen by the case (all of Unicode, the ASCII and Latin-1 ranges
/// more often), plus values outside Unicode.
fn code_points(case: &Case) -> Vec<u32> {
    let start = match case.y % 4 {
        0 => (case.x % 0x100) as u32,
        1 => (case.x % 0x3000) as u32,
        _ => (case.x % 0x11_0000) as u32,
    };
    let mut v: Vec<u32> = (start..start + 64).collect();
    v.extend([0x11_0000, 0xffff_ffff, 0x8000_0000, 0x7fff_ffff, (case.seed >> 32) as u32]);
    v
}

/// `wint_t (*)(wint_t)`: towlower, towupper.
pub fn wctrans(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let cps = code_points(case);
    e.check(cmp, imp, |_, f| Out::Seq(cps.iter().map(|&c| Out::Int(call!(f, fn(u32) -> u32, c) as i64)).collect()))
}

/// `wint_t (*)(wint_t, locale_t)`: towlower_l, towupper_l (null locale:
/// musl ignores it).
pub fn wctrans_l(case: &Case, e: &mut Env, cmp: Cmp, imp: Impl) -> Result<(), String> {
    let cps = code_points(case);
    let loc = core::ptr::null_mut::<u8>();
    e.check(cmp, imp, |_, f| {
        Out::Seq(cps.iter().map(|&c| Out::Int(call!(f, fn(u32, *mut u8) -> u32, c, loc) as i64)).collect())
    })
}
