//! The memory block routines and `strlen`: the first dispatched slice.

use core::ffi::{c_char, c_int, c_void};

use vicuna_kernels::string as k;

crate::dispatch::dispatched! {
    /// `memcpy(3)`.
    fn memcpy(dest: *mut c_void, src: *const c_void, n: usize) -> *mut c_void = k::MEMCPY;
    /// `memmove(3)`.
    fn memmove(dest: *mut c_void, src: *const c_void, n: usize) -> *mut c_void = k::MEMMOVE;
    /// `memset(3)`.
    fn memset(dest: *mut c_void, c: c_int, n: usize) -> *mut c_void = k::MEMSET;
    /// `memcmp(3)`: the difference of the first differing bytes as
    /// unsigned char, 0 when equal.
    fn memcmp(a: *const c_void, b: *const c_void, n: usize) -> c_int = k::MEMCMP;
    /// `bcmp(3)`: 0 when equal, nonzero otherwise.
    fn bcmp(a: *const c_void, b: *const c_void, n: usize) -> c_int = k::BCMP;
    /// `strlen(3)`.
    fn strlen(s: *const c_char) -> usize = k::STRLEN;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_call_resolves_then_slot_holds_a_variant() {
        let src = *b"hello, world\0";
        let mut dst = [0u8; 13];
        // SAFETY: both buffers hold 13 bytes.
        unsafe { memcpy(dst.as_mut_ptr().cast(), src.as_ptr().cast(), 13) };
        assert_eq!(dst, src);
        // SAFETY: NUL-terminated.
        assert_eq!(unsafe { strlen(dst.as_ptr().cast()) }, 12);
        assert_eq!(unsafe { memcmp(dst.as_ptr().cast(), src.as_ptr().cast(), 13) }, 0);
        assert_eq!(unsafe { bcmp(dst.as_ptr().cast(), b"hellO".as_ptr().cast(), 5) } != 0, true);
        unsafe { memset(dst.as_mut_ptr().cast(), b'x' as c_int, 5) };
        unsafe { memmove(dst.as_mut_ptr().add(1).cast(), dst.as_ptr().cast(), 6) };
        assert_eq!(&dst[..8], b"xxxxxx,w");
        for r in ROUTINES {
            let chosen = (r.resolve)();
            assert!((r.variants)().contains(&chosen), "{}: {chosen}", r.name);
        }
    }
}
