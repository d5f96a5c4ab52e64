//! Replays the committed fuzz corpora (conformance/fuzz/corpus/<target>/)
//! through the differential fuzz entry point on stable Rust, so every input
//! the fuzzer found interesting stays a regression test without cargo-fuzz
//! or nightly. A difference from musl panics with the case.

use std::path::PathBuf;

use vicuna_conformance::fuzz::{Target, available, one};

#[test]
fn replay_corpora() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut total = 0;
    for t in Target::ALL {
        let dir = root.join(t.name());
        let Ok(rd) = std::fs::read_dir(&dir) else {
            println!("fuzz corpus {}: none at {}", t.name(), dir.display());
            continue;
        };
        if !available(t) {
            println!("fuzz corpus {}: nothing to test (libc.so missing or no such exports)", t.name());
            continue;
        }
        let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in &files {
            one(t, &std::fs::read(f).unwrap());
        }
        println!("fuzz corpus {}: {} inputs agree with musl", t.name(), files.len());
        total += files.len();
    }
    println!("fuzz corpora: {total} inputs replayed");
}
