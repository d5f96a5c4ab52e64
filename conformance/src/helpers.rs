//! Stateful functions, tested in helper processes.
//!
//! Functions with state inside the libc (malloc, later stdio, time zones,
//! locales, `errno`-setting wrappers) cannot run musl's copy inside a glibc
//! test process: musl's code would reach its own thread structure and heap.
//! Instead a small C program in `conformance/helpers/` (built with
//! `musl-gcc`) reads a script of operations on stdin and prints one line
//! of observable results per operation. It runs twice on the same script:
//! on stock musl, and with vicuna (the `LD_PRELOAD` overlay interposes
//! under musl; families the overlay cannot carry will run the helper on
//! vicuna's own `libc.so` or static `libc.a` instead). The transcripts
//! must be identical. Scripts come from proptest strategies, so a
//! difference shrinks to a minimal script.
//!
//! To add a family: a helper program, a script strategy, and a [`Family`]
//! entry in [`families`]. Its names then count as tested.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use proptest::prelude::*;

/// A family of functions tested by one helper program.
pub struct Family {
    /// `conformance/helpers/<program>.c`.
    pub program: &'static str,
    /// The musl names it covers.
    pub names: &'static [&'static str],
    /// Scripts to feed it.
    pub script: fn() -> BoxedStrategy<String>,
}

pub fn families() -> Vec<Family> {
    vec![Family {
        program: "malloc_ops",
        names: &[
            "malloc",
            "free",
            "calloc",
            "realloc",
            "reallocarray",
            "aligned_alloc",
            "memalign",
            "posix_memalign",
            "malloc_usable_size",
            "valloc",
        ],
        script: malloc_script,
    },
    Family { program: "dup_ops", names: &["strdup", "strndup", "wcsdup"], script: dup_script }]
}

/// Byte strings without NULs (any other byte, runs of one byte, lengths
/// across the vector boundaries) for strdup/strndup, and wide strings with
/// values beyond Unicode and negative ones for wcsdup.
fn dup_op() -> impl Strategy<Value = String> {
    let bytes = proptest::collection::vec(1u8..=255, 0..300);
    let hex = |v: Vec<u8>| v.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let wide = proptest::collection::vec(prop_oneof![1u32..=0x7f, 0x80u32..=0x10ffff, 0x110000u32..=u32::MAX], 0..90);
    prop_oneof![
        2 => bytes.clone().prop_map(move |v| format!("s {}", hex(v))),
        2 => (bytes, 0u64..=320).prop_map(move |(v, n)| format!("n {} {n}", hex(v))),
        1 => wide.prop_map(|v| {
            let words: Vec<String> = v.iter().map(|w| format!("{w:08x}")).collect();
            format!("w {}", if words.is_empty() { "-".to_string() } else { words.join(".") })
        }),
    ]
}

fn dup_script() -> BoxedStrategy<String> {
    proptest::collection::vec(dup_op(), 1..60).prop_map(|v| v.join("\n") + "\n").boxed()
}

/// Request sizes: small, around size-class and page boundaries, large
/// (mmap-backed, up to 2 MiB), and impossible ones (beyond PTRDIFF_MAX)
/// that must fail with ENOMEM. Sizes that are possible but larger than the
/// machine's memory are avoided: their outcome depends on the machine.
fn alloc_size() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => 0u64..=256,
        2 => 0u64..=8192,
        1 => 0u64..=(1 << 21),
        2 => proptest::sample::select(vec![
            0u64, 1, 15, 16, 17, 31, 32, 33, 127, 128, 129, 4095, 4096, 4097, 65535, 65536, 65537,
            131071, 131072, 131073, 262144, 1 << 20, (1 << 20) + 1,
        ]),
        1 => proptest::sample::select(vec![u64::MAX, u64::MAX / 2, (u64::MAX / 2) + 1, i64::MAX as u64 - 4095, 1u64 << 62]),
    ]
}

/// Element count and size whose product overflows `size_t` (must fail
/// with ENOMEM). Products that fit but exceed the machine's memory are
/// avoided: whether those succeed depends on the machine, not the libc.
fn huge_product() -> impl Strategy<Value = (u64, u64)> {
    (1u64..=u32::MAX as u64, 0u32..=20).prop_map(|(k, shift)| {
        let n = (u64::MAX / k).saturating_add(1 + shift as u64);
        (k, n)
    })
}

fn alignment() -> impl Strategy<Value = u64> {
    prop_oneof![
        6 => (0u32..=16).prop_map(|k| 1u64 << k),
        1 => proptest::sample::select(vec![0u64, 3, 24, 48, 1 << 40, u64::MAX]),
    ]
}

