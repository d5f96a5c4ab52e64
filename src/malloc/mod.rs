//! The malloc family as musl 1.2.3 exports it (`malloc free calloc realloc
//! aligned_alloc posix_memalign memalign malloc_usable_size reallocarray`,
//! and `valloc` from its src/legacy), with musl's edge cases:
//!
//! * `malloc(0)` returns a unique non-null pointer; `realloc(p, 0)` returns
//!   a non-null pointer (in place when it fits, as musl's does).
//! * A request of `SIZE_MAX/2 - 4096` bytes or more, an overflowing
//!   `calloc`/`reallocarray` product, or exhausted memory: null with
//!   `ENOMEM`, never an abort; a failed `realloc` leaves the block intact.
//! * `aligned_alloc`/`memalign`: an alignment that is not a power of two is
//!   `EINVAL` (0 counts as one and means the default, as in musl); one of
//!   2^35 or more is `ENOMEM`. `posix_memalign` returns `EINVAL` for an
//!   alignment below `sizeof(void *)` or not a power of two, and otherwise
//!   the `errno` of a failure.
//!
//! One difference, documented in ARCHITECTURE.md: `malloc_usable_size`
//! reports the usable size of the block (at least the request, as in glibc,
//! jemalloc and mimalloc); musl's mallocng records and returns the exact
//! request.
//!
//! The allocator itself is a [`Backend`], chosen by cargo feature
//! (`malloc-mimalloc`, the default; `malloc-mmap`, a trivial one; or
//! `malloc-all`, both, picked by `VICUNA_MALLOC` at run time). The rest
//! of the library uses [`libc_malloc`] and friends: Rust calls that never go
//! through the exported (interposable) symbols, so a program's own malloc
//! replaces vicuna's for the program only, as with musl's `__libc_malloc`.

use core::ffi::{c_int, c_void};

use crate::errno::{self, Errno};

pub mod mimalloc;

/// An allocator backend. All sizes are already checked against the
/// maximum request; results are null on exhaustion (the front sets errno).
pub trait Backend {
    /// `size` bytes, 16-byte aligned.
    fn alloc(size: usize) -> *mut u8;
    /// `alloc` where the backend has a block at hand for `size` (any size
    /// is accepted), else null: then the front calls `alloc`, which never
    /// sees a request it has to refuse for its size.
    #[inline(always)]
    fn alloc_fast(_size: usize) -> *mut u8 {
        core::ptr::null_mut()
    }
    /// `size` bytes aligned to `align` (a power of two above 16, below 2^35).
    fn alloc_aligned(align: usize, size: usize) -> *mut u8;
    /// `size` zeroed bytes, 16-byte aligned.
    fn alloc_zeroed(size: usize) -> *mut u8;
    /// Frees a non-null block.
    ///
    /// # Safety
    /// `p` came from this backend and is live (violations are detected and
    /// abort where the backend can tell).
    unsafe fn free(p: *mut u8);
    /// Bytes usable from `p` to the end of its block.
    ///
    /// # Safety
    /// As for `free`.
    unsafe fn usable_size(p: *mut u8) -> usize;
    /// Resizes the block to `n` bytes without copying if the backend can
    /// (returning the block, perhaps moved), else null.
    ///
    /// # Safety
    /// As for `free`.
    unsafe fn resize(_p: *mut u8, _n: usize) -> *mut u8 {
        core::ptr::null_mut()
    }
}

/// The mimalloc-style backend (`src/malloc/mimalloc/`).
pub struct Mimalloc;

impl Backend for Mimalloc {
    #[inline(always)]
    fn alloc(size: usize) -> *mut u8 {
        mimalloc::alloc(size)
    }
    #[inline(always)]
    fn alloc_fast(size: usize) -> *mut u8 {
        mimalloc::alloc_fast(size)
    }
    fn alloc_aligned(align: usize, size: usize) -> *mut u8 {
        mimalloc::alloc_aligned(align, size)
    }
    fn alloc_zeroed(size: usize) -> *mut u8 {
        mimalloc::alloc_zeroed(size)
    }
    #[inline(always)]
    unsafe fn free(p: *mut u8) {
        // SAFETY: forwarded contract.
        unsafe { mimalloc::free(p) }
    }
    unsafe fn usable_size(p: *mut u8) -> usize {
        // SAFETY: forwarded contract.
        unsafe { mimalloc::usable_size(p) }
    }
    unsafe fn resize(p: *mut u8, n: usize) -> *mut u8 {
        // SAFETY: forwarded contract.
        unsafe { mimalloc::resize(p, n) }
    }
}

