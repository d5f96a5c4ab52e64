//! The library under test: vicuna's built `libc.so`, opened with `dlopen`
//! (its three undefined names, `environ`, `getauxval` and
//! `__errno_location`, resolve to this process's glibc), and its exports.

use std::ffi::CString;
use std::path::PathBuf;
use std::process::Command;

/// `target/release/libc.so`, or `$VICUNA_LIBC_SO`.
pub fn libc_so() -> PathBuf {
    if let Some(p) = std::env::var_os("VICUNA_LIBC_SO") {
        return p.into();
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/libc.so")
}

/// The defined dynamic symbols of `so` (its exports), via `readelf`.
pub fn exports(so: &std::path::Path) -> Result<Vec<String>, String> {
    let out = Command::new("readelf")
        .args(["--dyn-syms", "-W"])
        .arg(so)
        .output()
        .map_err(|e| format!("readelf: {e}"))?;
    if !out.status.success() {
        return Err(format!("readelf {}: {}", so.display(), String::from_utf8_lossy(&out.stderr)));
    }
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let defined = f.len() >= 8 && f[0].ends_with(':') && f[6] != "UND" && f[4] != "LOCAL";
            (defined && (f[3] == "FUNC" || f[3] == "OBJECT")).then(|| f[7].split('@').next().unwrap().to_string())
        })
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// An opened `libc.so`.
pub struct Library {
    handle: *mut libc::c_void,
}

// SAFETY: a dlopen handle may be used from any thread (dlsym is
// thread-safe) and is never closed.
unsafe impl Send for Library {}
// SAFETY: as above.
unsafe impl Sync for Library {}

impl Library {
    pub fn open(path: &std::path::Path) -> Result<Library, String> {
        let c = CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid C string; RTLD_LOCAL keeps its names out of the
        // process's global scope, so glibc's own calls are unaffected.
        let handle = unsafe { libc::dlopen(c.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        if handle.is_null() {
            // SAFETY: dlerror returns a C string after a failed dlopen.
            let err = unsafe { std::ffi::CStr::from_ptr(libc::dlerror()) };
            return Err(format!("dlopen {}: {}", path.display(), err.to_string_lossy()));
        }
        Ok(Library { handle })
    }

    /// The address of `name` in this library, if it defines it.
    pub fn sym(&self, name: &str) -> Option<usize> {
        let c = CString::new(name).unwrap();
        // SAFETY: handle came from dlopen; c is a valid C string.
        let p = unsafe { libc::dlsym(self.handle, c.as_ptr()) };
        (!p.is_null()).then_some(p as usize)
    }
}