fn malloc_op() -> impl Strategy<Value = String> {
    let s = 0u8..8; // few slots, so blocks get reused, freed and reallocated
    prop_oneof![
        4 => (s.clone(), alloc_size()).prop_map(|(s, n)| format!("m {s} {n}")),
        2 => (s.clone(), 0u64..=70, alloc_size()).prop_map(|(s, k, n)| format!("c {s} {k} {n}")),
        1 => (s.clone(), huge_product()).prop_map(|(s, (k, n))| format!("c {s} {k} {n}")),
        1 => (s.clone(), huge_product()).prop_map(|(s, (k, n))| format!("y {s} {k} {n}")),
        1 => (s.clone(), alloc_size()).prop_map(|(s, n)| format!("v {s} {n}")),
        3 => (s.clone(), alloc_size()).prop_map(|(s, n)| format!("r {s} {n}")),
        1 => (s.clone(), 0u64..=70, alloc_size()).prop_map(|(s, k, n)| format!("y {s} {k} {n}")),
        1 => (s.clone(), alignment(), alloc_size()).prop_map(|(s, a, n)| format!("a {s} {a} {n}")),
        1 => (s.clone(), alignment(), alloc_size()).prop_map(|(s, a, n)| format!("g {s} {a} {n}")),
        1 => (s.clone(), alignment(), alloc_size()).prop_map(|(s, a, n)| format!("p {s} {a} {n}")),
        3 => s.clone().prop_map(|s| format!("f {s}")),
        1 => s.clone().prop_map(|s| format!("u {s}")),
        1 => Just("x".to_string()),
    ]
}

fn malloc_script() -> BoxedStrategy<String> {
    proptest::collection::vec(malloc_op(), 1..120).prop_map(|v| v.join("\n") + "\n").boxed()
}

/// Builds `conformance/helpers/<program>.c` with musl-gcc into
/// `target/conformance/helpers/`.
pub fn build(program: &str) -> Result<PathBuf, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("helpers").join(format!("{program}.c"));
    let dir = root.join("../target/conformance/helpers");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let exe = dir.join(program);
    let out = Command::new("musl-gcc")
        .args(["-O2", "-fno-builtin", "-Wall", "-o"])
        .arg(&exe)
        .arg(&src)
        .output()
        .map_err(|e| format!("musl-gcc: {e}"))?;
    if !out.status.success() {
        return Err(format!("musl-gcc {}: {}", src.display(), String::from_utf8_lossy(&out.stderr)));
    }
    Ok(exe)
}

/// Checks that with `preload`, the helper's functions come from it (the
/// helper prints their providers when given the argument `which`).
pub fn check_interposed(exe: &Path, preload: &Path) -> Result<(), String> {
    let out = Command::new(exe).arg("which").env("LD_PRELOAD", preload).output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let name = preload.file_name().unwrap().to_string_lossy();
    if out.status.success() && !text.is_empty() && text.lines().all(|l| l.ends_with(name.as_ref())) {
        Ok(())
    } else {
        Err(format!("with LD_PRELOAD={}, the helper's functions come from: {}", preload.display(), text.trim()))
    }
}

/// Runs `exe` on `script`, with `preload` in `LD_PRELOAD` if given.
pub fn run(exe: &Path, script: &str, preload: Option<&Path>) -> Result<String, String> {
    let mut cmd = Command::new(exe);
    cmd.env_remove("LD_PRELOAD").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(p) = preload {
        cmd.env("LD_PRELOAD", p);
    }
    let mut child = cmd.spawn().map_err(|e| e.to_string())?;
    child.stdin.take().unwrap().write_all(script.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        text.push_str(&format!("EXIT {}\n{}", out.status, String::from_utf8_lossy(&out.stderr)));
    }
    Ok(text)
}

/// The first line where two transcripts differ, with the script line
/// above it.
pub fn first_difference(vicuna: &str, musl: &str) -> Option<String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (vicuna.lines().collect(), musl.lines().collect());
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).copied().unwrap_or("<end>"), b.get(i).copied().unwrap_or("<end>"));
        if x != y {
            let ctx = if i > 0 { a[..i].iter().rev().take(3).rev().copied().collect::<Vec<_>>().join(" | ") } else { String::new() };
            return Some(format!("line {}: vicuna {x:?}, musl {y:?} (after: {ctx})", i + 1));
        }
    }
    None
}
