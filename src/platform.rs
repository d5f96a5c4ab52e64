//! What the process was started with: environment variables and the
//! auxiliary vector.
//!
//! Until vicuna owns start-up (the standalone runtime), both come from the C
//! library it runs beside: `environ` and `getauxval` are exported by glibc
//! and by musl alike, so the overlay and a `libc.a` linked ahead of musl's
//! resolve them there. These two names are the documented undefined
//! symbols of the current build products (ARCHITECTURE.md). In the
//! standalone build (feature `runtime`) the same declarations resolve to
//! vicuna's own definitions (`src/rt/data.c`, `rt::auxv::getauxval`).

use core::ffi::{c_char, c_ulong};

unsafe extern "C" {
    static environ: *const *const c_char;
    fn getauxval(ty: c_ulong) -> c_ulong;
}

/// `AT_HWCAP`.
pub const AT_HWCAP: usize = 16;
/// `AT_SECURE`: nonzero in setuid/setgid and other privileged processes.
pub const AT_SECURE: usize = 23;
/// `AT_HWCAP2`.
pub const AT_HWCAP2: usize = 26;

/// The value of an auxiliary-vector entry, or 0 when absent.
pub fn auxval(ty: usize) -> usize {
    // SAFETY: `getauxval` takes any type and only reads the vector.
    unsafe { getauxval(ty as c_ulong) as usize }
}

/// Whether the process runs with elevated privileges; such processes must
/// not let environment variables steer the library.
pub fn is_secure() -> bool {
    auxval(AT_SECURE) != 0
}

/// Length of a NUL-terminated string, as a plain loop: this runs while the
/// dispatched `strlen` may still be unresolved.
///
/// # Safety
/// `s` points to a NUL-terminated string.
unsafe fn c_str_len(s: *const c_char) -> usize {
    let mut n = 0;
    // SAFETY: the caller guarantees a terminator, so every byte up to it is
    // readable.
    while unsafe { *s.add(n) } != 0 {
        n += 1;
    }
    n
}

/// Whether the environment is visible yet (the host libc sets `environ`
/// during its start-up, after the loader's first allocations).
pub fn environ_ready() -> bool {
    // SAFETY: reading the pointer value itself is always valid.
    !unsafe { environ }.is_null()
}

/// The value of environment variable `name`, if set. The slice borrows the
/// environment string, which lives as long as nobody replaces that entry.
pub fn getenv(name: &[u8]) -> Option<&'static [u8]> {
    // SAFETY: `environ` is either null (too early in start-up) or a
    // null-terminated array of NUL-terminated strings, as POSIX requires.
    unsafe {
        let mut p = environ;
        if p.is_null() {
            return None;
        }
        while !(*p).is_null() {
            let entry = core::slice::from_raw_parts(*p as *const u8, c_str_len(*p));
            if let Some(value) = entry.strip_prefix(name).and_then(|r| r.strip_prefix(b"=")) {
                return Some(value);
            }
            p = p.add(1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_environment() {
        // SAFETY: single-threaded at this point of the test.
        unsafe { std::env::set_var("VICUNA_PLATFORM_TEST", "a=b") };
        assert_eq!(getenv(b"VICUNA_PLATFORM_TEST"), Some(&b"a=b"[..]));
        assert_eq!(getenv(b"VICUNA_PLATFORM_TES"), None);
        assert_eq!(getenv(b"VICUNA_PLATFORM_TEST_NOT_SET"), None);
    }

    #[test]
    fn auxv() {
        assert!(!is_secure());
        assert_eq!(auxval(6 /* AT_PAGESZ */), 4096);
    }
}
