//! Differential fuzzing against musl 1.2.3: see conformance/src/fuzz.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vicuna_conformance::fuzz::{one, Target};

fuzz_target!(|data: &[u8]| one(Target::Variants, data));