/// A trivial backend for testing the backend switch: every block is its own
/// mapping (the mimalloc backend's huge-block path, so it shares its
/// validation and hardening). Correct, slow, and greedy with address space.
pub struct Mmap;

impl Backend for Mmap {
    fn alloc(size: usize) -> *mut u8 {
        mimalloc::alloc_direct(size, 16, false)
    }
    fn alloc_aligned(align: usize, size: usize) -> *mut u8 {
        mimalloc::alloc_direct(size, align, false)
    }
    fn alloc_zeroed(size: usize) -> *mut u8 {
        mimalloc::alloc_direct(size, 16, true)
    }
    unsafe fn free(p: *mut u8) {
        // SAFETY: forwarded contract; the mimalloc backend's free handles
        // blocks of both backends.
        unsafe { mimalloc::free(p) }
    }
    unsafe fn usable_size(p: *mut u8) -> usize {
        // SAFETY: forwarded contract.
        unsafe { mimalloc::usable_size(p) }
    }
    unsafe fn resize(p: *mut u8, n: usize) -> *mut u8 {
        // SAFETY: forwarded contract.
        unsafe { mimalloc::resize(p, n) }
    }
}

/// The build with every backend, for benchmarking: `VICUNA_MALLOC=mimalloc`
/// (the default) or `VICUNA_MALLOC=mmap` picks one, read from the
/// environment the first time it is visible (under glibc the loader
/// allocates before it is). Blocks of either backend may be freed by the
/// other, since both free through the same segment map, so the blocks made
/// before the choice are fine.
pub struct Switch;

static CHOICE: core::sync::atomic::AtomicU8 = core::sync::atomic::AtomicU8::new(0);
const CHOSE_MIMALLOC: u8 = 1;
const CHOSE_MMAP: u8 = 2;

impl Switch {
    #[inline(always)]
    fn mmap() -> bool {
        match CHOICE.load(core::sync::atomic::Ordering::Relaxed) {
            CHOSE_MIMALLOC => false,
            CHOSE_MMAP => true,
            _ => Self::choose(),
        }
    }

    #[cold]
    fn choose() -> bool {
        use crate::platform;
        // SAFETY-free check: `environ` is null until the host libc sets it.
        if !platform::environ_ready() {
            return false;
        }
        let c = match platform::getenv(b"VICUNA_MALLOC") {
            Some(b"mmap") if !platform::is_secure() => CHOSE_MMAP,
            _ => CHOSE_MIMALLOC,
        };
        CHOICE.store(c, core::sync::atomic::Ordering::Relaxed);
        c == CHOSE_MMAP
    }
}

impl Backend for Switch {
    #[inline(always)]
    fn alloc_fast(size: usize) -> *mut u8 {
        if CHOICE.load(core::sync::atomic::Ordering::Relaxed) == CHOSE_MIMALLOC {
            Mimalloc::alloc_fast(size)
        } else {
            core::ptr::null_mut()
        }
    }
    fn alloc(size: usize) -> *mut u8 {
        if Self::mmap() {
            Mmap::alloc(size)
        } else {
            Mimalloc::alloc(size)
        }
    }
    fn alloc_aligned(align: usize, size: usize) -> *mut u8 {
        if Self::mmap() {
            Mmap::alloc_aligned(align, size)
        } else {
            Mimalloc::alloc_aligned(align, size)
        }
    }
    fn alloc_zeroed(size: usize) -> *mut u8 {
        if Self::mmap() {
            Mmap::alloc_zeroed(size)
        } else {
            Mimalloc::alloc_zeroed(size)
        }
    }
    unsafe fn free(p: *mut u8) {
        // SAFETY: forwarded contract (one free serves both backends).
        unsafe { Mimalloc::free(p) }
    }
    unsafe fn usable_size(p: *mut u8) -> usize {
        // SAFETY: forwarded contract.
        unsafe { Mimalloc::usable_size(p) }
    }
    unsafe fn resize(p: *mut u8, n: usize) -> *mut u8 {
        // SAFETY: forwarded contract.
        unsafe { Mimalloc::resize(p, n) }
    }
}

