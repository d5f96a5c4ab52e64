//! Memory with an unmapped (`PROT_NONE`) page on each side: a routine that
//! reads one byte before the start or past the end of the usable area
//! faults.

use core::ptr::NonNull;

pub const PAGE: usize = 4096;

/// `PAGES` usable pages between two guard pages.
pub struct Guarded {
    base: NonNull<u8>,
    len: usize,
}

impl Guarded {
    /// Usable size in bytes.
    pub const SIZE: usize = 6 * PAGE;

    pub fn new() -> Guarded {
        let total = Self::SIZE + 2 * PAGE;
        // SAFETY: a fresh anonymous mapping; checked below.
        let p = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                total,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert!(p != libc::MAP_FAILED, "mmap failed");
        let p = p.cast::<u8>();
        // SAFETY: both ranges lie inside the mapping just made.
        unsafe {
            assert_eq!(libc::mprotect(p.cast(), PAGE, libc::PROT_NONE), 0);
            assert_eq!(libc::mprotect(p.add(PAGE + Self::SIZE).cast(), PAGE, libc::PROT_NONE), 0);
        }
        // SAFETY: p + PAGE is inside the mapping, so non-null.
        Guarded { base: unsafe { NonNull::new_unchecked(p.add(PAGE)) }, len: Self::SIZE }
    }

    /// The first usable byte (page aligned, right after a guard page).
    pub fn start(&self) -> *mut u8 {
        self.base.as_ptr()
    }

    /// The usable bytes.
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: the usable area is mapped read-write and owned by self.
        unsafe { core::slice::from_raw_parts(self.base.as_ptr(), self.len) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as above, and &mut self is unique.
        unsafe { core::slice::from_raw_parts_mut(self.base.as_ptr(), self.len) }
    }

    /// Whether `p` points into the usable area (or one past it).
    pub fn offset_of(&self, p: *const u8) -> Option<usize> {
        let a = p as usize;
        let s = self.base.as_ptr() as usize;
        (a >= s && a <= s + self.len).then(|| a - s)
    }
}

impl Default for Guarded {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in new().
        unsafe { libc::munmap(self.base.as_ptr().sub(PAGE).cast(), self.len + 2 * PAGE) };
    }
}
