//! Tokenizers: `strtok`, `strtok_r`, `strsep`, with musl 1.2.3's behaviour
//! (an empty separator set makes the rest of the string one token; a
//! finished `strtok` returns NULL until given a new string).

use core::ffi::c_char;
use core::sync::atomic::{AtomicPtr, Ordering::Relaxed};

/// A set of bytes, for the `strspn`/`strcspn`-style scans.
struct ByteSet([u64; 4]);

impl ByteSet {
    /// The bytes of the NUL-terminated `sep`.
    ///
    /// # Safety
    /// `sep` is a string.
    unsafe fn new(sep: *const c_char) -> ByteSet {
        let mut set = ByteSet([0; 4]);
        let mut p = sep as *const u8;
        // SAFETY: read up to and excluding the NUL.
        unsafe {
            while *p != 0 {
                set.0[(*p >> 6) as usize] |= 1 << (*p & 63);
                p = p.add(1);
            }
        }
        set
    }

    fn has(&self, c: u8) -> bool {
        self.0[(c >> 6) as usize] & (1 << (c & 63)) != 0
    }

    /// Skips bytes in the set (`strspn`).
    ///
    /// # Safety
    /// `s` is a string.
    unsafe fn skip(&self, mut s: *mut c_char) -> *mut c_char {
        // SAFETY: NUL is never in the set, so the scan stops at it.
        unsafe {
            while *s != 0 && self.has(*s as u8) {
                s = s.add(1);
            }
        }
        s
    }

    /// Skips bytes not in the set, stopping at the NUL (`strcspn`).
    ///
    /// # Safety
    /// `s` is a string.
    unsafe fn skip_not(&self, mut s: *mut c_char) -> *mut c_char {
        // SAFETY: the scan stops at the NUL.
        unsafe {
            while *s != 0 && !self.has(*s as u8) {
                s = s.add(1);
            }
        }
        s
    }
}

/// The shared body of `strtok` and `strtok_r`; `state` is the saved
/// position (NULL once the string is used up).
///
/// # Safety
/// As `strtok_r`.
unsafe fn next_token(s: *mut c_char, sep: *const c_char, state: &mut *mut c_char) -> *mut c_char {
    let s = if s.is_null() { *state } else { s };
    if s.is_null() {
        return s;
    }
    // SAFETY: `s` is a string (the caller's or the rest of one); `sep` is a
    // string; writes stay inside `s`.
    unsafe {
        let set = ByteSet::new(sep);
        let start = set.skip(s);
        if *start == 0 {
            *state = core::ptr::null_mut();
            return core::ptr::null_mut();
        }
        let end = set.skip_not(start);
        if *end != 0 {
            *end = 0;
            *state = end.add(1);
        } else {
            *state = core::ptr::null_mut();
        }
        start
    }
}

/// `strtok_r(3)`.
///
/// # Safety
/// `s` is NULL or a writable string; `sep` a string; `save` valid, holding
/// what the previous call left when `s` is NULL.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strtok_r(s: *mut c_char, sep: *const c_char, save: *mut *mut c_char) -> *mut c_char {
    // SAFETY: the caller provides a valid `save`.
    let state = unsafe { &mut *save };
    // SAFETY: forwarded caller contract.
    unsafe { next_token(s, sep, state) }
}

/// `strtok`'s saved position (not thread-safe, as the function's contract).
static STRTOK: AtomicPtr<c_char> = AtomicPtr::new(core::ptr::null_mut());

/// `strtok(3)`.
///
/// # Safety
/// `s` is NULL or a writable string; `sep` a string; with NULL, the string
/// of the previous call must still be alive.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strtok(s: *mut c_char, sep: *const c_char) -> *mut c_char {
    let mut state = STRTOK.load(Relaxed);
    // SAFETY: forwarded caller contract.
    let r = unsafe { next_token(s, sep, &mut state) };
    STRTOK.store(state, Relaxed);
    r
}

/// `strsep(3)`: the token at `*str` up to the first separator, which is
/// overwritten with a NUL; `*str` moves past it, or becomes NULL at the end.
///
/// # Safety
/// `str` valid; `*str` NULL or a writable string; `sep` a string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strsep(str: *mut *mut c_char, sep: *const c_char) -> *mut c_char {
    // SAFETY: forwarded caller contract.
    unsafe {
        let s = *str;
        if s.is_null() {
            return s;
        }
        let end = ByteSet::new(sep).skip_not(s);
        if *end != 0 {
            *end = 0;
            *str = end.add(1);
        } else {
            *str = core::ptr::null_mut();
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr::null_mut;

    fn text(p: *const c_char) -> Option<Vec<u8>> {
        if p.is_null() {
            return None;
        }
        // SAFETY: the tests only pass strings.
        Some(unsafe { core::ffi::CStr::from_ptr(p) }.to_bytes().to_vec())
    }

    #[test]
    fn tokenizers() {
        let mut buf = *b",,a,b;;c,\0";
        let sep = b",;\0".as_ptr().cast();
        let mut save = null_mut();
        let mut got = vec![];
        // SAFETY: writable NUL-terminated buffer; valid `save`.
        unsafe {
            let mut s = buf.as_mut_ptr().cast();
            while let Some(t) = text(strtok_r(s, sep, &mut save)) {
                got.push(t);
                s = null_mut();
            }
            assert!(save.is_null());
            assert!(strtok_r(null_mut(), sep, &mut save).is_null());
        }
        assert_eq!(got, [b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);

        let mut buf = *b"x  y\0";
        // SAFETY: as above.
        unsafe {
            assert_eq!(text(strtok(buf.as_mut_ptr().cast(), b" \0".as_ptr().cast())).unwrap(), b"x");
            assert_eq!(text(strtok(null_mut(), b" \0".as_ptr().cast())).unwrap(), b"y");
            assert!(strtok(null_mut(), b" \0".as_ptr().cast()).is_null());
            assert!(strtok(null_mut(), b" \0".as_ptr().cast()).is_null());
            // An empty separator set: the whole rest is one token.
            let mut buf = *b"ab c\0";
            assert_eq!(text(strtok(buf.as_mut_ptr().cast(), b"\0".as_ptr().cast())).unwrap(), b"ab c");
        }

        let mut buf = *b"a,,b\0";
        let mut p: *mut c_char = buf.as_mut_ptr().cast();
        let mut got = vec![];
        // SAFETY: as above.
        unsafe {
            while let Some(t) = text(strsep(&mut p, b",\0".as_ptr().cast())) {
                got.push(t);
            }
        }
        assert_eq!(got, [b"a".to_vec(), b"".to_vec(), b"b".to_vec()]);
        assert!(p.is_null());
    }
}
