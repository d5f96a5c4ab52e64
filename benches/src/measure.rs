//! The call loop and the timing discipline: every implementation is called
//! through the same loop (one indirect call site per shape), the
//! implementations of one case are interleaved in short blocks, the block
//! order rotates every round, and the reported figure is the median of the
//! per-round ns/call.

use core::ffi::c_int;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::spec::{Case, Expect, Shape};

type FDstSrcN = unsafe extern "C" fn(*mut u8, *const u8, usize) -> *mut u8;
type FDstCN = unsafe extern "C" fn(*mut u8, c_int, usize) -> *mut u8;
type FDstN = unsafe extern "C" fn(*mut u8, usize);
type FCmpN = unsafe extern "C" fn(*const u8, *const u8, usize) -> c_int;
type FChrN = unsafe extern "C" fn(*const u8, c_int, usize) -> *mut u8;
type FLen = unsafe extern "C" fn(*const u8) -> usize;
type FLenN = unsafe extern "C" fn(*const u8, usize) -> usize;
type FChr = unsafe extern "C" fn(*const u8, c_int) -> *mut u8;
type FCmp = unsafe extern "C" fn(*const u8, *const u8) -> c_int;
type FDstSrc = unsafe extern "C" fn(*mut u8, *const u8) -> *mut u8;
type FSpan = unsafe extern "C" fn(*const u8, *const u8) -> usize;
type FFind = unsafe extern "C" fn(*const u8, *const u8) -> *mut u8;
type FMemmem = unsafe extern "C" fn(*const u8, usize, *const u8, usize) -> *mut u8;
type FMemccpy = unsafe extern "C" fn(*mut u8, *const u8, c_int, usize) -> *mut u8;

/// Calls the function at `addr` `iters` times on `k`; returns the sum of
/// the results (the last result when `iters` is 1), which keeps the calls
/// alive.
///
/// # Safety
/// `addr` must be a function with the C signature `shape` describes, and
/// `k` a case built for it (buffers alive and large enough).
#[inline(never)]
pub unsafe fn run(shape: Shape, addr: usize, k: &Case, iters: u64) -> u64 {
    let mut acc = 0u64;
    let (a, b, c, n) = (k.a, k.b, k.c, k.n);
    macro_rules! each {
        ($ty:ty, |$f:ident| $call:expr) => {{
            // SAFETY: the caller guarantees `addr` has this signature.
            let $f: $ty = unsafe { core::mem::transmute::<usize, $ty>(black_box(addr)) };
            for _ in 0..iters {
                // SAFETY: the case's pointers and sizes fit the call.
                acc = acc.wrapping_add(unsafe { $call });
            }
        }};
    }
    match shape {
        Shape::DstSrcN => each!(FDstSrcN, |f| f(a, b, n) as u64),
        Shape::DstSrcNReset => each!(FDstSrcN, |f| {
            k.reset.write_volatile(0);
            f(a, b, n) as u64
        }),
        Shape::DstCN => each!(FDstCN, |f| f(a, c, n) as u64),
        Shape::DstN => each!(FDstN, |f| {
            f(a, n);
            1
        }),
        Shape::CmpN => each!(FCmpN, |f| f(a, b, n) as i64 as u64),
        Shape::ChrN => each!(FChrN, |f| f(a, c, n) as u64),
        Shape::Len => each!(FLen, |f| f(a) as u64),
        Shape::LenN => each!(FLenN, |f| f(a, n) as u64),
        Shape::Chr => each!(FChr, |f| f(a, c) as u64),
        Shape::Cmp => each!(FCmp, |f| f(a, b) as i64 as u64),
        Shape::DstSrc => each!(FDstSrc, |f| f(a, b) as u64),
        Shape::DstSrcReset => each!(FDstSrc, |f| {
            k.reset.write_volatile(0);
            f(a, b) as u64
        }),
        Shape::Span => each!(FSpan, |f| f(a, b) as u64),
        Shape::Find => each!(FFind, |f| f(a, b) as u64),
        // `n` is the needle length; the haystack length is in `k.hay`.
        Shape::Memmem => each!(FMemmem, |f| f(a, k.hay, b, n) as u64),
        Shape::Memccpy => each!(FMemccpy, |f| f(a, b, c, n) as u64),
    }
    acc
}

/// One implementation's outcome for one case.
#[derive(Clone, Debug)]
pub enum Cell {
    /// Median ns per call.
    Ns(f64),
    /// The implementation does not have this function (yet).
    NotAvailable,
    /// A variant whose instructions this CPU lacks.
    NotRunnable,
    /// It returned something else than expected, or than glibc.
    Wrong(String),
}

/// What one checked call produced: the normalized return value and the
/// bytes it wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Outcome {
    ret: i64,
    out: Vec<u8>,
}

fn outcome(shape: Shape, addr: usize, k: &mut Case) -> Outcome {
    k.restore();
    // SAFETY: addr/shape/case agree (the harness builds them together).
    let r = unsafe { run(shape, addr, k, 1) };
    let ret = if shape.returns_sign() {
        (r as i64 as i32).signum() as i64
    } else {
        r as i64
    };
    let out = k.output();
    Outcome { ret, out }
}

fn meets(expect: Expect, ret: i64) -> bool {
    match expect {
        Expect::Ptr(p) => ret as usize == p,
        Expect::Null => ret == 0,
        Expect::Equal => ret == 0,
        Expect::Size(s) => ret as usize == s,
        Expect::Nothing => true,
    }
}

/// Whether blocks are timed with the wall clock instead of the thread's
/// CPU-time clock (see [`Clock`]).
pub static WALL_CLOCK: AtomicBool = AtomicBool::new(false);

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

