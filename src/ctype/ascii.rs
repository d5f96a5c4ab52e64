//! `<ctype.h>` in the C locale, the only byte locale musl has: the
//! classification functions, `tolower`/`toupper`, `isascii`/`toascii`, and
//! their `_l` and `__*_l` forms (musl ignores the locale argument). Every
//! class holds only ASCII code points, whatever `int` is passed (musl
//! answers for any value, not only `unsigned char` and `EOF`).
//!
//! Each C name exists with its `_l` twins because musl keeps them in one
//! object: a static link that pulled musl's object for one twin would
//! otherwise define the name twice.

use core::ffi::{c_int, c_void};

/// `c` as a byte when it is ASCII.
const fn ascii(c: c_int) -> Option<u8> {
    if c >= 0 && c < 0x80 { Some(c as u8) } else { None }
}

fn class(c: c_int, test: fn(u8) -> bool) -> c_int {
    match ascii(c) {
        Some(b) => test(b) as c_int,
        None => 0,
    }
}

fn alpha(b: u8) -> bool {
    b.is_ascii_alphabetic()
}
fn digit(b: u8) -> bool {
    b.is_ascii_digit()
}
fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}
fn blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}
fn cntrl(b: u8) -> bool {
    b < 0x20 || b == 0x7f
}
fn graph(b: u8) -> bool {
    (0x21..=0x7e).contains(&b)
}
fn lower(b: u8) -> bool {
    b.is_ascii_lowercase()
}
fn print(b: u8) -> bool {
    (0x20..=0x7e).contains(&b)
}
fn punct(b: u8) -> bool {
    graph(b) && !alnum(b)
}
fn space(b: u8) -> bool {
    b == b' ' || (b'\t'..=b'\r').contains(&b)
}
fn upper(b: u8) -> bool {
    b.is_ascii_uppercase()
}
fn xdigit(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

/// Defines `name(c)`, `name_l(c, locale)` and `__name_l(c, locale)`.
macro_rules! classes {
    ($( $name:ident, $name_l:ident, $under_l:ident => $test:ident; )*) => {$(
        #[doc = concat!("`", stringify!($name), "(3)` in the C locale.")]
        #[cfg_attr(not(test), unsafe(no_mangle))]
        pub extern "C" fn $name(c: c_int) -> c_int {
            class(c, $test)
        }
        #[doc = concat!("`", stringify!($name_l), "`: the locale is ignored.")]
        #[cfg_attr(not(test), unsafe(no_mangle))]
        pub extern "C" fn $name_l(c: c_int, _locale: *mut c_void) -> c_int {
            $name(c)
        }
        #[doc = concat!("`", stringify!($under_l), "`: the locale is ignored.")]
        #[cfg_attr(not(test), unsafe(no_mangle))]
        pub extern "C" fn $under_l(c: c_int, _locale: *mut c_void) -> c_int {
            $name(c)
        }
    )*};
}

classes! {
    isalnum, isalnum_l, __isalnum_l => alnum;
    isalpha, isalpha_l, __isalpha_l => alpha;
    isblank, isblank_l, __isblank_l => blank;
    iscntrl, iscntrl_l, __iscntrl_l => cntrl;
    isdigit, isdigit_l, __isdigit_l => digit;
    isgraph, isgraph_l, __isgraph_l => graph;
    islower, islower_l, __islower_l => lower;
    isprint, isprint_l, __isprint_l => print;
    ispunct, ispunct_l, __ispunct_l => punct;
    isspace, isspace_l, __isspace_l => space;
    isupper, isupper_l, __isupper_l => upper;
    isxdigit, isxdigit_l, __isxdigit_l => xdigit;
}

/// `tolower(3)`: ASCII upper case to lower case; every other value as is.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn tolower(c: c_int) -> c_int {
    if isupper(c) != 0 { c + 32 } else { c }
}

/// `tolower_l`: the locale is ignored.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn tolower_l(c: c_int, _locale: *mut c_void) -> c_int {
    tolower(c)
}

/// `__tolower_l`: the locale is ignored.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn __tolower_l(c: c_int, _locale: *mut c_void) -> c_int {
    tolower(c)
}

/// `toupper(3)`: ASCII lower case to upper case; every other value as is.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn toupper(c: c_int) -> c_int {
    if islower(c) != 0 { c - 32 } else { c }
}

/// `toupper_l`: the locale is ignored.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn toupper_l(c: c_int, _locale: *mut c_void) -> c_int {
    toupper(c)
}

/// `__toupper_l`: the locale is ignored.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn __toupper_l(c: c_int, _locale: *mut c_void) -> c_int {
    toupper(c)
}

/// `isascii(3)`: whether `c` is in 0..=127.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn isascii(c: c_int) -> c_int {
    ascii(c).is_some() as c_int
}

/// `toascii(3)`: the low seven bits.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn toascii(c: c_int) -> c_int {
    c & 0x7f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_match_the_c_locale() {
        for c in -300..700 {
            let b = if (0..128).contains(&c) { Some(c as u8 as char) } else { None };
            let is = |f: fn(&char) -> bool| b.is_some_and(|ch| f(&ch)) as c_int;
            assert_eq!(isalpha(c), is(char::is_ascii_alphabetic), "{c}");
            assert_eq!(isdigit(c), is(char::is_ascii_digit), "{c}");
            assert_eq!(isxdigit(c), is(char::is_ascii_hexdigit), "{c}");
            assert_eq!(ispunct(c), is(char::is_ascii_punctuation), "{c}");
            assert_eq!(iscntrl(c), is(char::is_ascii_control), "{c}");
            assert_eq!(isgraph(c), is(char::is_ascii_graphic), "{c}");
            assert_eq!(isprint(c), (is(char::is_ascii_graphic) != 0 || c == 32) as c_int, "{c}");
            // C's isspace includes \v, which Rust's is_ascii_whitespace lacks.
            assert_eq!(isspace(c), (is(char::is_ascii_whitespace) != 0 || c == 0x0b) as c_int, "{c}");
            assert_eq!(isblank(c), (c == 32 || c == 9) as c_int);
            assert_eq!(isascii(c), (0..128).contains(&c) as c_int);
            assert_eq!(tolower(c), b.map_or(c, |ch| ch.to_ascii_lowercase() as c_int), "{c}");
            assert_eq!(toupper(c), b.map_or(c, |ch| ch.to_ascii_uppercase() as c_int), "{c}");
            assert_eq!(toascii(c), c & 0x7f);
            assert_eq!(isalpha_l(c, core::ptr::null_mut()), isalpha(c));
            assert_eq!(__toupper_l(c, core::ptr::null_mut()), toupper(c));
        }
    }
}
