//! vicuna: a C standard library for Linux with the musl 1.2.x ABI.
//!
//! This crate holds the exported C entry points and the machinery around
//! them (system calls, errno, dispatch, diagnostics, the panic handler).
//! The per-ISA routines themselves live in the `vicuna-kernels` crate.
//! `scripts/build` turns the staticlib into `libc.a`, `libc.so` and the
//! LD_PRELOAD overlay; ARCHITECTURE.md describes how.
//!
//! Like the kernels crate this one is `#![no_builtins]`, so that no loop in
//! it becomes a call to a routine that is still being resolved.
#![cfg_attr(not(test), no_std)]
#![no_builtins]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod ctype;
pub mod diag;
pub mod dispatch;
pub mod errno;
pub mod malloc;
#[cfg(not(test))]
mod panic;
pub mod platform;
#[cfg(any(test, feature = "runtime"))]
pub mod rt;
pub mod string;
pub mod sys;
