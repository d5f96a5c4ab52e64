//! `getenv` and `secure_getenv` over `environ` (musl's src/env). The
//! functions that change the environment need `malloc` and come with the
//! allocator.

use core::ffi::c_char;

unsafe extern "C" {
    /// The environment: vicuna's own `__environ` in `runtime` builds
    /// (`src/rt/data.c`), the host libc's in tests.
    static environ: *const *const c_char;
}

/// The value of `name` in the null-terminated array `env`, or null. As
/// musl: a name that is empty or contains `=` is never found.
///
/// # Safety
/// `name` is a NUL-terminated string; `env` is null or a null-terminated
/// array of NUL-terminated strings.
pub unsafe fn find(env: *const *const c_char, name: *const c_char) -> *mut c_char {
    // SAFETY: `name` is NUL-terminated: every byte read up to it exists.
    let len = unsafe {
        let mut n = 0;
        while *name.add(n) != 0 && *name.add(n) != b'=' as c_char {
            n += 1;
        }
        if n == 0 || *name.add(n) != 0 {
            return core::ptr::null_mut();
        }
        n
    };
    if env.is_null() {
        return core::ptr::null_mut();
    }
    let mut e = env;
    // SAFETY: the array is null-terminated and each entry NUL-terminated;
    // the comparison stops at the first difference, and `name` has no NUL
    // in its first `len` bytes, so no entry is read past its terminator.
    unsafe {
        while !(*e).is_null() {
            let s = *e;
            let mut i = 0;
            while i < len && *s.add(i) == *name.add(i) {
                i += 1;
            }
            if i == len && *s.add(len) == b'=' as c_char {
                return s.add(len + 1) as *mut c_char;
            }
            e = e.add(1);
        }
    }
    core::ptr::null_mut()
}

/// `getenv(3)`.
///
/// # Safety
/// `name` is a NUL-terminated string.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn getenv(name: *const c_char) -> *mut c_char {
    // SAFETY: `environ` is the process's environment array (or null); the
    // caller vouches for `name`.
    unsafe { find(environ, name) }
}

/// `secure_getenv(3)`: null in privileged processes (see
/// [`super::auxv::secure`]), else `getenv`.
///
/// # Safety
/// `name` is a NUL-terminated string.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn secure_getenv(name: *const c_char) -> *mut c_char {
    if super::auxv::secure() {
        return core::ptr::null_mut();
    }
    // SAFETY: as for `getenv`.
    unsafe { getenv(name) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::{CStr, CString};

    fn lookup(env: &[&str], name: &str) -> Option<String> {
        let owned: Vec<CString> = env.iter().map(|s| CString::new(*s).unwrap()).collect();
        let mut ptrs: Vec<*const c_char> = owned.iter().map(|s| s.as_ptr()).collect();
        ptrs.push(core::ptr::null());
        let n = CString::new(name).unwrap();
        // SAFETY: both are properly terminated.
        let r = unsafe { find(ptrs.as_ptr(), n.as_ptr()) };
        // SAFETY: a non-null result points into a NUL-terminated entry.
        (!r.is_null()).then(|| unsafe { CStr::from_ptr(r) }.to_str().unwrap().to_owned())
    }

    #[test]
    fn matches_whole_names_only() {
        let env = ["A=1", "AB=2", "B==x", "C=", "D", "E=first", "E=second"];
        assert_eq!(lookup(&env, "A").as_deref(), Some("1"));
        assert_eq!(lookup(&env, "AB").as_deref(), Some("2"));
        assert_eq!(lookup(&env, "B").as_deref(), Some("=x"));
        assert_eq!(lookup(&env, "C").as_deref(), Some(""));
        assert_eq!(lookup(&env, "D"), None);
        assert_eq!(lookup(&env, "E").as_deref(), Some("first"));
        assert_eq!(lookup(&env, "ABC"), None);
        assert_eq!(lookup(&env, ""), None);
        // Names with '=' are never found, even when a prefix matches.
        assert_eq!(lookup(&env, "A=1"), None);
        assert_eq!(lookup(&env, "B="), None);
    }

    #[test]
    fn getenv_reads_the_process_environment() {
        // SAFETY: only this test touches this variable.
        unsafe { std::env::set_var("VICUNA_RT_ENV_TEST", "v=1") };
        let name = CString::new("VICUNA_RT_ENV_TEST").unwrap();
        // SAFETY: NUL-terminated name.
        let r = unsafe { getenv(name.as_ptr()) };
        assert_eq!(unsafe { CStr::from_ptr(r) }.to_bytes(), b"v=1");
        // Not privileged: secure_getenv agrees.
        assert_eq!(unsafe { secure_getenv(name.as_ptr()) }, r);
        let missing = CString::new("VICUNA_RT_ENV_TEST_UNSET").unwrap();
        assert!(unsafe { getenv(missing.as_ptr()) }.is_null());
    }
}
