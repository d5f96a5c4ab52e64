//! The auxiliary vector the kernel passed, kept for `getauxval`, and the
//! `secure` flag start-up derives from it.

use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering::Relaxed};

pub const AT_NULL: usize = 0;
pub const AT_PHDR: usize = 3;
pub const AT_PHNUM: usize = 5;
pub const AT_PAGESZ: usize = 6;
pub const AT_UID: usize = 11;
pub const AT_EUID: usize = 12;
pub const AT_GID: usize = 13;
pub const AT_EGID: usize = 14;
pub const AT_HWCAP: usize = 16;
pub const AT_SECURE: usize = 23;
pub const AT_RANDOM: usize = 25;
pub const AT_EXECFN: usize = 31;

/// The vector: pairs of words, ended by an `AT_NULL` type.
static AUXV: AtomicPtr<usize> = AtomicPtr::new(core::ptr::null_mut());
/// Set at start-up when the process runs with other privileges than its
/// invoker's (`AT_SECURE`, or real and effective ids differing).
static SECURE: AtomicBool = AtomicBool::new(false);

/// Saves the vector found at start-up.
pub fn save(auxv: *mut usize) {
    AUXV.store(auxv, Relaxed);
}

/// Records the process's `secure` state (see [`SECURE`]).
pub fn set_secure(on: bool) {
    SECURE.store(on, Relaxed);
}

/// Whether start-up found the process privileged.
pub fn secure() -> bool {
    SECURE.load(Relaxed)
}

/// The value of the first entry of type `ty` in the vector at `auxv`.
///
/// # Safety
/// `auxv` is null or points to a vector ended by `AT_NULL`.
pub unsafe fn lookup(auxv: *const usize, ty: usize) -> Option<usize> {
    if auxv.is_null() {
        return None;
    }
    let mut p = auxv;
    // SAFETY: the caller guarantees the terminator, so each pair read lies
    // inside the vector.
    unsafe {
        while *p != AT_NULL {
            if *p == ty {
                return Some(*p.add(1));
            }
            p = p.add(2);
        }
    }
    None
}

/// The saved vector's entry of type `ty`.
pub fn get(ty: usize) -> Option<usize> {
    // SAFETY: AUXV is null or the kernel's vector, which lives for the
    // whole process and is never written.
    unsafe { lookup(AUXV.load(Relaxed), ty) }
}

/// `getauxval(3)` (musl's behaviour): `AT_SECURE` answers the start-up
/// verdict; a type not in the vector gives 0 with `errno` = `ENOENT`.
#[cfg(all(feature = "runtime", not(test)))]
#[unsafe(no_mangle)]
pub extern "C" fn getauxval(ty: core::ffi::c_ulong) -> core::ffi::c_ulong {
    if ty as usize == AT_SECURE {
        return secure() as core::ffi::c_ulong;
    }
    match get(ty as usize) {
        Some(v) => v as core::ffi::c_ulong,
        None => {
            crate::errno::set_errno(crate::errno::Errno::ENOENT);
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_walks_pairs() {
        let v = [AT_PAGESZ, 4096, AT_UID, 0, AT_RANDOM, 0x1234, 7, 8, AT_NULL, 0];
        // SAFETY: `v` ends with AT_NULL.
        unsafe {
            assert_eq!(lookup(v.as_ptr(), AT_PAGESZ), Some(4096));
            assert_eq!(lookup(v.as_ptr(), AT_UID), Some(0));
            assert_eq!(lookup(v.as_ptr(), AT_RANDOM), Some(0x1234));
            // A value equal to a type is not mistaken for one.
            assert_eq!(lookup(v.as_ptr(), 4096), None);
            assert_eq!(lookup(v.as_ptr(), 8), None);
            assert_eq!(lookup(core::ptr::null(), AT_PAGESZ), None);
        }
    }
}
