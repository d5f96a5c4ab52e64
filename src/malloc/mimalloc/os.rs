//! What the mimalloc-style backend needs from the system: anonymous
//! mappings, the segment map (which 4 MiB chunks of the address space hold
//! one of our segments), the thread-local heap pointer, a cheap clock, the
//! process id that survives `fork`, and a per-process secret.

use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicU8, AtomicUsize, Ordering};

use crate::sys::{self, nr};

/// Segments are `SEGMENT_SIZE` bytes, aligned to `SEGMENT_SIZE`, so the
/// segment of any pointer inside its first chunk is found by masking.
pub const SEGMENT_SHIFT: usize = 22;
pub const SEGMENT_SIZE: usize = 1 << SEGMENT_SHIFT;
pub const SEGMENT_MASK: usize = SEGMENT_SIZE - 1;
pub const OS_PAGE: usize = 4096;

const PROT_READ: usize = 1;
const PROT_WRITE: usize = 2;
const MAP_PRIVATE: usize = 0x02;
const MAP_ANONYMOUS: usize = 0x20;
const MAP_NORESERVE: usize = 0x4000;
const MADV_DONTNEED: usize = 4;
const MADV_WIPEONFORK: usize = 18;
const ESRCH: isize = 3;

/// A fresh zeroed read-write mapping of `len` bytes, or null.
pub fn map(len: usize) -> *mut u8 {
    // SAFETY: an anonymous private mapping at an address of the kernel's
    // choosing touches no existing memory.
    let r = unsafe {
        sys::syscall6(
            nr::MMAP,
            0,
            len,
            PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
            usize::MAX,
            0,
        )
    };
    if (-4095..0).contains(&r) {
        ptr::null_mut()
    } else {
        r as *mut u8
    }
}

/// Unmaps `[p, p + len)`.
///
/// # Safety
/// The range is a mapping (or part of one) this module made and nothing
/// uses it any more.
pub unsafe fn unmap(p: *mut u8, len: usize) {
    if len != 0 {
        // SAFETY: the caller owns the range.
        unsafe { sys::syscall2(nr::MUNMAP, p as usize, len) };
    }
}

/// Gives the pages of `[p, p + len)` back to the kernel; they read as zero
/// when touched again.
///
/// # Safety
/// The range is ours and holds nothing live.
pub unsafe fn decommit(p: *mut u8, len: usize) {
    // SAFETY: the caller owns the range.
    unsafe { sys::syscall3(nr::MADVISE, p as usize, len, MADV_DONTNEED) };
}

/// Moves (or resizes in place, when `to` is 0) the mapping at `p` from
/// `old` to `new` bytes; with `to`, the pages land at `to`, replacing what
/// was mapped there. Returns whether it worked.
///
/// # Safety
/// `p` is a whole mapping of ours of `old` bytes; `to`, if not 0, is a
/// reservation of ours of `new` bytes.
pub unsafe fn remap(p: *mut u8, old: usize, new: usize, to: usize) -> bool {
    const MREMAP_MAYMOVE: usize = 1;
    const MREMAP_FIXED: usize = 2;
    let flags = if to != 0 {
        MREMAP_MAYMOVE | MREMAP_FIXED
    } else {
        0
    };
    // SAFETY: the caller owns both ranges.
    let r = unsafe { sys::syscall5(nr::MREMAP, p as usize, old, new, flags, to) };
    r == if to != 0 { to as isize } else { p as isize }
}

/// Maps `len` bytes whose start is aligned to `align` (a power of two, at
/// least `OS_PAGE`), by over-reserving and trimming. Returns the aligned
/// start, or null.
pub fn map_aligned(len: usize, align: usize) -> *mut u8 {
    let Some(total) = len.checked_add(align) else {
        return ptr::null_mut();
    };
    let raw = map(total);
    if raw.is_null() {
        return raw;
    }
    let start = (raw as usize + align - 1) & !(align - 1);
    let head = start - raw as usize;
    let tail = total - head - len;
    // SAFETY: both trimmed pieces belong to the mapping just made and are
    // outside `[start, start + len)`.
    unsafe {
        unmap(raw, head);
        unmap((start + len) as *mut u8, tail);
    }
    start as *mut u8
}

// ---------------------------------------------------------------------------
// The segment map: one byte per 4 MiB chunk of a 48-bit address space, in
// 64 KiB leaves mapped on first use. 0: not ours; 1: a segment header starts
// here; 2: a huge block with alignment >= 4 MiB starts here and its header is
// one chunk below.

const CHUNK_BITS: usize = 48 - SEGMENT_SHIFT;
const LEAF_BITS: usize = 16;
const TOP: usize = 1 << (CHUNK_BITS - LEAF_BITS);
static MAP_TOP: [AtomicPtr<AtomicU8>; TOP] = [const { AtomicPtr::new(ptr::null_mut()) }; TOP];