#[cfg(feature = "malloc-all")]
type Active = Switch;
#[cfg(all(feature = "malloc-mimalloc", not(feature = "malloc-all")))]
type Active = Mimalloc;
#[cfg(all(
    feature = "malloc-mmap",
    not(feature = "malloc-mimalloc"),
    not(feature = "malloc-all")
))]
type Active = Mmap;
#[cfg(all(
    feature = "malloc-mmap",
    feature = "malloc-mimalloc",
    not(feature = "malloc-all")
))]
compile_error!("choose one malloc backend feature (malloc-mimalloc or malloc-mmap), or malloc-all");
#[cfg(not(any(
    feature = "malloc-mimalloc",
    feature = "malloc-mmap",
    feature = "malloc-all"
)))]
compile_error!(
    "vicuna needs a malloc backend feature: malloc-mimalloc (default), malloc-mmap or malloc-all"
);

/// Requests at least this big fail with ENOMEM (musl's limit).
const MAX_REQUEST: usize = usize::MAX / 2 - 4096;
/// Alignments at least this big fail with ENOMEM (musl's limit).
const MAX_ALIGN: usize = 1 << 35;
const PAGE_SIZE: usize = 4096;

fn enomem() -> *mut c_void {
    errno::set_errno(Errno::ENOMEM);
    core::ptr::null_mut()
}

/// `malloc` for the library's own use.
#[inline]
pub fn libc_malloc(n: usize) -> *mut u8 {
    let p = Active::alloc_fast(n);
    if !p.is_null() {
        return p;
    }
    libc_malloc_slow(n)
}

#[cold]
#[inline(never)]
fn libc_malloc_slow(n: usize) -> *mut u8 {
    let p = if n < MAX_REQUEST {
        Active::alloc(n)
    } else {
        core::ptr::null_mut()
    };
    if p.is_null() {
        return enomem().cast();
    }
    p
}

/// `free` for the library's own use.
///
/// # Safety
/// `p` is null or a live block from [`libc_malloc`] and friends (or the
/// exported family, which is the same allocator unless interposed).
#[inline]
pub unsafe fn libc_free(p: *mut u8) {
    if !p.is_null() {
        // SAFETY: the caller's contract.
        unsafe { Active::free(p) }
    }
}

/// `calloc` for the library's own use.
pub fn libc_calloc(m: usize, n: usize) -> *mut u8 {
    let Some(size) = m.checked_mul(n) else {
        return enomem().cast();
    };
    if size >= MAX_REQUEST {
        return enomem().cast();
    }
    let p = Active::alloc_zeroed(size);
    if p.is_null() {
        return enomem().cast();
    }
    p
}

/// `realloc` for the library's own use.
///
/// # Safety
/// As for [`libc_free`].
pub unsafe fn libc_realloc(p: *mut u8, n: usize) -> *mut u8 {
    if p.is_null() {
        return libc_malloc(n);
    }
    if n >= MAX_REQUEST {
        return enomem().cast();
    }
    // SAFETY: `p` is live (the caller's contract).
    let have = unsafe { Active::usable_size(p) };
    // Keep the block when the new size fits and wastes at most half of it.
    if n <= have && (n >= have / 2 || have <= 64) {
        return p;
    }
    // SAFETY: `p` is live.
    let r = unsafe { Active::resize(p, n) };
    if !r.is_null() {
        return r;
    }
    let q = Active::alloc(n);
    if q.is_null() {
        return enomem().cast();
    }
    // SAFETY: both blocks hold at least `min(n, have)` bytes and are
    // distinct; then the old one is freed.
    unsafe {
        crate::string::mem::memcpy(q.cast(), p.cast(), n.min(have));
        Active::free(p);
    }
    q
}

