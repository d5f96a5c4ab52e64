//! Differential fuzzing against musl: the same classes and registry as the
//! property tests, driven by fuzzer bytes (`conformance/fuzz/`, run with
//! `cargo +nightly fuzz run <target>`), and replayed on stable Rust from
//! the committed corpora by `tests/fuzz_corpus.rs`.
//!
//! Input: 2 bytes choose the implementation (an exported function, or a
//! kernel variant for the `variants` target), the next 16 the case
//! parameters ([`Case::from_bytes`]), the rest the buffer contents.

use std::sync::OnceLock;

use crate::classes::{Case, Env, Impl};
use crate::registry::{self, Entry};
use crate::{musl, vicuna};

/// What a fuzz target exercises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Exported byte-string and memory functions of `libc.so`.
    String,
    /// Exported `wchar_t` functions of `libc.so`.
    Wide,
    /// Every kernel variant this CPU runs, called directly.
    Variants,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::String, Target::Wide, Target::Variants];

    pub fn name(self) -> &'static str {
        match self {
            Target::String => "string",
            Target::Wide => "wide",
            Target::Variants => "variants",
        }
    }
}

struct Candidate {
    entry: Entry,
    label: String,
    f: usize,
}

fn is_wide(e: &Entry) -> bool {
    e.name.starts_with("wcs") || e.name.starts_with("wmem") || e.name.starts_with("wcp")
}

fn candidates(t: Target) -> &'static [Candidate] {
    static SETS: [OnceLock<Vec<Candidate>>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    SETS[t as usize].get_or_init(|| {
        let mut out = Vec::new();
        if t == Target::Variants {
            #[cfg(target_arch = "x86_64")]
            let hw = vicuna_kernels::cpu::detect().level();
            #[cfg(not(target_arch = "x86_64"))]
            let hw = vicuna_kernels::Level::Generic;
            for e in registry::entries() {
                if let Some(list) = e.variants {
                    for (v, level, f) in list() {
                        if level.runs_under(hw) {
                            out.push(Candidate { label: format!("{} variant {v}", e.name), f, entry: e });
                        }
                    }
                }
            }
            return out;
        }
        static LIB: OnceLock<Option<(vicuna::Library, Vec<String>)>> = OnceLock::new();
        let Some((lib, exports)) = LIB.get_or_init(|| {
            let so = vicuna::libc_so();
            Some((vicuna::Library::open(&so).ok()?, vicuna::exports(&so).ok()?))
        }) else {
            return out;
        };
        for e in registry::entries() {
            if exports.iter().any(|n| n == e.name) && is_wide(&e) == (t == Target::Wide)
                && let Some(f) = lib.sym(e.name) {
                    out.push(Candidate { label: format!("{} export", e.name), f, entry: e });
                }
        }
        out
    })
}

/// Whether `t` has anything to test (libc.so built, functions exported).
pub fn available(t: Target) -> bool {
    !candidates(t).is_empty()
}

/// Runs one fuzz input; panics (a fuzzer crash) on any difference from
/// musl. Inputs shorter than 2 bytes are ignored.
pub fn one(t: Target, data: &[u8]) {
    let set = candidates(t);
    if set.is_empty() || data.len() < 2 {
        return;
    }
    let c = &set[(u16::from_le_bytes([data[0], data[1]]) as usize) % set.len()];
    let case = Case::from_bytes(&data[2..]);
    thread_local! {
        static ENV: std::cell::RefCell<Env> = std::cell::RefCell::new(Env::new());
    }
    let m = musl::lookup(c.entry.name).expect("musl reference");
    let r = ENV.with(|env| {
        let mut env = env.borrow_mut();
        env.reset(&case);
        (c.entry.run)(&case, &mut env, c.entry.cmp, Impl { f: c.f, m })
    });
    if let Err(msg) = r {
        let mut shown = case.clone();
        shown.data.truncate(64);
        panic!("{} differs from musl: {msg}; case {shown:?} (data truncated to 64 bytes)", c.label);
    }
}
