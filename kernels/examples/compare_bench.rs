//! Times every x86_64 variant of the compare/copy family, the two AVX-512
//! forms (64-byte `avx512`, 32-byte EVEX `evex256`) side by side, plus the
//! host glibc's routine for reference. Variants are interleaved in short
//! blocks within one process; each figure is the best of several rounds.
//!
//!     cargo run --release -p vicuna-kernels --example compare_bench

use std::ffi::{c_char, c_int, c_void};
use std::hint::black_box;
use std::time::Instant;

use vicuna_kernels::Level;
use vicuna_kernels::string::compare::all;

fn level() -> Level {
    vicuna_kernels::cpu::detect().level()
}

/// ns per call of `f`, best of `rounds` blocks of `iters` calls.
fn time(iters: u32, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..7 {
        let t = Instant::now();
        for _ in 0..iters {
            f();
        }
        best = best.min(t.elapsed().as_nanos() as f64 / iters as f64);
    }
    best
}

fn main() {
    let top = level();
    let sizes = [7usize, 16, 31, 64, 100, 256, 1000, 4000, 16000];
    // Buffers with different page offsets, as in FACTS.md's hygiene note.
    let mut a = vec![0u8; 70_000];
    let mut b = vec![0u8; 70_000];
    let mut d = vec![0u8; 70_000];
    let (oa, ob, od) = (3usize, 4096 + 37, 2 * 4096 + 1000);
    println!("{:<12} {:>6} {}", "routine", "len", "ns/call per variant");
    type Cmp = unsafe extern "C" fn(*const c_char, *const c_char) -> c_int;
    type Ncmp = unsafe extern "C" fn(*const c_char, *const c_char, usize) -> c_int;
    type Cpy = unsafe extern "C" fn(*mut c_char, *const c_char) -> *mut c_char;
    type Ncpy = unsafe extern "C" fn(*mut c_char, *const c_char, usize) -> *mut c_char;
    type Ccpy = unsafe extern "C" fn(*mut c_void, *const c_void, c_int, usize) -> *mut c_void;
    unsafe extern "C" {
        fn strcmp(a: *const c_char, b: *const c_char) -> c_int;
        fn strncmp(a: *const c_char, b: *const c_char, n: usize) -> c_int;
        fn strcasecmp(a: *const c_char, b: *const c_char) -> c_int;
        fn strcpy(d: *mut c_char, s: *const c_char) -> *mut c_char;
        fn strncpy(d: *mut c_char, s: *const c_char, n: usize) -> *mut c_char;
        fn memccpy(d: *mut c_void, s: *const c_void, c: c_int, n: usize) -> *mut c_void;
    }
    for &len in &sizes {
        for i in 0..len {
            a[oa + i] = b"abcdefghijklmnopqrstuvwxyz"[i % 26];
        }
        a[oa + len] = 0;
        b[ob..ob + len + 1].copy_from_slice(&a[oa..oa + len + 1]);
        let iters = (2_000_000 / (len as u32 + 20)).max(200);
        let (pa, pb) = (a[oa..].as_ptr() as *const c_char, b[ob..].as_ptr() as *const c_char);
        let pd = d[od..].as_mut_ptr() as *mut c_char;
        let line = |name: &str, cells: Vec<(String, f64)>| {
            let s: Vec<String> = cells.iter().map(|(n, t)| format!("{n}={t:.1}")).collect();
            println!("{name:<12} {len:>6} {}", s.join(" "));
        };
        let runnable = |lv: Level| lv.runs_under(top);
        macro_rules! bench {
            ($name:literal, $table:expr, $host:expr, |$f:ident| $call:expr) => {{
                let mut cells = Vec::new();
                for v in $table.iter().filter(|v| runnable(v.level) && v.level >= Level::Avx2) {
                    let $f = v.func;
                    // SAFETY: valid strings and buffers.
                    cells.push((
                        v.name.to_string(),
                        time(iters, || unsafe {
                            black_box($call);
                        }),
                    ));
                }
                let $f = $host;
                // SAFETY: as above.
                cells.push((
                    "glibc".to_string(),
                    time(iters, || unsafe {
                        black_box($call);
                    }),
                ));
                line($name, cells);
            }};
        }
        bench!("strcmp", all::STRCMP, strcmp as Cmp, |f| f(black_box(pa), black_box(pb)));
        bench!("strncmp", all::STRNCMP, strncmp as Ncmp, |f| f(black_box(pa), black_box(pb), len + 1));
        bench!("strcasecmp", all::STRCASECMP, strcasecmp as Cmp, |f| f(black_box(pa), black_box(pb)));
        bench!("strcpy", all::STRCPY, strcpy as Cpy, |f| f(black_box(pd), black_box(pa)));
        bench!("strncpy", all::STRNCPY, strncpy as Ncpy, |f| f(black_box(pd), black_box(pa), len + 8));
        bench!("memccpy", all::MEMCCPY, memccpy as Ccpy, |f| f(black_box(pd.cast()), black_box(pa.cast()), 0, len + 1));
    }
}