/// `aligned_alloc` for the library's own use (musl's checks).
pub fn libc_aligned_alloc(align: usize, n: usize) -> *mut u8 {
    if align & align.wrapping_neg() != align {
        errno::set_errno(Errno::EINVAL);
        return core::ptr::null_mut();
    }
    if n > usize::MAX - align || align >= MAX_ALIGN || n >= MAX_REQUEST {
        return enomem().cast();
    }
    let p = Active::alloc_aligned(align.max(16), n);
    if p.is_null() {
        return enomem().cast();
    }
    p
}

/// `malloc(3)`.
///
/// Never inlined into the library's own callers: those that hand blocks to
/// the program call the symbol (see [`interposable`]), which a program's
/// own allocator may replace.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[inline(never)]
pub extern "C" fn malloc(n: usize) -> *mut c_void {
    libc_malloc(n).cast()
}

/// `free(3)`.
///
/// # Safety
/// `p` is null or a live block from this family.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn free(p: *mut c_void) {
    // SAFETY: the caller's contract.
    unsafe { libc_free(p.cast()) }
}

/// `calloc(3)`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn calloc(m: usize, n: usize) -> *mut c_void {
    libc_calloc(m, n).cast()
}

/// `realloc(3)`.
///
/// # Safety
/// As for [`free`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn realloc(p: *mut c_void, n: usize) -> *mut c_void {
    // SAFETY: the caller's contract.
    unsafe { libc_realloc(p.cast(), n).cast() }
}

/// `reallocarray(3)`.
///
/// # Safety
/// As for [`free`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn reallocarray(p: *mut c_void, m: usize, n: usize) -> *mut c_void {
    let Some(size) = m.checked_mul(n) else {
        return enomem();
    };
    // SAFETY: the caller's contract.
    unsafe { libc_realloc(p.cast(), size).cast() }
}

/// `aligned_alloc(3)` (C11).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn aligned_alloc(align: usize, n: usize) -> *mut c_void {
    libc_aligned_alloc(align, n).cast()
}

/// `memalign(3)`: as `aligned_alloc` in musl.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn memalign(align: usize, n: usize) -> *mut c_void {
    libc_aligned_alloc(align, n).cast()
}

/// `valloc(3)`: page-aligned.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn valloc(n: usize) -> *mut c_void {
    libc_aligned_alloc(PAGE_SIZE, n).cast()
}

/// `posix_memalign(3)`.
///
/// # Safety
/// `res` is writable (it is only written on success).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn posix_memalign(res: *mut *mut c_void, align: usize, n: usize) -> c_int {
    if align < size_of::<*mut c_void>() {
        return Errno::EINVAL.0;
    }
    let p = libc_aligned_alloc(align, n);
    if p.is_null() {
        return errno::errno().0;
    }
    // SAFETY: the caller's contract.
    unsafe { *res = p.cast() };
    0
}

/// `malloc_usable_size(3)`: bytes usable in the block (0 for null).
///
/// # Safety
/// `p` is null or a live block from this family.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn malloc_usable_size(p: *mut c_void) -> usize {
    if p.is_null() {
        return 0;
    }
    // SAFETY: the caller's contract.
    unsafe { Active::usable_size(p.cast()) }
}

#[cfg(test)]
mod tests;

/// The exported malloc family reached through its symbols, for library
/// functions whose blocks the program frees (`strdup`, `getline`, ...). A
/// Rust call to [`malloc`] could be inlined and so bypass a program's own
/// allocator; a call through an `extern` declaration goes to the symbol,
/// which libc.so and the overlay keep preemptible (scripts/build's dynamic
/// list). In this crate's unit tests the symbols are the test process's.
pub mod interposable {
    use core::ffi::c_void;

    unsafe extern "C" {
        /// `malloc(3)`, whichever definition the program links.
        pub fn malloc(n: usize) -> *mut c_void;
        /// `free(3)`, whichever definition the program links.
        pub fn free(p: *mut c_void);
    }
}