pub const MAP_HEADER: u8 = 1;
pub const MAP_HEADER_BELOW: u8 = 2;

fn leaf(idx: usize, create: bool) -> *mut AtomicU8 {
    let slot = &MAP_TOP[idx >> LEAF_BITS];
    let l = slot.load(Ordering::Acquire);
    if !l.is_null() || !create {
        return l;
    }
    let fresh = map(1 << LEAF_BITS) as *mut AtomicU8;
    if fresh.is_null() {
        return fresh;
    }
    match slot.compare_exchange(ptr::null_mut(), fresh, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => fresh,
        Err(other) => {
            // SAFETY: `fresh` was never published.
            unsafe { unmap(fresh as *mut u8, 1 << LEAF_BITS) };
            other
        }
    }
}

/// Marks the chunk starting at `chunk` (SEGMENT_SIZE-aligned). False when
/// the leaf could not be mapped.
pub fn map_set(chunk: usize, v: u8) -> bool {
    let idx = chunk >> SEGMENT_SHIFT;
    if idx >> CHUNK_BITS != 0 {
        return false;
    }
    let l = leaf(idx, true);
    if l.is_null() {
        return false;
    }
    // SAFETY: the leaf has 2^LEAF_BITS entries and the index is masked.
    unsafe { (*l.add(idx & ((1 << LEAF_BITS) - 1))).store(v, Ordering::Release) };
    true
}

/// Clears the entry for `chunk` if it holds `v`; false if it did not (a
/// second free of the same huge block, say).
pub fn map_clear(chunk: usize, v: u8) -> bool {
    let idx = chunk >> SEGMENT_SHIFT;
    let l = leaf(idx, false);
    if l.is_null() {
        return false;
    }
    // SAFETY: as in `map_set`.
    let e = unsafe { &*l.add(idx & ((1 << LEAF_BITS) - 1)) };
    e.compare_exchange(v, 0, Ordering::AcqRel, Ordering::Relaxed)
        .is_ok()
}

/// The map entry of the chunk holding address `p`.
#[inline]
pub fn map_get(p: usize) -> u8 {
    let idx = p >> SEGMENT_SHIFT;
    if idx >> CHUNK_BITS != 0 {
        return 0;
    }
    let l = leaf(idx, false);
    if l.is_null() {
        return 0;
    }
    // SAFETY: as in `map_set`.
    unsafe { (*l.add(idx & ((1 << LEAF_BITS) - 1))).load(Ordering::Acquire) }
}

// ---------------------------------------------------------------------------
// The thread's heap pointer: one initial-exec TLS word. Initial-exec because
// the library is either linked into the program (libc.a: the linker relaxes
// it to local-exec) or loaded at start-up (libc.so, LD_PRELOAD), where the
// loader reserves static TLS for it; it needs no `__tls_get_addr`.

#[cfg(target_arch = "x86_64")]
core::arch::global_asm!(
    ".pushsection .tbss.vicuna_malloc_heap,\"awT\",@nobits",
    ".p2align 3",
    ".globl vicuna_malloc_heap",
    ".hidden vicuna_malloc_heap",
    ".type vicuna_malloc_heap,@object",
    ".size vicuna_malloc_heap,8",
    "vicuna_malloc_heap:",
    ".zero 8",
    ".popsection",
);

#[cfg(target_arch = "aarch64")]
core::arch::global_asm!(
    ".pushsection .tbss.vicuna_malloc_heap,\"awT\",%nobits",
    ".p2align 3",
    ".globl vicuna_malloc_heap",
    ".hidden vicuna_malloc_heap",
    ".type vicuna_malloc_heap,%object",
    ".size vicuna_malloc_heap,8",
    "vicuna_malloc_heap:",
    ".zero 8",
    ".popsection",
);

