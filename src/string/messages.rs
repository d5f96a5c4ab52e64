//! Error and signal descriptions: `strerror`, `strerror_l`, `strerror_r`,
//! `__xpg_strerror_r`, `strsignal`, with musl 1.2.3's texts (generated into
//! `messages_table.rs` by `scripts/gen/messages.py`).
//!
//! None of these go into the overlay: glibc's `strerror_r` is the GNU one
//! (it returns `char *`) and glibc's texts differ.

use core::ffi::{c_char, c_int, c_void};

#[path = "messages_table.rs"]
mod table;

/// The NUL-terminated description of error number `e`.
pub fn error_text(e: c_int) -> &'static str {
    usize::try_from(e).ok().and_then(|i| table::ERRORS.get(i).copied().flatten()).unwrap_or(table::UNKNOWN_ERROR)
}

/// The NUL-terminated description of signal number `sig`.
pub fn signal_text(sig: c_int) -> &'static str {
    usize::try_from(sig).ok().and_then(|i| table::SIGNALS.get(i).copied().flatten()).unwrap_or(table::UNKNOWN_SIGNAL)
}

/// `strerror(3)`: the text is static and must not be modified.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn strerror(e: c_int) -> *mut c_char {
    error_text(e).as_ptr() as *mut c_char
}

/// `strerror_l(3)`: vicuna's locales all use the C texts.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn strerror_l(e: c_int, _locale: *mut c_void) -> *mut c_char {
    strerror(e)
}

/// POSIX `strerror_r`: copies the text into `buf`; a text longer than
/// `buflen - 1` is truncated and gives `ERANGE` (musl's behaviour).
///
/// # Safety
/// `buf` writable for `buflen` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strerror_r(e: c_int, buf: *mut c_char, buflen: usize) -> c_int {
    let text = error_text(e).as_bytes(); // includes the NUL
    let fits = text.len() <= buflen;
    let n = if fits { text.len() } else { buflen.saturating_sub(1) };
    if buflen > 0 {
        // SAFETY: the caller guarantees `buflen` writable bytes; `n < buflen`
        // when truncating (the NUL goes at `n`), `n == text.len() <= buflen`
        // otherwise.
        let out = unsafe { core::slice::from_raw_parts_mut(buf as *mut u8, buflen) };
        out[..n].copy_from_slice(&text[..n]);
        if !fits {
            out[n] = 0;
        }
    }
    if fits { 0 } else { crate::errno::Errno::ERANGE.0 }
}

/// The XSI name of `strerror_r` that glibc-targeting code links against.
///
/// # Safety
/// As [`strerror_r`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn __xpg_strerror_r(e: c_int, buf: *mut c_char, buflen: usize) -> c_int {
    // SAFETY: forwarded caller contract.
    unsafe { strerror_r(e, buf, buflen) }
}

/// `strsignal(3)`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn strsignal(sig: c_int) -> *mut c_char {
    signal_text(sig).as_ptr() as *mut c_char
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn s(p: *const c_char) -> &'static str {
        // SAFETY: the tables hold NUL-terminated UTF-8.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap()
    }

    #[test]
    fn texts() {
        assert_eq!(s(strerror(2)), "No such file or directory");
        assert_eq!(s(strerror(0)), "No error information");
        assert_eq!(s(strerror(-1)), "No error information");
        assert_eq!(s(strerror(4095)), "No error information");
        assert_eq!(s(strerror_l(22, core::ptr::null_mut())), "Invalid argument");
        assert_eq!(s(strsignal(11)), "Segmentation fault");
        assert_eq!(s(strsignal(0)), "Unknown signal");
        assert_eq!(s(strsignal(-3)), "Unknown signal");
        for t in table::ERRORS.iter().flatten().chain(table::SIGNALS.iter().flatten()) {
            assert!(t.ends_with('\0') && !t[..t.len() - 1].contains('\0'));
        }
    }

    #[test]
    fn strerror_r_truncates_with_erange() {
        let mut buf = [0x55 as c_char; 32];
        // SAFETY: `buf` holds 32 bytes.
        assert_eq!(unsafe { strerror_r(2, buf.as_mut_ptr(), 32) }, 0);
        assert_eq!(s(buf.as_ptr()), "No such file or directory");
        let mut small = [0x55 as c_char; 9];
        assert_eq!(unsafe { strerror_r(2, small.as_mut_ptr(), 8) }, 34);
        assert_eq!(s(small.as_ptr()), "No such");
        assert_eq!(small[8], 0x55);
        // Exactly the text plus its NUL fits. SAFETY (the calls below):
        // every length passed is at most the buffer's 32 bytes, and a
        // zero length never touches the null pointer.
        let need = "No such file or directory".len() + 1;
        assert_eq!(unsafe { strerror_r(2, buf.as_mut_ptr(), need) }, 0);
        assert_eq!(unsafe { strerror_r(2, buf.as_mut_ptr(), need - 1) }, 34);
        assert_eq!(unsafe { strerror_r(2, core::ptr::null_mut(), 0) }, 34);
        assert_eq!(unsafe { __xpg_strerror_r(9999, buf.as_mut_ptr(), 32) }, 0);
        assert_eq!(s(buf.as_ptr()), "No error information");
    }
}
