//! Every function the harness knows, with its signature class.
//!
//! An entry is tested against musl whenever vicuna's `libc.so` exports the
//! name; entries for names not exported yet stay dormant. An exported name
//! with no entry fails the harness (`tests/differential.rs`). Adding a
//! function of a known shape is one line; `variants` additionally tests
//! each kernel variant directly (the dispatched export is tested under
//! every `VICUNA_CPU` level either way, which reaches the variant each
//! level selects; the tables also reach variants no level selects, such
//! as the compare family's second AVX-512 form).

use vicuna_kernels::Level;
use vicuna_kernels::string as k;

use crate::classes::{self as c, Cmp, Runner, Wc};

/// A variant of a dispatched routine: (name, level, address).
pub type VariantList = fn() -> Vec<(&'static str, Level, usize)>;

#[derive(Clone, Copy)]
pub struct Entry {
    pub name: &'static str,
    pub run: Runner,
    pub cmp: Cmp,
    /// The kernel variant table, when vicuna dispatches the routine.
    pub variants: Option<VariantList>,
}

macro_rules! e {
    ($name:literal, $run:expr) => {
        e!($name, $run, Exact)
    };
    ($name:literal, $run:expr, $cmp:ident) => {
        Entry { name: $name, run: $run, cmp: Cmp::$cmp, variants: None }
    };
    ($name:literal, $run:expr, $cmp:ident, $table:path) => {
        Entry {
            name: $name,
            run: $run,
            cmp: Cmp::$cmp,
            variants: Some(|| $table.iter().map(|v| (v.name, v.level, v.func as *const () as usize)).collect()),
        }
    };
}

/// The registry. Integer results compare exactly (musl returns byte
/// differences) except where noted.
pub fn entries() -> Vec<Entry> {
    vec![
        // memory blocks (dispatched, with variant tables)
        e!("memcpy", c::copy::<u8>, Exact, k::MEMCPY),
        e!("memmove", c::moves::<u8>, Exact, k::MEMMOVE),
        e!("memset", c::set::<u8>, Exact, k::MEMSET),
        e!("memcmp", c::memcmp::<u8>, Exact, k::MEMCMP),
        e!("bcmp", c::memcmp::<u8>, Zero, k::BCMP),
        e!("strlen", c::strlen::<u8>, Exact, k::STRLEN),
        // memory blocks, more
        e!("mempcpy", c::copy::<u8>, Exact, k::compare::all::MEMPCPY),
        e!("memccpy", c::memccpy, Exact, k::compare::all::MEMCCPY),
        e!("bcopy", c::bcopy),
        e!("bzero", c::zero, Exact, k::compare::all::BZERO),
        e!("explicit_bzero", c::zero),
        e!("swab", c::swab),
        // search
        e!("memchr", c::memchr::<u8>, Exact, k::search::MEMCHR),
        e!("memrchr", c::memchr::<u8>, Exact, k::search::MEMRCHR),
        e!("strnlen", c::strnlen::<u8>, Exact, k::search::STRNLEN),
        e!("strchr", c::strchr::<u8>, Exact, k::search::STRCHR),
        e!("strchrnul", c::strchr::<u8>, Exact, k::search::STRCHRNUL),
        e!("strrchr", c::strchr::<u8>, Exact, k::search::STRRCHR),
        e!("index", c::strchr::<u8>),
        e!("rindex", c::strchr::<u8>),
        e!("strspn", c::strspn::<u8>, Exact, k::search::STRSPN),
        e!("strcspn", c::strspn::<u8>, Exact, k::search::STRCSPN),
        e!("strpbrk", c::strstr::<u8>, Exact, k::search::STRPBRK),
        e!("strstr", c::strstr::<u8>, Exact, k::search::STRSTR),
        e!("strcasestr", c::strstr::<u8>),
        e!("memmem", c::memmem, Exact, k::search::MEMMEM),
        // compare
        e!("strcmp", c::strcmp::<u8>, Exact, k::compare::all::STRCMP),
        e!("strncmp", c::strncmp::<u8>, Exact, k::compare::all::STRNCMP),
        e!("strcasecmp", c::strcmp::<u8>, Exact, k::compare::all::STRCASECMP),
        e!("strncasecmp", c::strncmp::<u8>, Exact, k::compare::all::STRNCASECMP),
        e!("strcasecmp_l", c::strcmp_l::<u8>),
        e!("__strcasecmp_l", c::strcmp_l::<u8>),
        e!("strncasecmp_l", c::strncmp_l::<u8>),
        e!("__strncasecmp_l", c::strncmp_l::<u8>),
        e!("strverscmp", c::strcmp::<u8>),
        // copy and concatenate
        e!("strcpy", c::strcpy::<u8>, Exact, k::compare::all::STRCPY),
        e!("stpcpy", c::strcpy::<u8>, Exact, k::compare::all::STPCPY),
        e!("strncpy", c::strncpy::<u8>, Exact, k::compare::all::STRNCPY),
        e!("stpncpy", c::strncpy::<u8>, Exact, k::compare::all::STPNCPY),
        e!("strcat", c::strcat::<u8>, Exact, k::compare::all::STRCAT),
        e!("strncat", c::strncat::<u8>, Exact, k::compare::all::STRNCAT),
        e!("strlcpy", c::strlcpy),
        e!("strlcat", c::strlcpy),
        // tokens
        e!("strtok", c::strtok),
        e!("strtok_r", c::strtok_r::<u8>),
        e!("strsep", c::strsep),
        // wide characters: comparisons by sign, accepting a correct value
        // comparison where musl's `*l - *r` overflows (Cmp::WideSign)
        e!("wcslen", c::strlen::<Wc>, Exact, k::wide::WCSLEN),
        e!("wcsnlen", c::strnlen::<Wc>, Exact, k::wide::WCSNLEN),
        e!("wcschr", c::strchr::<Wc>, Exact, k::wide::WCSCHR),
        e!("wcsrchr", c::strchr::<Wc>, Exact, k::wide::WCSRCHR),
        e!("wcsspn", c::strspn::<Wc>),
        e!("wcscspn", c::strspn::<Wc>),
        e!("wcspbrk", c::strstr::<Wc>),
        e!("wcsstr", c::strstr::<Wc>),
        e!("wcswcs", c::strstr::<Wc>),
        e!("wcscmp", c::strcmp::<Wc>, WideSign, k::wide::WCSCMP),
        e!("wcsncmp", c::strncmp::<Wc>, WideSign, k::wide::WCSNCMP),
        e!("wcscasecmp", c::strcmp::<Wc>, WideSignFolded),
        e!("wcsncasecmp", c::strncmp::<Wc>, WideSignFolded),
        e!("wcscasecmp_l", c::strcmp_l::<Wc>, WideSignFolded),
        e!("wcsncasecmp_l", c::strncmp_l::<Wc>, WideSignFolded),
        e!("wcscpy", c::strcpy::<Wc>, Exact, k::wide::WCSCPY),
        e!("wcpcpy", c::strcpy::<Wc>),
        e!("wcsncpy", c::strncpy::<Wc>),
        e!("wcpncpy", c::strncpy::<Wc>),
        e!("wcscat", c::strcat::<Wc>),
        e!("wcsncat", c::strncat::<Wc>),
        e!("wcstok", c::strtok_r::<Wc>),
        e!("wmemchr", c::memchr::<Wc>, Exact, k::wide::WMEMCHR),
        e!("wmemcmp", c::memcmp::<Wc>, WideSign, k::wide::WMEMCMP),
        e!("wmemcpy", c::copy::<Wc>),
        e!("wmemmove", c::moves::<Wc>),
        e!("wmemset", c::set::<Wc>, Exact, k::wide::WMEMSET),
        // <wctype.h> case mapping
        e!("towlower", c::wctrans),
        e!("towupper", c::wctrans),
        e!("towlower_l", c::wctrans_l),
        e!("__towlower_l", c::wctrans_l),
        e!("towupper_l", c::wctrans_l),
        e!("__towupper_l", c::wctrans_l),
        // <ctype.h> in the C locale (int -> int; the wint_t class's ABI)
        e!("isalnum", c::wctrans),
        e!("isalnum_l", c::wctrans_l),
        e!("__isalnum_l", c::wctrans_l),
        e!("isalpha", c::wctrans),
        e!("isalpha_l", c::wctrans_l),
        e!("__isalpha_l", c::wctrans_l),
        e!("isblank", c::wctrans),
        e!("isblank_l", c::wctrans_l),
        e!("__isblank_l", c::wctrans_l),
        e!("iscntrl", c::wctrans),
        e!("iscntrl_l", c::wctrans_l),
        e!("__iscntrl_l", c::wctrans_l),
        e!("isdigit", c::wctrans),
        e!("isdigit_l", c::wctrans_l),
        e!("__isdigit_l", c::wctrans_l),
        e!("isgraph", c::wctrans),
        e!("isgraph_l", c::wctrans_l),
        e!("__isgraph_l", c::wctrans_l),
        e!("islower", c::wctrans),
        e!("islower_l", c::wctrans_l),
        e!("__islower_l", c::wctrans_l),
        e!("isprint", c::wctrans),
        e!("isprint_l", c::wctrans_l),
        e!("__isprint_l", c::wctrans_l),
        e!("ispunct", c::wctrans),
        e!("ispunct_l", c::wctrans_l),
        e!("__ispunct_l", c::wctrans_l),
        e!("isspace", c::wctrans),
        e!("isspace_l", c::wctrans_l),
        e!("__isspace_l", c::wctrans_l),
        e!("isupper", c::wctrans),
        e!("isupper_l", c::wctrans_l),
        e!("__isupper_l", c::wctrans_l),
        e!("isxdigit", c::wctrans),
        e!("isxdigit_l", c::wctrans_l),
        e!("__isxdigit_l", c::wctrans_l),
        e!("tolower", c::wctrans),
        e!("tolower_l", c::wctrans_l),
        e!("__tolower_l", c::wctrans_l),
        e!("toupper", c::wctrans),
        e!("toupper_l", c::wctrans_l),
        e!("__toupper_l", c::wctrans_l),
        e!("isascii", c::wctrans),
        e!("toascii", c::wctrans),
    ]
}

/// Exported names whose differential test against stock musl is a C
/// program run by conformance/run.py rather than an entry here (functions
/// whose musl code reads musl's thread structure, so musl's copy cannot run
/// in this process), with that program.
pub const ELSEWHERE: &[(&str, &str)] = &[
    ("strerror", "conformance/c/static/messages.c"),
    ("strerror_l", "conformance/c/static/messages.c"),
    ("strerror_r", "conformance/c/static/messages.c"),
    ("__xpg_strerror_r", "conformance/c/static/messages.c"),
    ("strsignal", "conformance/c/static/messages.c"),
];

// Stateful functions (malloc, ...) are registered as helper-process
// families in `helpers.rs`, not here.