unsafe extern "C" {
    fn clock_gettime(clock: c_int, ts: *mut Timespec) -> c_int;
}
const CLOCK_THREAD_CPUTIME_ID: c_int = 3;

/// Times one block. By default it reads `CLOCK_THREAD_CPUTIME_ID`: on a
/// shared machine a block during which the thread was preempted would
/// otherwise count the other processes' time. `--wall` switches to the
/// monotonic wall clock.
pub struct Clock(Instant, i64);

impl Clock {
    fn thread_ns() -> i64 {
        let mut ts = Timespec { sec: 0, nsec: 0 };
        // SAFETY: `ts` is a valid out-pointer; the clock id is supported.
        let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
        ts.sec * 1_000_000_000 + ts.nsec
    }

    pub fn start() -> Clock {
        if WALL_CLOCK.load(Ordering::Relaxed) {
            Clock(Instant::now(), 0)
        } else {
            let t = Self::thread_ns();
            Clock(Instant::now(), t)
        }
    }

    pub fn elapsed_ns(&self) -> f64 {
        if WALL_CLOCK.load(Ordering::Relaxed) {
            self.0.elapsed().as_nanos() as f64
        } else {
            (Self::thread_ns() - self.1) as f64
        }
    }
}

pub struct Timing {
    pub rounds: usize,
    /// Target length of one block of calls.
    pub block_ns: f64,
}

/// Measures every implementation (`Some(addr)`) of one case; `reference`
/// is the index of glibc, whose output the others must reproduce.
pub fn measure(
    shape: Shape,
    k: &mut Case,
    impls: &[Option<usize>],
    reference: Option<usize>,
    t: &Timing,
) -> Vec<Option<Result<f64, String>>> {
    let mut res: Vec<Option<Result<f64, String>>> = vec![None; impls.len()];
    // 1. Check every implementation's result.
    let want = reference
        .and_then(|r| impls[r])
        .map(|addr| outcome(shape, addr, k));
    let mut live = Vec::new();
    for (i, imp) in impls.iter().enumerate() {
        let Some(addr) = *imp else { continue };
        let got = outcome(shape, addr, k);
        if !meets(k.expect, got.ret) {
            res[i] = Some(Err(format!(
                "returned {:#x}, expected {:?}",
                got.ret, k.expect
            )));
        } else if want.as_ref().is_some_and(|w| w.out != got.out) {
            res[i] = Some(Err("wrote different bytes than glibc".into()));
        } else {
            live.push(i);
        }
    }
    k.restore();
    // 2. Calibrate: calls per block, from a doubling warm-up.
    let mut iters = vec![1u64; impls.len()];
    for &i in &live {
        let addr = impls[i].unwrap();
        let mut n = 1u64;
        loop {
            let t0 = Clock::start();
            // SAFETY: as in `outcome`.
            black_box(unsafe { run(shape, addr, k, n) });
            let dt = t0.elapsed_ns();
            if dt >= t.block_ns / 4.0 || n >= 1 << 24 {
                let per = dt / n as f64;
                iters[i] = ((t.block_ns / per.max(0.01)) as u64).clamp(1, 1 << 26);
                break;
            }
            n *= 2;
        }
    }
    // 3. Rounds of interleaved blocks, rotating the order.
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(t.rounds); impls.len()];
    for r in 0..t.rounds {
        for j in 0..live.len() {
            let i = live[(j + r) % live.len()];
            let addr = impls[i].unwrap();
            let t0 = Clock::start();
            // SAFETY: as in `outcome`.
            black_box(unsafe { run(shape, addr, k, iters[i]) });
            samples[i].push(t0.elapsed_ns() / iters[i] as f64);
        }
    }
    for &i in &live {
        res[i] = Some(Ok(median(&mut samples[i])));
    }
    res
}

pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::spec::{Placement, find, make_case};

    unsafe extern "C" fn good_copy(d: *mut u8, s: *const u8, n: usize) -> *mut u8 {
        // SAFETY: the harness passes valid, non-overlapping buffers.
        unsafe { core::ptr::copy_nonoverlapping(s, d, n) };
        d
    }
    unsafe extern "C" fn lazy_copy(d: *mut u8, s: *const u8, n: usize) -> *mut u8 {
        // SAFETY: as above; it copies one byte too few.
        unsafe { core::ptr::copy_nonoverlapping(s, d, n - 1) };
        d
    }
    unsafe extern "C" fn bad_strlen(_: *const u8) -> usize {
        0
    }

    #[test]
    fn wrong_results_are_reported_not_timed() {
        let t = Timing {
            rounds: 3,
            block_ns: 2000.0,
        };
        let spec = find("memcpy").unwrap();
        let mut k = make_case(spec, 132, Placement::Misaligned);
        let impls = [
            Some(good_copy as *const () as usize),
            Some(lazy_copy as *const () as usize),
        ];
        let r = measure(spec.shape, &mut k, &impls, Some(0), &t);
        assert!(matches!(r[0], Some(Ok(ns)) if ns > 0.0), "{r:?}");
        assert!(
            matches!(&r[1], Some(Err(e)) if e.contains("different bytes")),
            "{r:?}"
        );

        let spec = find("strlen").unwrap();
        let mut k = make_case(spec, 132, Placement::Aligned);
        let r = measure(
            spec.shape,
            &mut k,
            &[None, Some(bad_strlen as *const () as usize)],
            Some(0),
            &t,
        );
        assert!(r[0].is_none());
        assert!(
            matches!(&r[1], Some(Err(e)) if e.contains("expected Size(132)")),
            "{r:?}"
        );
    }

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }
}
