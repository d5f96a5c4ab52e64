//! vicuna's machine-dependent core: CPU detection and every variant of the
//! routines that the library dispatches at run time.
//!
//! The crate is `#![no_builtins]`: LLVM must never turn one of the copy,
//! fill or compare loops below into a call to `memcpy`, `memset` or
//! `memcmp`, because those calls would land back in these very routines.
//! It is `no_std` except in its own tests.
#![cfg_attr(not(test), no_std)]
#![no_builtins]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod cpu;
pub mod level;
pub mod string;
pub mod tuning;
pub mod variant;

pub use level::Level;
pub use variant::Variant;
