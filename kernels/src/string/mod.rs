//! String and memory routines: one portable variant plus one per ISA level,
//! collected in tables that dispatch and the tests both walk.

use core::ffi::{c_char, c_int, c_void};

use crate::{Level, Variant};

pub mod compare;
pub mod generic;
mod scalar;
pub mod search;
pub mod wide;
#[cfg(target_arch = "x86_64")]
pub mod x86_64;

#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod search_tests;
#[cfg(test)]
mod wide_tests;

pub type MemcpyFn = unsafe extern "C" fn(*mut c_void, *const c_void, usize) -> *mut c_void;
pub type MemsetFn = unsafe extern "C" fn(*mut c_void, c_int, usize) -> *mut c_void;
pub type MemcmpFn = unsafe extern "C" fn(*const c_void, *const c_void, usize) -> c_int;
pub type StrlenFn = unsafe extern "C" fn(*const c_char) -> usize;

/// Builds a variant table: the generic variant first, then one entry per
/// x86_64 ISA module that defines the routine.
macro_rules! table {
    ($ty:ty, $name:ident) => {{
        #[cfg(target_arch = "x86_64")]
        const T: &[Variant<$ty>] = &[
            Variant { name: "generic", level: Level::Generic, func: generic::$name },
            Variant { name: "sse2", level: Level::Sse2, func: x86_64::sse2::$name },
            Variant { name: "avx2", level: Level::Avx2, func: x86_64::avx2::$name },
            Variant { name: "avx512", level: Level::Avx512, func: x86_64::avx512::$name },
        ];
        #[cfg(not(target_arch = "x86_64"))]
        const T: &[Variant<$ty>] =
            &[Variant { name: "generic", level: Level::Generic, func: generic::$name }];
        T
    }};
    // Without the 64-byte form: the AVX2 variant also serves AVX-512 CPUs.
    ($ty:ty, $name:ident, avx2_top) => {{
        #[cfg(target_arch = "x86_64")]
        const T: &[Variant<$ty>] = &[
            Variant { name: "generic", level: Level::Generic, func: generic::$name },
            Variant { name: "sse2", level: Level::Sse2, func: x86_64::sse2::$name },
            Variant { name: "avx2", level: Level::Avx2, func: x86_64::avx2::$name },
        ];
        #[cfg(not(target_arch = "x86_64"))]
        const T: &[Variant<$ty>] =
            &[Variant { name: "generic", level: Level::Generic, func: generic::$name }];
        T
    }};
}

pub const MEMCPY: &[Variant<MemcpyFn>] = table!(MemcpyFn, memcpy);
// memmove: the AVX2 form is faster on this project's AVX-512 EPYC at 132 B
// (5.7 vs 7.7 ns: the four overlapping ZMM accesses of the 129..=256-byte
// case) and ties or wins above (scripts/bench-strings; ARCHITECTURE.md).
pub const MEMMOVE: &[Variant<MemcpyFn>] = table!(MemcpyFn, memmove, avx2_top);
pub const MEMSET: &[Variant<MemsetFn>] = table!(MemsetFn, memset);
pub const MEMCMP: &[Variant<MemcmpFn>] = table!(MemcmpFn, memcmp);
pub const BCMP: &[Variant<MemcmpFn>] = table!(MemcmpFn, bcmp);
pub const STRLEN: &[Variant<StrlenFn>] = table!(StrlenFn, strlen);
