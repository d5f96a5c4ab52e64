//! Every function the harness knows, with its signature class.
//!
//! An entry is tested against musl whenever vicuna's `libc.so` exports the
//! name; entries for names not exported yet stay dormant. An exported name
//! with no entry fails the harness (`tests/differential.rs`). Adding a
//! function of a known shape is one line; `variants` additionally tests
//! each kernel variant directly (the dispatched export is tested under
//! every `VICUNA_CPU` level either way, which reaches every variant too).

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
    ($name:literal, $run:expr, $cmp:ident, $table:ident) => {
        Entry {
            name: $name,
            run: $run,
            cmp: Cmp::$cmp,
            variants: Some(|| k::$table.iter().map(|v| (v.name, v.level, v.func as *const () as usize)).collect()),
        }
    };
}

/// The registry. Integer results compare exactly (musl returns byte
/// differences) except where noted.
pub fn entries() -> Vec<Entry> {
    vec![
        // memory blocks (dispatched, with variant tables)
        e!("memcpy", c::copy::<u8>, Exact, MEMCPY),
        e!("memmove", c::moves::<u8>, Exact, MEMMOVE),
        e!("memset", c::set::<u8>, Exact, MEMSET),
        e!("memcmp", c::memcmp::<u8>, Exact, MEMCMP),
        e!("bcmp", c::memcmp::<u8>, Zero, BCMP),
        e!("strlen", c::strlen::<u8>, Exact, STRLEN),
        // memory blocks, more
        e!("mempcpy", c::copy::<u8>),
        e!("memccpy", c::memccpy),
        e!("bcopy", c::bcopy),
        e!("bzero", c::zero),
        e!("explicit_bzero", c::zero),
        e!("swab", c::swab),
        // search
        e!("memchr", c::memchr::<u8>),
        e!("memrchr", c::memchr::<u8>),
        e!("strnlen", c::strnlen::<u8>),
        e!("strchr", c::strchr::<u8>),
        e!("strchrnul", c::strchr::<u8>),
        e!("strrchr", c::strchr::<u8>),
        e!("index", c::strchr::<u8>),
        e!("rindex", c::strchr::<u8>),
        e!("strspn", c::strspn::<u8>),
        e!("strcspn", c::strspn::<u8>),
        e!("strpbrk", c::strstr::<u8>),
        e!("strstr", c::strstr::<u8>),
        e!("strcasestr", c::strstr::<u8>),
        e!("memmem", c::memmem),
        // compare
        e!("strcmp", c::strcmp::<u8>),
        e!("strncmp", c::strncmp::<u8>),
        e!("strcasecmp", c::strcmp::<u8>),
        e!("strncasecmp", c::strncmp::<u8>),
        e!("strcasecmp_l", c::strcmp_l::<u8>),
        e!("__strcasecmp_l", c::strcmp_l::<u8>),
        e!("strncasecmp_l", c::strncmp_l::<u8>),
        e!("__strncasecmp_l", c::strncmp_l::<u8>),
        e!("strverscmp", c::strcmp::<u8>),
        // copy and concatenate
        e!("strcpy", c::strcpy::<u8>),
        e!("stpcpy", c::strcpy::<u8>),
        e!("strncpy", c::strncpy::<u8>),
        e!("stpncpy", c::strncpy::<u8>),
        e!("strcat", c::strcat::<u8>),
        e!("strncat", c::strncat::<u8>),
        e!("strlcpy", c::strlcpy),
        e!("strlcat", c::strlcpy),
        // tokens
        e!("strtok", c::strtok),
        e!("strtok_r", c::strtok_r::<u8>),
        e!("strsep", c::strsep),
        // wide characters: comparisons by sign, accepting a correct value
        // comparison where musl's `*l - *r` overflows (Cmp::WideSign)
        e!("wcslen", c::strlen::<Wc>),
        e!("wcsnlen", c::strnlen::<Wc>),
        e!("wcschr", c::strchr::<Wc>),
        e!("wcsrchr", c::strchr::<Wc>),
        e!("wcsspn", c::strspn::<Wc>),
        e!("wcscspn", c::strspn::<Wc>),
        e!("wcspbrk", c::strstr::<Wc>),
        e!("wcsstr", c::strstr::<Wc>),
        e!("wcswcs", c::strstr::<Wc>),
        e!("wcscmp", c::strcmp::<Wc>, WideSign),
        e!("wcsncmp", c::strncmp::<Wc>, WideSign),
        e!("wcscasecmp", c::strcmp::<Wc>, WideSignFolded),
        e!("wcsncasecmp", c::strncmp::<Wc>, WideSignFolded),
        e!("wcscasecmp_l", c::strcmp_l::<Wc>, WideSignFolded),
        e!("wcsncasecmp_l", c::strncmp_l::<Wc>, WideSignFolded),
        e!("wcscpy", c::strcpy::<Wc>),
        e!("wcpcpy", c::strcpy::<Wc>),
        e!("wcsncpy", c::strncpy::<Wc>),
        e!("wcpncpy", c::strncpy::<Wc>),
        e!("wcscat", c::strcat::<Wc>),
        e!("wcsncat", c::strncat::<Wc>),
        e!("wcstok", c::strtok_r::<Wc>),
        e!("wmemchr", c::memchr::<Wc>),
        e!("wmemcmp", c::memcmp::<Wc>, WideSign),
        e!("wmemcpy", c::copy::<Wc>),
        e!("wmemmove", c::moves::<Wc>),
        e!("wmemset", c::set::<Wc>),
    ]
}

/// Exported names that need no differential test of their own, with the
/// reason. Keep this short: it is for names that are not functions of the
/// string slice (none yet).
pub const EXEMPT: &[(&str, &str)] = &[];

// Stateful functions (malloc, ...) are registered as helper-process
// families in `helpers.rs`, not here.