/// The calling thread's heap (null before its first allocation).
#[inline(always)]
pub fn tls_get() -> usize {
    let v: usize;
    #[cfg(target_arch = "x86_64")]
    // SAFETY: reads the thread's own TLS word through its GOT offset.
    unsafe {
        core::arch::asm!(
            "mov {v}, qword ptr [rip + vicuna_malloc_heap@GOTTPOFF]",
            "mov {v}, qword ptr fs:[{v}]",
            v = out(reg) v,
            options(nostack, preserves_flags, readonly)
        );
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: as above, with the aarch64 initial-exec sequence.
    unsafe {
        core::arch::asm!(
            "adrp {t}, :gottprel:vicuna_malloc_heap",
            "ldr {t}, [{t}, #:gottprel_lo12:vicuna_malloc_heap]",
            "mrs {v}, tpidr_el0",
            "ldr {v}, [{v}, {t}]",
            t = out(reg) _,
            v = out(reg) v,
            options(nostack, preserves_flags, readonly)
        );
    }
    v
}

/// Sets the calling thread's heap.
#[inline]
pub fn tls_set(h: usize) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: writes the thread's own TLS word.
    unsafe {
        core::arch::asm!(
            "mov {t}, qword ptr [rip + vicuna_malloc_heap@GOTTPOFF]",
            "mov qword ptr fs:[{t}], {v}",
            t = out(reg) _,
            v = in(reg) h,
            options(nostack, preserves_flags)
        );
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: as above.
    unsafe {
        core::arch::asm!(
            "adrp {t}, :gottprel:vicuna_malloc_heap",
            "ldr {t}, [{t}, #:gottprel_lo12:vicuna_malloc_heap]",
            "mrs {u}, tpidr_el0",
            "str {v}, [{u}, {t}]",
            t = out(reg) _,
            u = out(reg) _,
            v = in(reg) h,
            options(nostack, preserves_flags)
        );
    }
}

// ---------------------------------------------------------------------------

/// A cheap monotonic-enough tick counter (TSC / virtual counter).
#[inline]
pub fn ticks() -> u64 {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: rdtsc has no memory effects.
    unsafe {
        core::arch::x86_64::_rdtsc()
    }
    #[cfg(target_arch = "aarch64")]
    {
        let v: u64;
        // SAFETY: reads the virtual counter, allowed at EL0 on Linux.
        unsafe { core::arch::asm!("mrs {}, cntvct_el0", out(reg) v, options(nostack, nomem)) };
        v
    }
}

/// Ticks a retired page stays committed before its memory goes back to
/// the kernel (about 50 ms at 3-4 GHz; about 40 ms of a 50 MHz counter).
#[cfg(target_arch = "x86_64")]
pub const PURGE_DELAY: u64 = 200_000_000;
#[cfg(target_arch = "aarch64")]
pub const PURGE_DELAY: u64 = 2_000_000;

/// A word in a `MADV_WIPEONFORK` page: it holds this process's pid, and
/// reads 0 in a child after `fork`, so the pid is known without a system
/// call and a child notices it is one without `pthread_atfork`.
static PID_PAGE: AtomicPtr<AtomicUsize> = AtomicPtr::new(ptr::null_mut());

fn pid_page() -> *mut AtomicUsize {
    let p = PID_PAGE.load(Ordering::Acquire);
    if !p.is_null() {
        return p;
    }
    let fresh = map(OS_PAGE);
    if fresh.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: our own fresh page.
    let r = unsafe { sys::syscall3(nr::MADVISE, fresh as usize, OS_PAGE, MADV_WIPEONFORK) };
    if r != 0 {
        // Without wipe-on-fork (Linux < 4.14) fall back to getpid each time.
        // SAFETY: never published.
        unsafe { unmap(fresh, OS_PAGE) };
        return ptr::null_mut();
    }
    let fresh = fresh as *mut AtomicUsize;
    match PID_PAGE.compare_exchange(ptr::null_mut(), fresh, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => fresh,
        Err(other) => {
            // SAFETY: never published.
            unsafe { unmap(fresh as *mut u8, OS_PAGE) };
            other
        }
    }
}

/// This process's pid, correct in a child after `fork`.
pub fn pid() -> u32 {
    let page = pid_page();
    if page.is_null() {
        return sys::getpid() as u32;
    }
    // SAFETY: the page stays mapped for the life of the process.
    let w = unsafe { &*page };
    let v = w.load(Ordering::Relaxed);
    if v != 0 {
        return v as u32;
    }
    let p = sys::getpid() as u32;
    w.store(p as usize, Ordering::Relaxed);
    p
}

/// Whether thread `tid` of process `pid` still exists.
pub fn thread_alive(pid: u32, tid: u32) -> bool {
    // SAFETY: signal 0 only checks for existence.
    let r = unsafe { sys::syscall3(nr::TGKILL, pid as usize, tid as usize, 0) };
    r != -ESRCH
}

/// A per-process secret from the kernel's `AT_RANDOM` bytes, mixed with an
/// address (so it differs between processes even without the auxv).
static SECRET: AtomicUsize = AtomicUsize::new(0);

/// The secret if it is set up (0 before the first segment exists).
#[inline(always)]
pub fn secret_if_set() -> usize {
    SECRET.load(Ordering::Relaxed)
}

pub fn secret() -> usize {
    let s = SECRET.load(Ordering::Relaxed);
    if s != 0 {
        return s;
    }
    let at_random = crate::platform::auxval(25);
    let mut v = (&SECRET as *const _ as usize).rotate_left(17) ^ 0x9e37_79b9_7f4a_7c15;
    if at_random != 0 {
        // SAFETY: AT_RANDOM points to 16 readable random bytes.
        v ^= unsafe { (at_random as *const usize).add(1).read_unaligned() };
    }
    v |= 1;
    SECRET.store(v, Ordering::Relaxed);
    v
}
